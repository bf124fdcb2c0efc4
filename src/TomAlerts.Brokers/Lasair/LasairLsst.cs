using System.Globalization;
using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Lasair;

/// <summary>
/// Lasair's LSST service (its own deployment, accounts and tokens, under <c>lsst_base_url</c>): the list columns of its
/// <c>objects</c> table and the reading of its two shapes of an object, the list row a search gives (<c>query/</c>) and
/// the object reply (<c>object/</c>: <c>lasairData</c>, <c>diaObject</c>, <c>diaSourcesList</c>,
/// <c>diaForcedSourcesList</c>). Ids are diaObjectIds, int64 numbers above 2^53: read as <c>long</c>, never through
/// <c>double</c>, and shown as text.
/// </summary>
internal static class LasairLsst
{
    public const string SurveyKey = "survey";
    public const string Survey = "lsst";

    public const string ConePath = "cone/";
    public const string QueryPath = "query/";
    public const string ObjectPath = "object/";

    /// <summary>The flux unit of LSST difference-image fluxes.</summary>
    public const string FluxUnit = "nJy";

    private const string SurveyName = "LSST";
    private const string SherlockTable = "sherlock_classifications";
    private const string ObjectPageUrl = "https://lasair.lsst.ac.uk/objects/";

    /// <summary>
    /// What a search's list row holds (columns of the LSST <c>objects</c> table, schema 11_1): position (<c>decl</c>, not
    /// <c>dec</c>), first and last dates (MJD TAI), the latest flux and the latest flux per band (nJy), detection counts
    /// and the TNS name, plus Sherlock's class when its table is joined.
    /// </summary>
    private static readonly string[] ObjectColumns =
    [
        "diaObjectId", "ra", "decl", "firstDiaSourceMjdTai", "lastDiaSourceMjdTai", "latest_psfFlux",
        "u_psfFlux", "g_psfFlux", "r_psfFlux", "i_psfFlux", "z_psfFlux", "y_psfFlux", "nDiaSources", "tns_name",
    ];

    public static string ListColumns(bool sherlock) =>
        string.Join(", ", ObjectColumns.Select(c => "objects." + c).Concat(sherlock ? [SherlockTable + ".classification"] : []));

    /// <summary>Whether a saved query asks for LSST; no survey (every query saved before there was a choice) is ZTF.</summary>
    public static bool IsLsst(JsonObject parameters) =>
        string.Equals(parameters.GetString(SurveyKey)?.Trim(), Survey, StringComparison.OrdinalIgnoreCase);

    /// <summary>A diaObjectId is all digits (ZTF ids start with "ZTF"); the same rule tells which service an id belongs to.</summary>
    public static bool IsLsstId(string id) => id.Length > 0 && id.All(char.IsAsciiDigit);

    /// <summary>An LSST row or object reply: it has a diaObjectId (ZTF's have objectId).</summary>
    public static bool IsLsstObject(JsonObject obj) => obj.ContainsKey("diaObjectId");

    /// <summary>The object reply (with or without lasair_added), as opposed to a search's list row.</summary>
    public static bool IsObjectPage(JsonObject obj) =>
        obj.ContainsKey("lasairData") || obj.ContainsKey("diaSourcesList") || obj.ContainsKey("diaForcedSourcesList");

    /// <summary>The diaObjectId as exact text: a number in list rows and cone hits, a string in the object reply.</summary>
    public static string? Id(JsonObject obj) => ExactId(obj["diaObjectId"]);

    public static string? ExactId(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out long id) ? id.ToString(CultureInfo.InvariantCulture)
        : JsonRead.String(node) is { } text && IsLsstId(text) ? text
        : null;

    /// <summary>The cone's hits, nearest first as Lasair sends them: <c>{"objects": [{"object": id, "separation"}], …}</c>.</summary>
    public static List<(string Id, double? Separation)> ConeHits(JsonNode? answer) =>
        JsonRead.Objects(answer?["objects"])
            .Select(h => (Id: ExactId(h["object"]), Separation: JsonRead.Double(h["separation"])))
            .Where(h => h.Id is not null)
            .DistinctBy(h => h.Id, StringComparer.Ordinal)
            .Select(h => (h.Id!, h.Separation))
            .ToList();

