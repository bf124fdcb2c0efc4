using System.Globalization;
using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Alerce;

/// <summary>
/// ALeRCE's multisurvey API for LSST (<c>object_api/</c>, <c>lightcurve_api/</c>, <c>probability_api/</c>,
/// <c>classifier_api/</c> under <c>lsst_base_url</c>): the query string of <c>list_objects</c>, and the reading of
/// its objects and light curves. Object ids are diaObjectIds, int64 numbers above 2^53, read as <c>long</c> and shown as text.
/// </summary>
internal static class AlerceLsst
{
    public const string Survey = "lsst";
    public const string SurveyKey = "survey";
    public const string ClassifierKey = "lsst_classifier";
    public const string ClassKey = "lsst_class";
    public const string ProbabilityKey = "lsst_probability";

    public const string ListPath = "object_api/list_objects";
    public const string ObjectPath = "object_api/object";
    public const string LightCurvePath = "lightcurve_api/lightcurve";
    public const string ProbabilityPath = "probability_api/probability";
    public const string ClassifiersPath = "classifier_api/classifiers";
    public const string DetectionsPath = "lightcurve_api/detections";
    public const string StampPath = "stamps_api/stamp";

    // The object page of ALeRCE's LSST explorer, as Rubin's own tutorials link it (lsst.alerce.online/object/<id>?survey=lsst).
    private const string ObjectPageUrl = "https://lsst.alerce.online/object/";

    /// <summary>The form's sort keys that the LSST tables spell differently.</summary>
    private static readonly Dictionary<string, string> OrderBy = new(StringComparer.Ordinal)
    {
        ["ndet"] = "n_det", ["deltajd"] = "deltamjd",
    };

    /// <summary>Whether a saved query asks for LSST; no survey (every query saved before there was a choice) is ZTF.</summary>
    public static bool IsLsst(JsonObject parameters) =>
        string.Equals(AlerceQuery.Text(parameters, SurveyKey), Survey, StringComparison.OrdinalIgnoreCase);

    /// <summary>A diaObjectId is all digits (ZTF oids start with "ZTF"); the same rule tells which API an id belongs to.</summary>
    public static bool IsLsstId(string id) => id.Length > 0 && id.All(char.IsAsciiDigit);

    /// <summary>An LSST object or row: its oid is a number (ZTF sends a string).</summary>
    public static bool IsLsstObject(JsonObject alert) =>
        alert["oid"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
        || JsonRead.String(alert["oid"]) is { } text && IsLsstId(text);

    /// <summary>The oid as exact text: read as a long (never through double, which would round an 18-digit id).</summary>
    public static string Oid(JsonObject alert) =>
        alert["oid"] is JsonValue v && v.TryGetValue(out long oid) ? oid.ToString(CultureInfo.InvariantCulture)
        : JsonRead.String(alert["oid"]) ?? "";

    /// <summary>The filter pairs of <c>list_objects</c>, without paging. Keys repeat for ranges.</summary>
    public static List<KeyValuePair<string, string>> Filters(JsonObject parameters)
    {
        var pairs = new List<KeyValuePair<string, string>> { new("survey", Survey) };
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                pairs.Add(new(key, value));
            }
        }

        Add("classifier", AlerceQuery.Text(parameters, ClassifierKey));
        Add("class_name", AlerceQuery.Text(parameters, ClassKey));
        Add("probability", Number(parameters, ProbabilityKey));

        // The server applies a cone whenever ra and dec are not null, 0 included: no nudge as for ZTF v1.
        if (AlerceQuery.Cone(parameters) is { } cone)
        {
            Add("ra", Format(cone.Ra));
            Add("dec", Format(cone.Dec));
            Add("radius", Format(cone.RadiusArcsec));
        }

        // One value is a minimum, two a range; an upper bound alone goes out as [0, X].
        foreach (var field in new[] { "firstmjd", "lastmjd" })
        {
            var after = Number(parameters, field + "__gt");
            var before = Number(parameters, field + "__lt");
            Add(field, before is null ? after : after ?? "0");
            Add(field, before);
        }

