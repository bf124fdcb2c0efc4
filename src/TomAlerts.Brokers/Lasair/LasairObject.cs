using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Lasair;

/// <summary>One row of an object's <c>candidates</c>: a detection when it has a <c>candid</c>, otherwise a non-detection.</summary>
internal sealed record LasairCandidate(long? Candid, DateTime Time, string Band, double? MagPsf, double? SigmaPsf, double? DiffMagLim, double? Ra, double? Dec)
{
    public bool IsDetection => Candid is not null;
}

/// <summary>
/// Reads Lasair's two shapes of an object, tolerating missing keys: the object page (<c>/api/object/?lasair_added=true</c>,
/// §3.3 of the API notes) and the list row a search gives (<c>/api/query/</c> with <see cref="ListColumns"/>, whose keys
/// are the <c>objects</c> columns, the same names as the page's <c>objectData</c>).
/// </summary>
internal static class LasairObject
{
    private const string SherlockTable = "sherlock_classifications";

    /// <summary>
    /// What a search's list row holds: position, latest magnitude per band with its date, first and last dates and
    /// detection counts (columns of <c>objects</c>, §3.3), and Sherlock's class when its table is joined.
    /// </summary>
    private static readonly string[] ObjectColumns =
    [
        "objectId", "ramean", "decmean", "glonmean", "glatmean", "jdmin", "jdmax", "jdgmax", "jdrmax", "gmag", "rmag", "ncand", "ncandgp",
    ];

    public static string ListColumns(bool sherlock) =>
        string.Join(", ", ObjectColumns.Select(c => "objects." + c).Concat(sherlock ? [SherlockTable + ".classification"] : []));

    /// <summary>Whether conditions refer to Sherlock's table, which then must be named in <c>tables</c> (Lasair joins it on objectId).</summary>
    public static bool NamesSherlockTable(string conditions) => conditions.Contains(SherlockTable, StringComparison.OrdinalIgnoreCase);

    /// <summary>Lasair's query check refuses any conditions containing "limit" or "offset", even inside a quoted id.</summary>
    public static bool CanList(string objectId) =>
        !objectId.Contains("limit", StringComparison.Ordinal) && !objectId.Contains("offset", StringComparison.Ordinal) && !objectId.Contains('"');

    /// <summary><c>objects.objectId IN ("…", …)</c> over <paramref name="ids"/>, split so none is longer than <paramref name="maxLength"/>.</summary>
    public static IEnumerable<(string Conditions, int Count)> IdConditions(IReadOnlyList<string> ids, int maxLength)
    {
        const string prefix = "objects.objectId IN (";
        var chunk = new List<string>();
        var length = prefix.Length + 1;
        foreach (var id in ids)
        {
            var quoted = $"\"{id}\"";
            if (chunk.Count > 0 && length + quoted.Length + 2 > maxLength)
            {
                yield return (prefix + string.Join(", ", chunk) + ")", chunk.Count);
                chunk.Clear();
                length = prefix.Length + 1;
            }
            chunk.Add(quoted);
            length += quoted.Length + 2;
        }
        if (chunk.Count > 0)
        {
            yield return (prefix + string.Join(", ", chunk) + ")", chunk.Count);
        }
    }

    public static string? Id(JsonObject obj) => JsonRead.String(obj["objectId"]);

    /// <summary>The object page (with or without lasair_added), as opposed to a search's list row.</summary>
    public static bool IsObjectPage(JsonObject obj) => obj.ContainsKey("objectData") || obj.ContainsKey("candidates");

    /// <summary>The objects-table values: the page's <c>objectData</c>, or a list row itself.</summary>
    public static JsonObject? Data(JsonObject obj) => obj["objectData"] as JsonObject ?? (IsObjectPage(obj) ? null : obj);

    /// <summary>A list row's latest magnitude, of the band observed last, that band, and the date of the last detection.</summary>
    public static (double? Mag, string? Band, DateTime? Time) LatestMagnitude(JsonObject obj)
    {
        var data = Data(obj);
        var (g, r) = (JsonRead.Double(data?["gmag"]), JsonRead.Double(data?["rmag"]));
        var (gAt, rAt) = (JsonRead.Double(data?["jdgmax"]), JsonRead.Double(data?["jdrmax"]));
        var (mag, band) = g is null ? (r, r is null ? null : "r")
            : r is null ? (g, "g")
            : (rAt ?? double.MinValue) > (gAt ?? double.MinValue) ? (r, "r") : (g, "g");
        var last = JsonRead.Double(data?["jdmax"]) ?? (g is null ? rAt : r is null ? gAt : Math.Max(gAt ?? 0, rAt ?? 0));
        return (mag, band, last is > 0 ? AstroTime.FromJd(last.Value) : null);
    }

