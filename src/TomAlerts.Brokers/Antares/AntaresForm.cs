using System.Text.Json;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Antares;

/// <summary>
/// tom_antares's query form, with its keys, without its quirks: southern declinations are allowed, no cone means no
/// cone (not a silent whole-sky box), a cone is a true cone (ANTARES's <c>sky_distance</c> filter), the ranges are
/// checked with the keys the form has, and the advanced query must be a JSON object with only <c>query</c>.
/// </summary>
internal static class AntaresForm
{
    public const string ZtfId = "ztfid";
    public const string LocusId = "antid";
    public const string Tag = "tag";
    public const string NobsMin = "nobs__gt";
    public const string NobsMax = "nobs__lt";
    public const string MjdMin = "mjd__gt";
    public const string MjdMax = "mjd__lt";
    public const string MagMin = "mag__min";
    public const string MagMax = "mag__max";
    public const string Ra = "ra";
    public const string Dec = "dec";
    public const string Radius = "sr";
    public const string EsQuery = "esquery";
    public const string MaxAlerts = "max_alerts";

    public const int DefaultMaxAlerts = 20;
    public const int MaxAlertsLimit = 1000;

    public const string ConeMessage = "All of RA, Dec, and Search Radius must be included to perform a cone search.";
    public const string NothingMessage = "Please either enter an ID, a search filter (tag, detections, dates, magnitude or cone), or use the advanced search query.";
    public const string LocusAloneMessage = "An ANTARES locus id looks up that one locus; leave the other search fields empty.";
    public const string EsQueryAloneMessage = "The advanced search query is sent as it is; leave the other search fields empty.";
    public const string EsQueryShapeMessage = "Enter a JSON object whose only key is \"query\", e.g. {\"query\": {\"term\": {\"tags\": \"in_tns\"}}}.";

    /// <summary>The fields that build the Elasticsearch filter (everything but the locus id and the advanced query).</summary>
    public static readonly string[] FilterFields = [ZtfId, Tag, NobsMin, NobsMax, MjdMin, MjdMax, MagMin, MagMax, Ra, Dec, Radius];

    private const string ById = "Object ID";
    private const string Simple = "Simple query";
    private const string Advanced = "Advanced query";

    /// <param name="tags">ANTARES's tag names (<c>loci/statistics</c>), or null when they could not be loaded.</param>
    public static BrokerForm Build(IReadOnlyList<string>? tags, string? loadError) => new()
    {
        Intro = "Search ANTARES loci (ZTF and LSST). See https://antares.noirlab.edu/ for the tags and the locus properties.",
        Notice = tags is null ? $"The ANTARES tag list could not be loaded ({loadError}); type a tag name exactly as ANTARES spells it." : null,
        Fields =
        [
            new(ZtfId, "ZTF object id") { Placeholder = "ZTF object id, e.g. ZTF19aapreis", Fieldset = ById },
            new(LocusId, "ANTARES locus id") { Placeholder = "ANTARES locus id, e.g. ANT2020m4pja", Fieldset = ById },
            tags is null
                ? new FormField(Tag, "Tag") { Fieldset = Simple, HelpText = "Loci carrying this tag; several tags separated by commas match any of them." }
                : new FormField(Tag, "Tag", FieldKind.Choice) { Choices = [new("", ""), .. tags.Select(t => new FieldChoice(t, t))], Fieldset = Simple, HelpText = "Loci carrying this tag." },
            new(NobsMin, "Detections Lower", FieldKind.Integer) { Min = 0, Placeholder = "Min number of measurements", Fieldset = Simple, HelpText = "At least this many magnitudes." },
            new(NobsMax, "Detections Upper", FieldKind.Integer) { Min = 0, Placeholder = "Max number of measurements", Fieldset = Simple, HelpText = "At most this many magnitudes." },
            new(MjdMin, "Min date of alert detection", FieldKind.Number) { Min = 0, Placeholder = "Date (MJD)", Fieldset = Simple, HelpText = "The locus's oldest alert is on or after this date." },
            new(MjdMax, "Max date of alert detection", FieldKind.Number) { Min = 0, Placeholder = "Date (MJD)", Fieldset = Simple, HelpText = "The locus's newest alert is on or before this date." },
            new(MagMin, "Min magnitude of the latest alert", FieldKind.Number) { Placeholder = "Min Magnitude", Fieldset = Simple },
            new(MagMax, "Max magnitude of the latest alert", FieldKind.Number) { Placeholder = "Max Magnitude", Fieldset = Simple },
            new(Ra, "RA", FieldKind.RightAscension) { Placeholder = "RA (degrees or hh:mm:ss)", Fieldset = Simple },
            new(Dec, "Dec", FieldKind.Declination) { Placeholder = "Dec (degrees or ±dd:mm:ss)", Fieldset = Simple },
            new(Radius, "Search Radius", FieldKind.Number)
            {
                MinExclusive = 0, Max = 180, Placeholder = "Search radius (degrees)", Fieldset = Simple,
                HelpText = "In degrees, as tom_antares takes it (1 arcsec = 0.000278 deg).",
            },
            new(EsQuery, "Elastic Search query in JSON format", FieldKind.TextArea)
            {
                Placeholder = "{\"query\":{}}", Fieldset = Advanced,
                HelpText = "Sent to ANTARES as it is: a JSON object whose only key is \"query\".",
            },
            new(MaxAlerts, "Maximum number of loci to fetch", FieldKind.Integer)
            {
                Min = 1, Max = MaxAlertsLimit, Initial = DefaultMaxAlerts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                HelpText = $"Loci, newest alert first; {DefaultMaxAlerts} when empty.",
            },
        ],
        Validate = Validate,
    };

    private static void Validate(JsonObject parameters, FormErrors errors)
    {
        bool Given(string key) => parameters[key] is not null || errors.Has(key);
        string[] cone = [Ra, Dec, Radius];
        if (cone.Count(Given) is > 0 and < 3)
        {
            errors.Add(FormErrors.FormWide, ConeMessage);
        }
        CheckOrder(parameters, errors, NobsMin, NobsMax, "Min number of measurements must be smaller than max number of measurements.");
        CheckOrder(parameters, errors, MjdMin, MjdMax, "Min date of alert detection must be earlier than max date of alert detection.");
        CheckOrder(parameters, errors, MagMin, MagMax, "Min magnitude must be smaller than max magnitude.");

        if (parameters.GetString(EsQuery) is { } text && ParseEsQuery(text) is null)
        {
            errors.Add(EsQuery, EsQueryShapeMessage);
        }
        var filters = FilterFields.Any(Given);
        if (Given(LocusId) && (filters || Given(EsQuery)))
        {
            errors.Add(LocusId, LocusAloneMessage);
        }
        else if (Given(EsQuery) && filters)
        {
            errors.Add(EsQuery, EsQueryAloneMessage);
        }
        else if (!Given(LocusId) && !Given(EsQuery) && !filters)
        {
            errors.Add(FormErrors.FormWide, NothingMessage);
        }
    }

    private static void CheckOrder(JsonObject parameters, FormErrors errors, string low, string high, string message)
    {
        if (parameters.GetDouble(low) is { } min && parameters.GetDouble(high) is { } max && max <= min)
        {
            errors.Add(high, message);
        }
    }

    /// <summary>The advanced query when it is a JSON object with an object under <c>query</c> and nothing else (ANTARES's only key), else null.</summary>
    public static JsonObject? ParseEsQuery(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject { Count: 1 } o && o["query"] is JsonObject ? o : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
