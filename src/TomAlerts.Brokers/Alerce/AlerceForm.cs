using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Alerce;

/// <summary>
/// TOM's ALeRCE query form, with range checks TOM lacks, and a survey choice: ZTF (ALeRCE's ZTF API, the default) or
/// LSST (its multisurvey API). One form shows both surveys' fields; Validate refuses the other survey's (ADR-006).
/// </summary>
internal static class AlerceForm
{
    public const string ConeMessage = "All of RA, Dec, and Search Radius must be included to execute a cone search.";
    public const string LcOrStampMessage = "Only one of either light curve or stamp classification may be used as a filter.";
    public const string OneClassifierMessage = "Only one classifier may be used as a filter: ALeRCE filters on a single classifier.";

    public const string ZtfOnlyOnLsstMessage = "The ZTF classifier fields do not apply to an LSST query; use the LSST classifier fields.";
    public const string LsstOnlyOnZtfMessage = "The LSST classifier fields apply only when Survey is LSST.";
    public const string LsstOidMessage = "An LSST query takes a diaObjectId (digits only); ALeRCE's LSST API has no wildcards.";
    public const string LsstClassifierNeededMessage = "Choose the LSST classifier that the class or probability belongs to.";

    private const string Classification = "Classification Filters";
    private const string LsstClassification = "LSST Classification Filters";
    private const string Location = "Location Filters";
    private const string Time = "Time Filters";
    private const string Other = "Other Filters";
    private const string General = "General Parameters";

    // The server's order_by enum: TOM's "deltamjd" is not in it and gets a 400.
    private static readonly FieldChoice[] OrderBy =
    [
        new("", "None"),
        new("oid", "Object ID"),
        new("probability", "Classifier Probability"),
        new("ndet", "Number of Detections"),
        new("firstmjd", "First Detection"),
        new("lastmjd", "Last Detection"),
        new("deltajd", "Time Between First and Last Detection"),
    ];

    private static readonly FieldChoice[] OrderMode = [new("", "None"), new("ASC", "Ascending"), new("DESC", "Descending")];

    /// <param name="classifiers">The classifier list, or null when it could not be loaded.</param>
    /// <param name="lsstClassifiers">The LSST classifier list (<c>classifier_api/classifiers</c>), or null when it could not be loaded.</param>
    public static BrokerForm Build(IReadOnlyList<AlerceClassifierInfo>? classifiers, string? loadError,
        IReadOnlyList<AlerceClassifierInfo>? lsstClassifiers = null, string? lsstLoadError = null)
    {
        var fields = new List<FormField>
        {
            new(AlerceLsst.SurveyKey, "Survey", FieldKind.Choice)
            {
                Choices = [new("ztf", "ZTF"), new(AlerceLsst.Survey, "LSST")],
                Initial = "ztf",
                HelpText = "ZTF queries ALeRCE's ZTF API, LSST its multisurvey API. Classifier fields marked ZTF or LSST apply to that survey only.",
            },
            new("oid", "Object ID")
            {
                Placeholder = "e.g. ZTF23abtfusv; * is a wildcard",
                HelpText = "ZTF: an object id, * a wildcard. LSST: a diaObjectId, exactly.",
            },
        };
        foreach (var classifier in AlerceClassifiers.Fields)
        {
            var choices = classifiers is null ? [] : AlerceClassifiers.Choices(classifier, classifiers);
            if (classifiers is not null && choices.All(c => c.Value.Length == 0))
            {
                // ALeRCE does not list this classifier now: its fields are left out rather than shown as a select without options.
                continue;
            }
            // Without the lists a class can still be typed, so a failing classifier endpoint never blocks a query.
            fields.Add(classifiers is null
                ? new FormField(classifier.Key, classifier.ClassLabel) { Fieldset = Classification, HelpText = "ZTF only." }
                : new FormField(classifier.Key, classifier.ClassLabel, FieldKind.Choice)
                {
                    Choices = choices,
                    Fieldset = Classification,
                    HelpText = "ZTF only.",
                });
            fields.Add(new FormField(classifier.ProbabilityKey, classifier.ProbabilityLabel, FieldKind.Number)
            {
                Min = 0,
                Max = 1,
                Fieldset = Classification,
            });
        }
        fields.AddRange(LsstClassifierFields(lsstClassifiers));
        fields.AddRange(
        [
            new("ra", "RA", FieldKind.RightAscension) { Placeholder = "RA (degrees or hh:mm:ss)", Fieldset = Location },
            new("dec", "Dec", FieldKind.Declination) { Placeholder = "Dec (degrees or ±dd:mm:ss)", Fieldset = Location },
            new("radius", "Search Radius", FieldKind.Number) { MinExclusive = 0, Placeholder = "Radius (Arcseconds)", Fieldset = Location },
            MjdField("firstmjd__gt", "Min date of first detection"),
            MjdField("firstmjd__lt", "Max date of first detection"),
            MjdField("lastmjd__gt", "Min date of last detection"),
            MjdField("lastmjd__lt", "Max date of last detection"),
            new("ranking", "Ranking", FieldKind.Integer) { Min = 1, Placeholder = "Class ordering by probability", Fieldset = Other },
            new("ndet", "Detections Lower", FieldKind.Integer) { Min = 0, Placeholder = "Min number of detections", Fieldset = Other },
            new("order_by", "Sort By", FieldKind.Choice) { Choices = OrderBy, Fieldset = General },
            new("order_mode", "Sort Order", FieldKind.Choice) { Choices = OrderMode, Fieldset = General },
            new("max_pages", "Maximum pages to retrieve", FieldKind.Choice)
            {
                Choices = AlerceQuery.MaxPagesChoices.Select(p => new FieldChoice(p, p)).ToList(),
                Initial = "1",
                HelpText = $"{AlerceQuery.PageSize} objects per page.",
                Fieldset = General,
            },
        ]);

        return new BrokerForm
        {
            Intro = "Please see the ALeRCE homepage (https://alerce.science/) for information about the ALeRCE filters.",
            Notice = Notices(classifiers is null
                    ? $"The ALeRCE class lists could not be loaded ({loadError}); type a class name exactly as ALeRCE spells it."
                    : null,
                lsstClassifiers is null
                    ? $"The ALeRCE LSST classifier list could not be loaded ({lsstLoadError}); type the LSST classifier and class names exactly as ALeRCE spells them."
                    : null),
            Fields = fields,
            Validate = (parameters, errors) =>
            {
                Validate(parameters, errors);
                ValidateSurvey(parameters, errors, lsstClassifiers);
            },
        };
    }