    /// <summary>The first and last detection (<c>jdmin</c>, <c>jdmax</c>), else those of the candidates listed.</summary>
    public static (DateTime? First, DateTime? Last) DetectionSpan(JsonObject obj)
    {
        var data = Data(obj);
        var detections = Candidates(obj).Where(c => c.IsDetection).Select(c => c.Time).ToList();
        DateTime? Jd(string key) => JsonRead.Double(data?[key]) is > 0 and var jd ? AstroTime.FromJd(jd) : null;
        return (Jd("jdmin") ?? (detections.Count > 0 ? detections.Min() : null), Jd("jdmax") ?? (detections.Count > 0 ? detections.Max() : null));
    }

    /// <summary>How many detections: <c>ncand</c> (or the positive ones, <c>ncandgp</c>, when only those were selected), else those listed.</summary>
    public static int? DetectionCount(JsonObject obj)
    {
        var data = Data(obj);
        var count = JsonRead.Long(data?["ncand"]) ?? JsonRead.Long(data?["ncandgp"]);
        if (count is >= 0 and <= int.MaxValue)
        {
            return (int)count;
        }
        return obj["candidates"] is JsonArray ? Candidates(obj).Count(c => c.IsDetection) : null;
    }

    public static IEnumerable<LasairCandidate> Candidates(JsonObject obj)
    {
        foreach (var row in JsonRead.Objects(obj["candidates"]))
        {
            var time = JsonRead.Double(row["mjd"]) is { } mjd ? AstroTime.FromMjd(mjd)
                : JsonRead.Double(row["jd"]) is { } jd ? AstroTime.FromJd(jd)
                : (DateTime?)null;
            if (time is null || Band(JsonRead.Long(row["fid"])) is not { } band)
            {
                continue;
            }
            yield return new LasairCandidate(
                JsonRead.Long(row["candid"]), time.Value, band,
                JsonRead.Double(row["magpsf"]), JsonRead.Double(row["sigmapsf"]), JsonRead.Double(row["diffmaglim"]),
                JsonRead.Double(row["ra"]), JsonRead.Double(row["dec"]));
        }
    }

    /// <summary>The <paramref name="kind"/> cutout URL (FITS) of the newest detection that has one, from the candidates' <c>image_urls</c>.</summary>
    public static string? ImageUrl(JsonObject obj, string kind) =>
        JsonRead.Objects(obj["candidates"])
            .Where(c => c["image_urls"] is JsonObject)
            .OrderByDescending(c => JsonRead.Double(c["mjd"]) ?? JsonRead.Double(c["jd"]) ?? double.MinValue)
            .Select(c => JsonRead.String(c["image_urls"]![kind]))
            .FirstOrDefault(url => url is not null)
        ?? JsonRead.String((obj["image_urls"] as JsonObject)?[kind]);

    /// <summary>The newest detection. Lasair sorts candidates newest first, but the order is not relied on.</summary>
    public static LasairCandidate? LatestDetection(JsonObject obj) =>
        Candidates(obj).Where(c => c.IsDetection).MaxBy(c => c.Time);

    public static string? SherlockClassification(JsonObject obj) =>
        obj["sherlock"] is JsonObject sherlock ? JsonRead.String(sherlock["classification"])
        : IsObjectPage(obj) ? null
        : JsonRead.String(obj["classification"]);

    /// <summary>The TNS name with its prefix ("SN2023vjq"), when Lasair matched the object to a TNS entry.</summary>
    public static string? TnsName(JsonObject obj) =>
        Tns(obj) is { } tns && JsonRead.String(tns["tns_name"]) is { } name
            ? (JsonRead.String(tns["tns_prefix"]) ?? "") + name
            : null;

    public static JsonObject? Tns(JsonObject obj) => obj["TNS"] as JsonObject;

    private static string? Band(long? fid) => fid switch
    {
        1 => "g",
        2 => "r",
        3 => "i",
        _ => null,
    };
}
