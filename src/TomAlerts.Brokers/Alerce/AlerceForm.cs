using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Alerce;

/// <summary>TOM's ALeRCE query form, with range checks TOM lacks.</summary>
internal static class AlerceForm
{
    public const string ConeMessage = "All of RA, Dec, and Search Radius must be included to execute a cone search.";
    public const string LcOrStampMessage = "Only one of either light curve or stamp classification may be used as a filter.";
    public const string OneClassifierMessage = "Only one classifier may be used as a filter: ALeRCE filters on a single classifier.";

    private const string Classification = "Classification Filters";
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
    public static BrokerForm Build(IReadOnlyList<AlerceClassifierInfo>? classifiers, string? loadError)
    {
        var fields = new List<FormField>
        {
            new("oid", "Object ID") { Placeholder = "e.g. ZTF23abtfusv; * is a wildcard" },
        };
        foreach (var classifier in AlerceClassifiers.Fields)
        {
            // Without the lists a class can still be typed, so a failing classifier endpoint never blocks a query.
            fields.Add(classifiers is null
                ? new FormField(classifier.Key, classifier.ClassLabel) { Fieldset = Classification }
                : new FormField(classifier.Key, classifier.ClassLabel, FieldKind.Choice)
                {
                    Choices = AlerceClassifiers.Choices(classifier, classifiers),
                    Fieldset = Classification,
                });
            fields.Add(new FormField(classifier.ProbabilityKey, classifier.ProbabilityLabel, FieldKind.Number)
            {
                Min = 0,
                Max = 1,
                Fieldset = Classification,
            });
        }
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
            Notice = classifiers is null
                ? $"The ALeRCE class lists could not be loaded ({loadError}); type a class name exactly as ALeRCE spells it."
                : null,
            Fields = fields,
            Validate = Validate,
        };
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
