using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Fink;

/// <summary>
/// TOM's Fink query form (tom_fink's keys: <c>objectId</c>, <c>conesearch</c> "ra, dec, radius", <c>classsearch</c>
/// "class, n", <c>classsearchdate</c> "class, days") with a survey choice (ADR-006): ZTF, the default, or LSST, which
/// searches by <c>tag</c> instead of class. A query holds exactly one kind of search.
/// </summary>
internal static partial class FinkForm
{
    public const string Survey = "survey";
    public const string ObjectId = "objectId";
    public const string Cone = "conesearch";
    public const string StartDate = "startdate";
    public const string Window = "window";
    public const string ClassSearch = "classsearch";
    public const string ClassSearchDate = "classsearchdate";
    public const string Tag = "tag";
    public const string TagCount = "n";

    public const string Lsst = "lsst";

    /// <summary>Fink refuses larger cones ("`radius` cannot be bigger than 18,000 arcseconds (5 degrees).").</summary>
    public const double MaxRadiusArcsec = 18000;

    public const string OneSearchMessage =
        "Fill in exactly one search: Object ID, Cone Search, Class Search by number, Class Search by date or (LSST) Tag.";

    private static readonly string[] SearchFields = [ObjectId, Cone, ClassSearch, ClassSearchDate, Tag];

    /// <param name="tags">LSST tags Fink can search by (name, description), or null when the list could not be loaded.</param>
    public static BrokerForm Create(IReadOnlyList<(string Name, string Description)>? tags, string? tagsError) => new()
    {
        Intro = "Search Fink (https://fink-portal.org) by object, by a cone, or for the latest alerts of a class (ZTF) or a tag (LSST). "
                + "Fill in one search.",
        Notice = tags is null ? $"The LSST tag list could not be loaded from Fink ({tagsError}); type the tag's name." : null,
        Fields =
        [
            new FormField(Survey, "Survey", FieldKind.Choice)
            {
                Choices = [new("ztf", "ZTF"), new(Lsst, "LSST")],
                Initial = "ztf",
                HelpText = "ZTF asks Fink's ZTF API, LSST its LSST API. Fields marked ZTF or LSST apply to that survey only.",
            },
            new FormField(ObjectId, "Object ID")
            {
                Placeholder = "e.g. ZTF23abtfusv or 169298433216610349",
                HelpText = "ZTF: objectIds (ZTF23abtfusv). LSST: diaObjectIds (digits). Several are separated by commas.",
            },
            new FormField(Cone, "Cone Search")
            {
                Placeholder = "RA, Dec, radius",
                HelpText = "RA, Dec (decimal degrees or sexagesimal: 10:01:15.8, +02:12:34) and radius in arcsec (at most 18000).",
            },
            new FormField(StartDate, "Cone Search from")
            {
                Placeholder = "YYYY-MM-DD",
                HelpText = "ZTF only: keep objects with an alert in the window that starts here (UTC). Give a Window with it.",
            },
            new FormField(Window, "Cone Search window (days)", FieldKind.Number)
            {
                MinExclusive = 0,
                HelpText = "ZTF only: the window's length in days, from the start date.",
            },
            new FormField(ClassSearch, "Class Search by number")
            {
                Placeholder = "class, n_alert",
                HelpText = "ZTF only: the n latest alerts of a Fink class (https://api.ztf.fink-portal.org/api/v1/classes), e.g. Early SN Ia candidate, 10.",
            },
            new FormField(ClassSearchDate, "Class Search by date")
            {
                Placeholder = "class, n_days_in_past",
                HelpText = "ZTF only: the alerts of a Fink class in the last days (up to 1000 alerts), e.g. Early SN Ia candidate, 5.",
            },
            tags is null
                ? new FormField(Tag, "Tag") { HelpText = "LSST only: a Fink tag, e.g. early_snia_candidate." }
                : new FormField(Tag, "Tag", FieldKind.Choice)
                {
                    Choices = [new("", "None"), .. tags.Select(t => new FieldChoice(t.Name, t.Name))],
                    HelpText = "LSST only: the latest alerts Fink tagged so. "
                               + string.Join(" ", tags.Select(t => $"{t.Name}: {t.Description}")),
                },
            new FormField(TagCount, "Number of alerts", FieldKind.Integer)
            {
                Min = 1,
                Max = 1000,
                Placeholder = "10",
                HelpText = "LSST tag search only: how many of the latest alerts (Fink gives 10 when empty).",
            },
        ],
        Validate = (parameters, errors) => FinkSearch.Read(parameters, errors),
    };