        Add("oid", AlerceQuery.Text(parameters, "oid"));
        Add("n_det", parameters.GetLong("ndet")?.ToString(CultureInfo.InvariantCulture));
        Add("ranking", parameters.GetLong("ranking")?.ToString(CultureInfo.InvariantCulture));
        var orderBy = AlerceQuery.Text(parameters, "order_by");
        Add("order_by", orderBy is null ? null : OrderBy.GetValueOrDefault(orderBy, orderBy));
        // Exactly ASC or DESC, or the server answers 422.
        Add("order_mode", AlerceQuery.Text(parameters, "order_mode")?.ToUpperInvariant());
        return pairs;
    }

    public static string PageQuery(IEnumerable<KeyValuePair<string, string>> filters, int page) =>
        ListPath + "?" + Join(filters.Concat(
        [
            new("page", page.ToString(CultureInfo.InvariantCulture)),
            new("page_size", AlerceQuery.PageSize.ToString(CultureInfo.InvariantCulture)),
        ]));

    public static string ObjectQuery(string oid) => ObjectPath + "?" + Join([new("survey_id", Survey), new("oid", oid)]);

    /// <summary>The oid twice: a single oid takes the server's path that returns at most 10 forced points; a list has no limit.</summary>
    public static string LightCurveQuery(string oid) =>
        LightCurvePath + "?" + Join([new("survey_id", Survey), new("oid", oid), new("oid", oid)]);

    public static string ProbabilityQuery(string oid) => ProbabilityPath + "?" + Join([new("oid", oid)]);

    /// <summary>Detections only: the latest magnitude needs no forced photometry.</summary>
    public static string DetectionsQuery(string oid) => DetectionsPath + "?" + Join([new("survey_id", Survey), new("oid", oid)]);

    /// <summary>Where DescribeAsync leaves the latest detection's magnitude and band beside the listing row.</summary>
    public const string LastMagKey = "last_mag";
    public const string LastBandKey = "last_band";

    public static GenericAlert ToGenericAlert(string broker, JsonObject alert)
    {
        var oid = Oid(alert);
        return new GenericAlert
        {
            Id = oid,
            Name = oid,
            Ra = JsonRead.Double(alert["meanra"]),
            Dec = JsonRead.Double(alert["meandec"]),
            Timestamp = JsonRead.Double(alert["lastmjd"]) is { } lastMjd ? AstroTime.FromMjdTai(lastMjd) : null,
            Url = ObjectPageUrl + Uri.EscapeDataString(oid) + "?survey=lsst",
            Score = JsonRead.Double(alert["probability"]),
            Classification = JsonRead.String(alert["class_name"]),
            Mag = JsonRead.Double(alert[LastMagKey]),
            Band = JsonRead.Double(alert[LastMagKey]) is null ? null : JsonRead.String(alert[LastBandKey]),
            FirstDetection = AlerceDetails.Mjd(alert["firstmjd"], tai: true),
            LastDetection = AlerceDetails.Mjd(alert["lastmjd"], tai: true),
            Detections = AlerceDetails.Count(alert["n_det"]),
            Classifications = AlerceDetails.Classifications(broker, alert, "class_name", "classifier_name"),
        };
    }

    public static Dictionary<string, string> Extras(JsonObject alert)
    {
        var extras = new Dictionary<string, string>();
        foreach (var key in new[] { "class_name", "classifier_name" })
        {
            if (JsonRead.String(alert[key]) is { } text)
            {
                extras[key] = text;
            }
        }
        foreach (var key in new[] { "probability", "n_det", "n_forced", "firstmjd", "lastmjd" })
        {
            if (JsonRead.Double(alert[key]) is { } number)
            {
                extras[key] = number.ToString("R", CultureInfo.InvariantCulture);
            }
        }
        // Probabilities fetched with the object (FetchAlertAsync): the top class of each classifier.
        foreach (var row in JsonRead.Objects(alert["probabilities"]).Where(r => JsonRead.Long(r["ranking"]) == 1))
        {
            if (JsonRead.String(row["classifier_name"]) is { } classifier && JsonRead.String(row["class_name"]) is { } className)
            {
                extras[classifier] = JsonRead.Double(row["probability"]) is { } p
                    ? $"{className} ({p.ToString("0.###", CultureInfo.InvariantCulture)})"
                    : className;
            }
        }
        return extras;
    }

    /// <summary>
    /// Detections and forced photometry as points, sorted by time (the server does not order them). psfFlux is a
    /// difference-image flux in nJy; a negative or low-S/N flux becomes a limit, keeping its signed flux.
    /// </summary>
    public static List<PhotometryPoint> Points(JsonNode? lightCurve)
    {
        var points = new List<PhotometryPoint>();
        var seen = new HashSet<(PhotometryKind, string)>();
        void Read(JsonNode? rows, PhotometryKind kind)
        {
            foreach (var row in JsonRead.Objects(rows))
            {
                var sourceId = row["measurement_id"] is JsonValue v && v.TryGetValue(out long id)
                    ? id.ToString(CultureInfo.InvariantCulture)
                    : JsonRead.String(row["measurement_id"]);
                if (sourceId is not null && !seen.Add((kind, sourceId)))
                {
                    continue;
                }
                if (JsonRead.Double(row["mjd"]) is not { } mjd || Band(row) is not { } band)
                {
                    continue;
                }
                var flux = JsonRead.Double(row["psfFlux"]);
                if (flux is { } f && JsonRead.Bool(row["isNegative"]) == true)
                {
                    flux = -Math.Abs(f); // signed either way, whether the sender kept the sign or not
                }
                if (FluxMagnitudes.FromFlux(AstroTime.FromMjdTai(mjd), band, flux, JsonRead.Double(row["psfFluxErr"]), "nJy", kind) is { } point)
                {
                    points.Add(point with { Survey = "LSST", Telescope = "LSST", SourceId = sourceId });
                }
            }
        }
        Read(lightCurve?["detections"], PhotometryKind.Detection);
        Read(lightCurve?["forced_photometry"], PhotometryKind.Forced);
        return points.OrderBy(p => p.Timestamp).ToList();
    }

    /// <summary>The band letter from the row's band_map (u=6, g=1 … y=5), falling back to the map every row carries.</summary>
    private static string? Band(JsonObject row)
    {
        if (JsonRead.Long(row["band"]) is not { } band)
        {
            return JsonRead.String(row["band"]);
        }
        var key = band.ToString(CultureInfo.InvariantCulture);
        return (row["band_map"] is JsonObject map ? JsonRead.String(map[key]) : null) ?? BandMap.GetValueOrDefault(band) ?? $"band{band}";
    }

    private static readonly Dictionary<long, string> BandMap = new()
    {
        [6] = "u", [1] = "g", [2] = "r", [3] = "i", [4] = "z", [5] = "y",
    };

    private static string? Number(JsonObject parameters, string key) =>
        parameters.GetDouble(key) is { } value ? Format(value) : null;

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Join(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join("&", pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
}