    private static string? Notices(params string?[] notices) =>
        notices.OfType<string>().ToList() is { Count: > 0 } list ? string.Join(" ", list) : null;

    /// <summary>One classifier, one class, one minimum probability: the LSST API filters on a single classifier.</summary>
    private static IEnumerable<FormField> LsstClassifierFields(IReadOnlyList<AlerceClassifierInfo>? classifiers)
    {
        const string help = "LSST only.";
        if (classifiers is null)
        {
            yield return new FormField(AlerceLsst.ClassifierKey, "LSST Classifier") { Fieldset = LsstClassification, HelpText = help };
            yield return new FormField(AlerceLsst.ClassKey, "LSST Class") { Fieldset = LsstClassification, HelpText = help };
        }
        else
        {
            yield return new FormField(AlerceLsst.ClassifierKey, "LSST Classifier", FieldKind.Choice)
            {
                Choices = [new("", ""), .. classifiers.Select(c => c.Name).Distinct().Select(n => new FieldChoice(n, n))],
                Fieldset = LsstClassification,
                HelpText = help,
            };
            // A class may belong to several classifiers (AGN): one choice, labelled with the classifiers that know it.
            yield return new FormField(AlerceLsst.ClassKey, "LSST Class", FieldKind.Choice)
            {
                Choices =
                [
                    new("", ""),
                    .. classifiers.SelectMany(c => c.Classes.Select(k => (Class: k, Classifier: c.Name)))
                        .GroupBy(p => p.Class)
                        .Select(g => new FieldChoice(g.Key, $"{g.Key} ({string.Join(", ", g.Select(p => p.Classifier).Distinct())})")),
                ],
                Fieldset = LsstClassification,
                HelpText = help + " A class of the classifier chosen.",
            };
        }
        yield return new FormField(AlerceLsst.ProbabilityKey, "LSST Classifier Probability", FieldKind.Number)
        {
            Min = 0,
            Max = 1,
            Fieldset = LsstClassification,
            HelpText = help + " The minimum probability of the class.",
        };
    }

    private static void ValidateSurvey(JsonObject parameters, FormErrors errors, IReadOnlyList<AlerceClassifierInfo>? lsstClassifiers)
    {
        var classifier = AlerceQuery.Text(parameters, AlerceLsst.ClassifierKey);
        var className = AlerceQuery.Text(parameters, AlerceLsst.ClassKey);
        var lsstUsed = classifier is not null || className is not null || parameters.GetDouble(AlerceLsst.ProbabilityKey) is not null;
        if (!AlerceLsst.IsLsst(parameters))
        {
            if (lsstUsed)
            {
                errors.Add(FormErrors.FormWide, LsstOnlyOnZtfMessage);
            }
            return;
        }
        if (AlerceClassifiers.Fields.Any(c => IsUsed(parameters, c)))
        {
            errors.Add(FormErrors.FormWide, ZtfOnlyOnLsstMessage);
        }
        if (AlerceQuery.Text(parameters, "oid") is { } oid && !AlerceLsst.IsLsstId(oid))
        {
            errors.Add("oid", LsstOidMessage);
        }
        if (lsstUsed && classifier is null)
        {
            errors.Add(AlerceLsst.ClassifierKey, LsstClassifierNeededMessage);
        }
        // The server drops an unknown class from the filter without a word, and would answer every object of the classifier.
        else if (className is not null && lsstClassifiers?.FirstOrDefault(c => c.Name == classifier) is { } known
                 && !known.Classes.Contains(className))
        {
            errors.Add(AlerceLsst.ClassKey, $"{className} is not a class of {classifier}.");
        }
    }

    private static FormField MjdField(string name, string label) =>
        new(name, label, FieldKind.Number) { Min = 0, Placeholder = "Date (MJD)", Fieldset = Time };

    private static void Validate(JsonObject parameters, FormErrors errors)
    {
        // ra=0 and dec=0 are real positions, so "given" means not null (TOM tested truthiness); a value that could not
        // be read was given too, and has its own message.
        string[] cone = ["ra", "dec", "radius"];
        var given = cone.Count(k => parameters[k] is not null || errors.Has(k));
        if (given is > 0 and < 3)
        {
            errors.Add(FormErrors.FormWide, ConeMessage);
        }

        var used = AlerceClassifiers.Fields.Where(c => IsUsed(parameters, c)).ToList();
        if (used.Any(c => c.Key == "lc_classifier") && used.Any(c => c.Key == "stamp_classifier"))
        {
            errors.Add(FormErrors.FormWide, LcOrStampMessage);
        }
        else if (used.Count > 1)
        {
            errors.Add(FormErrors.FormWide, OneClassifierMessage);
        }
    }

    public static bool IsUsed(JsonObject parameters, AlerceClassifierField classifier) =>
        AlerceQuery.Text(parameters, classifier.Key) is not null || parameters.GetDouble(classifier.ProbabilityKey) is not null;
}