    internal static bool IsLsst(JsonObject parameters) =>
        string.Equals(parameters.GetString(Survey), Lsst, StringComparison.OrdinalIgnoreCase);

    /// <summary>The search fields filled in (or given unreadably: those have their message already).</summary>
    internal static List<string> Given(JsonObject parameters, FormErrors errors) =>
        SearchFields.Where(f => parameters.GetString(f) is not null || errors.Has(f)).ToList();

    [GeneratedRegex(@"^ZTF\d{2}[a-z]{7}$")]
    internal static partial Regex ZtfId();
}

internal enum FinkSearchKind
{
    Object,
    Cone,
    Class,
    Tag,
}

/// <summary>What a saved Fink query asks, read from its parameters with the form's rules (the form and a run use the same reading).</summary>
internal sealed record FinkSearch(FinkSearchKind Kind, bool Lsst)
{
    public IReadOnlyList<string> Ids { get; init; } = [];
    public double Ra { get; init; }
    public double Dec { get; init; }
    public double RadiusArcsec { get; init; }
    public DateTime? StartDate { get; init; }
    public double? WindowDays { get; init; }
    public string? Name { get; init; }
    public int? Count { get; init; }
    /// <summary>A class search by date: the alerts of the last this many days.</summary>
    public double? Days { get; init; }

    /// <summary>The search, or null with every reason in <paramref name="errors"/>, beside its field.</summary>
    public static FinkSearch? Read(JsonObject parameters, FormErrors errors)
    {
        var lsst = FinkForm.IsLsst(parameters);
        var given = FinkForm.Given(parameters, errors);
        if (given.Count != 1)
        {
            errors.Add(FormErrors.FormWide, FinkForm.OneSearchMessage);
            foreach (var field in given.Skip(1))
            {
                errors.Add(field, $"Only one search at a time: this and {Label(given[0])} are both filled in.");
            }
            return null;
        }
        var kind = given[0];
        var text = parameters.GetString(kind);
        var refused = false;
        void Refuse(string field, string message)
        {
            errors.Add(field, message);
            refused = true;
        }
        var windowed = parameters.GetString(FinkForm.StartDate) is not null || parameters.GetDouble(FinkForm.Window) is not null
                       || errors.Has(FinkForm.StartDate) || errors.Has(FinkForm.Window);
        if (kind != FinkForm.Cone && windowed)
        {
            Refuse(parameters.GetString(FinkForm.StartDate) is not null ? FinkForm.StartDate : FinkForm.Window, "A date window applies to a cone search only.");
        }
        if (kind != FinkForm.Tag && parameters.GetString(FinkForm.TagCount) is not null)
        {
            Refuse(FinkForm.TagCount, "The number of alerts applies to an LSST tag search only; a class search gives it after the class.");
        }
        if (lsst && kind is FinkForm.ClassSearch or FinkForm.ClassSearchDate)
        {
            Refuse(kind, "Fink's LSST API searches by tag, not by class: choose a Tag, or Survey ZTF.");
        }
        if (!lsst && kind == FinkForm.Tag)
        {
            Refuse(FinkForm.Tag, "Tags are searched on LSST only: choose Survey LSST, or a class search for ZTF.");
        }
        if (text is null || refused || errors.Has(kind))
        {
            return null;
        }
        var search = kind switch
        {
            FinkForm.ObjectId => ReadIds(text, lsst, errors),
            FinkForm.Cone => ReadCone(text, lsst, parameters, errors),
            FinkForm.ClassSearch => ReadClass(text, byDate: false, errors),
            FinkForm.ClassSearchDate => ReadClass(text, byDate: true, errors),
            _ => new FinkSearch(FinkSearchKind.Tag, true) { Name = text, Count = (int?)parameters.GetLong(FinkForm.TagCount) },
        };
        return errors.IsEmpty ? search : null;
    }