    /// <summary><c>objects.diaObjectId IN (…)</c> over <paramref name="ids"/> (bare numbers), split so none is longer than <paramref name="maxLength"/>.</summary>
    public static IEnumerable<(string Conditions, int Count)> IdConditions(IReadOnlyList<string> ids, int maxLength)
    {
        const string prefix = "objects.diaObjectId IN (";
        var chunk = new List<string>();
        var length = prefix.Length + 1;
        foreach (var id in ids)
        {
            if (chunk.Count > 0 && length + id.Length + 2 > maxLength)
            {
                yield return (prefix + string.Join(", ", chunk) + ")", chunk.Count);
                chunk.Clear();
                length = prefix.Length + 1;
            }
            chunk.Add(id);
            length += id.Length + 2;
        }
        if (chunk.Count > 0)
        {
            yield return (prefix + string.Join(", ", chunk) + ")", chunk.Count);
        }
    }

    /// <summary>Position: a list row's ra/decl, or the reply's diaObject (present in the lasair_added=false reply only when not lite).</summary>
    public static (double? Ra, double? Dec) Position(JsonObject obj)
    {
        var source = obj["diaObject"] as JsonObject ?? obj;
        return (JsonRead.Double(source["ra"]), JsonRead.Double(source["decl"]));
    }

    /// <summary>The objects-table values: the reply's <c>lasairData</c>, or a list row itself.</summary>
    public static JsonObject? Data(JsonObject obj) => obj["lasairData"] as JsonObject ?? (IsObjectPage(obj) ? null : obj);

    /// <summary>
    /// The <paramref name="kind"/> cutout URL (FITS) of the object's newest diaSource: from <c>imageUrls</c>, or, when the
    /// reply has none (the fallback without Lasair's additions), the site's <c>fits/&lt;diaSourceId&gt;_cutout&lt;Kind&gt;/</c>.
    /// The route ends in "/" and the URLs Lasair gives do not (a redirect each): the slash is added.
    /// </summary>
    public static string? ImageUrl(JsonObject obj, string kind, Uri site)
    {
        var newest = JsonRead.Objects(obj["diaSourcesList"])
            .OrderByDescending(s => JsonRead.Double(s["midpointMjdTai"]) ?? double.MinValue)
            .Select(s => ExactId(s["diaSourceId"]))
            .FirstOrDefault(id => id is not null);
        var entries = JsonRead.Objects(Data(obj)?["imageUrls"]).ToList();
        var url = JsonRead.String(entries.FirstOrDefault(e => newest is not null && ExactId(e["diaSourceId"]) == newest)?[kind])
                  ?? entries.Select(e => JsonRead.String(e[kind])).FirstOrDefault(u => u is not null);
        if (url is null)
        {
            return newest is null ? null : new Uri(site, $"fits/{newest}_cutout{kind}/").ToString();
        }
        return url.EndsWith('/') || url.Contains('?', StringComparison.Ordinal) ? url : url + "/";
    }

    public static DateTime? LastTime(JsonObject obj)
    {
        var last = JsonRead.Double(Data(obj)?["lastDiaSourceMjdTai"]) ?? JsonRead.Double((obj["diaObject"] as JsonObject)?["lastDiaSourceMjdTai"]);
        return last is > 0 ? AstroTime.FromMjdTai(last.Value) : Detections(obj).MaxBy(p => p.Timestamp)?.Timestamp;
    }

    /// <summary>
    /// A list row's magnitude from its latest flux (nJy) when that is positive; for an object reply, that of the newest
    /// detection bright enough for one (a negative difference flux, a fading source, has none).
    /// </summary>
    public static double? LatestMagnitude(JsonObject obj)
    {
        if (IsObjectPage(obj))
        {
            return Detections(obj).Where(p => p.Magnitude is not null).MaxBy(p => p.Timestamp)?.Magnitude;
        }
        return JsonRead.Double(obj["latest_psfFlux"]) is > 0 and var flux ? FluxMagnitudes.Magnitude(flux) : null;
    }

    private static readonly string[] BandLetters = ["u", "g", "r", "i", "z", "y"];

    /// <summary>
    /// The band of <see cref="LatestMagnitude"/>: the newest such detection's; for a list row the one band whose latest
    /// flux is the latest flux (none when two bands share it, or none does).
    /// </summary>
    public static string? LatestBand(JsonObject obj)
    {
        if (IsObjectPage(obj))
        {
            return Detections(obj).Where(p => p.Magnitude is not null).MaxBy(p => p.Timestamp)?.Bandpass;
        }
        if (JsonRead.Double(obj["latest_psfFlux"]) is not (> 0 and var latest))
        {
            return null;
        }
        var bands = BandLetters.Where(b => JsonRead.Double(obj[b + "_psfFlux"]) is { } f && f == latest).ToList();
        return bands.Count == 1 ? bands[0] : null;
    }

    /// <summary>The first and last detection (MJD TAI) of the objects row or diaObject, else of the diaSources listed.</summary>
    public static (DateTime? First, DateTime? Last) DetectionSpan(JsonObject obj)
    {
        var data = Data(obj);
        var diaObject = obj["diaObject"] as JsonObject;
        DateTime? Mjd(string key) =>
            (JsonRead.Double(data?[key]) ?? JsonRead.Double(diaObject?[key])) is > 0 and var mjd ? AstroTime.FromMjdTai(mjd) : null;
        var listed = Detections(obj).Select(p => p.Timestamp).ToList();
        return (Mjd("firstDiaSourceMjdTai") ?? (listed.Count > 0 ? listed.Min() : null),
            Mjd("lastDiaSourceMjdTai") ?? (listed.Count > 0 ? listed.Max() : null));
    }

    /// <summary><c>nDiaSources</c>, else the number of diaSources listed.</summary>
    public static int? DetectionCount(JsonObject obj) =>
        JsonRead.Long(Data(obj)?["nDiaSources"]) is >= 0 and <= int.MaxValue and var n ? (int)n
        : obj["diaSourcesList"] is JsonArray ? JsonRead.Objects(obj["diaSourcesList"]).Count() : null;

    public static string? SherlockClassification(JsonObject obj) =>
        Data(obj) is { } data && data["sherlock"] is JsonObject sherlock ? JsonRead.String(sherlock["classification"])
        : IsObjectPage(obj) ? null
        : JsonRead.String(obj["classification"]);

    public static JsonObject? Tns(JsonObject obj) => Data(obj)?["TNS"] as JsonObject;

    /// <summary>The TNS name with its prefix ("SN2023vjq") from the reply's TNS match, or a list row's bare <c>tns_name</c>.</summary>
    public static string? TnsName(JsonObject obj) =>
        Tns(obj) is { } tns && JsonRead.String(tns["tns_name"]) is { } name
            ? (JsonRead.String(tns["tns_prefix"]) ?? "") + name
            : JsonRead.String(Data(obj)?["tns_name"]);

    public static string? BareTnsName(JsonObject obj) => JsonRead.String(Tns(obj)?["tns_name"]) ?? JsonRead.String(Data(obj)?["tns_name"]);

    public static string ObjectPage(string id) => ObjectPageUrl + Uri.EscapeDataString(id) + "/";

    public static IEnumerable<PhotometryPoint> Detections(JsonObject obj) => Read(obj["diaSourcesList"], PhotometryKind.Detection, "diaSourceId");

    public static IEnumerable<PhotometryPoint> Forced(JsonObject obj) => Read(obj["diaForcedSourcesList"], PhotometryKind.Forced, "diaForcedSourceId");

    /// <summary>
    /// Detections and forced photometry as points, sorted by time. psfFlux is a difference-image flux in nJy (the one
    /// flux-to-magnitude rule decides magnitude or limit); times are midpointMjdTai.
    /// </summary>
    public static List<PhotometryPoint> Points(JsonObject obj) => Detections(obj).Concat(Forced(obj)).OrderBy(p => p.Timestamp).ToList();

    private static IEnumerable<PhotometryPoint> Read(JsonNode? rows, PhotometryKind kind, string idKey)
    {
        foreach (var row in JsonRead.Objects(rows))
        {
            if (JsonRead.Double(row["midpointMjdTai"]) is not { } mjd || JsonRead.String(row["band"]) is not { } band)
            {
                continue;
            }
            var flux = JsonRead.Double(row["psfFlux"]);
            if (flux is { } f && JsonRead.Bool(row["isNegative"]) == true)
            {
                flux = -Math.Abs(f);
            }
            if (FluxMagnitudes.FromFlux(AstroTime.FromMjdTai(mjd), band, flux, JsonRead.Double(row["psfFluxErr"]), FluxUnit, kind) is { } point)
            {
                yield return point with { Survey = SurveyName, Telescope = SurveyName, SourceId = ExactId(row[idKey]) };
            }
        }
    }
}