    private static FinkSearch? ReadIds(string text, bool lsst, FormErrors errors)
    {
        var ids = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var bad = ids.Where(id => lsst ? !id.All(char.IsAsciiDigit) : !FinkForm.ZtfId().IsMatch(id)).ToList();
        if (ids.Length == 0 || bad.Count > 0)
        {
            errors.Add(FinkForm.ObjectId, lsst
                ? $"An LSST query takes diaObjectIds (digits only), not {string.Join(", ", bad)}."
                : $"A ZTF objectId looks like ZTF23abtfusv, not {string.Join(", ", bad)} (for an LSST diaObjectId choose Survey LSST).");
            return null;
        }
        return new FinkSearch(FinkSearchKind.Object, lsst) { Ids = ids };
    }

    private static FinkSearch? ReadCone(string text, bool lsst, JsonObject parameters, FormErrors errors)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3)
        {
            errors.Add(FinkForm.Cone, "Give RA, Dec and radius (arcsec), separated by commas: 150.31577, 2.20943, 5.");
            return null;
        }
        if (!Angles.TryParseRa(parts[0], out var ra))
        {
            errors.Add(FinkForm.Cone, "Enter RA in decimal degrees (0 to 360) or as hh:mm:ss.");
        }
        if (!Angles.TryParseDec(parts[1], out var dec))
        {
            errors.Add(FinkForm.Cone, "Enter Dec in decimal degrees (−90 to 90) or as ±dd:mm:ss.");
        }
        if (!double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var radius) || radius is <= 0 or > FinkForm.MaxRadiusArcsec)
        {
            errors.Add(FinkForm.Cone, "The radius is in arcsec, above 0 and at most 18000 (5 degrees).");
        }
        var start = parameters.GetString(FinkForm.StartDate);
        var window = parameters.GetDouble(FinkForm.Window);
        DateTime? startDate = null;
        if (start is not null)
        {
            if (lsst)
            {
                errors.Add(FinkForm.StartDate, "Fink's LSST cone search has no working date window; leave it empty or choose Survey ZTF.");
            }
            else if (DateTime.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
            {
                startDate = parsed;
            }
            else
            {
                errors.Add(FinkForm.StartDate, "Enter a date as YYYY-MM-DD (or YYYY-MM-DD hh:mm:ss), UTC.");
            }
        }
        if ((start is null) != (window is null) && !errors.Has(FinkForm.Window) && !lsst)
        {
            errors.Add(start is null ? FinkForm.StartDate : FinkForm.Window, "A date window needs both a start date and a length in days.");
        }
        if (lsst && window is not null && start is null)
        {
            errors.Add(FinkForm.Window, "Fink's LSST cone search has no working date window; leave it empty or choose Survey ZTF.");
        }
        return new FinkSearch(FinkSearchKind.Cone, lsst) { Ra = ra, Dec = dec, RadiusArcsec = radius, StartDate = startDate, WindowDays = window };
    }

    private static FinkSearch? ReadClass(string text, bool byDate, FormErrors errors)
    {
        var field = byDate ? FinkForm.ClassSearchDate : FinkForm.ClassSearch;
        // Class names have no commas, so the number is after the last one.
        var comma = text.LastIndexOf(',');
        var name = comma > 0 ? text[..comma].Trim() : "";
        var number = comma > 0 ? text[(comma + 1)..].Trim() : "";
        if (name.Length == 0)
        {
            errors.Add(field, byDate ? "Give a class and a number of days: Early SN Ia candidate, 5." : "Give a class and a number of alerts: Early SN Ia candidate, 10.");
            return null;
        }
        if (byDate)
        {
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var days) || days is <= 0 or > 3650)
            {
                errors.Add(field, "The number of days in the past must be above 0 (and at most 3650).");
                return null;
            }
            return new FinkSearch(FinkSearchKind.Class, false) { Name = name, Days = days };
        }
        if (!int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 1000)
        {
            errors.Add(field, "The number of alerts must be a whole number from 1 to 1000.");
            return null;
        }
        return new FinkSearch(FinkSearchKind.Class, false) { Name = name, Count = n };
    }

    private static string Label(string field) => field switch
    {
        FinkForm.ObjectId => "Object ID",
        FinkForm.Cone => "Cone Search",
        FinkForm.ClassSearch => "Class Search by number",
        FinkForm.ClassSearchDate => "Class Search by date",
        _ => "Tag",
    };
}
