using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Alerce;

/// <summary>
/// What ALeRCE's listing rows lack, read from the object's further answers: every classifier's classes (the
/// <c>probabilities</c> rows, ZTF and LSST alike), and the latest magnitude (ZTF <c>magstats</c>, one row per band;
/// LSST detections, difference fluxes in nJy).
/// </summary>
internal static class AlerceDetails
{
    /// <summary>Where <see cref="AlerceBroker.DescribeAsync"/> leaves the object's probability rows beside the listing row.</summary>
    public const string ProbabilitiesKey = "probabilities";

    /// <summary>Where the ZTF object's magstats rows go beside the listing row.</summary>
    public const string MagstatsKey = "magstats";

    private static readonly Dictionary<long, string> ZtfBands = new() { [1] = "g", [2] = "r", [3] = "i" };

    /// <summary>
    /// Every class of every classifier in the probability rows, each classifier's classes by ranking (the best first),
    /// the classifiers in the order the answer names them; without rows, the listing's own class, classifier and
    /// probability (<paramref name="classKey"/> is <c>class</c> for ZTF, <c>class_name</c> for LSST).
    /// </summary>
    public static IReadOnlyList<AlertClassification> Classifications(string broker, JsonObject alert, string classKey, string classifierKey)
    {
        var rows = JsonRead.Objects(alert[ProbabilitiesKey])
            .Select(r => (Classifier: JsonRead.String(r["classifier_name"]), Version: JsonRead.String(r["classifier_version"]),
                ClassName: JsonRead.String(r["class_name"]), Probability: Probability(r["probability"]),
                Ranking: JsonRead.Long(r["ranking"]) ?? long.MaxValue))
            .Where(r => r.Classifier is not null && r.ClassName is not null)
            .ToList();
        if (rows.Count > 0)
        {
            return rows
                .GroupBy(r => (r.Classifier, r.Version))
                .SelectMany(g => g.OrderBy(r => r.Ranking).ThenByDescending(r => r.Probability ?? -1))
                .Select(r => new AlertClassification(broker, r.Classifier!, r.Version, r.ClassName!, r.Probability))
                .ToList();
        }
        return JsonRead.String(alert[classKey]) is { } className
            ? [new AlertClassification(broker, JsonRead.String(alert[classifierKey]) ?? "lc_classifier",
                JsonRead.String(alert["classifier_version"]), className, Probability(alert["probability"]))]
            : [];
    }

    /// <summary>A probability 0–1; anything outside is not one.</summary>
    public static double? Probability(JsonNode? node) => JsonRead.Double(node) is { } p and >= 0 and <= 1 ? p : null;

    /// <summary>The latest magnitude of the ZTF magstats rows: <c>maglast</c> of the band seen last (<c>lastmjd</c>).</summary>
    public static (double Mag, string Band)? LatestZtf(JsonNode? magstats) =>
        JsonRead.Objects(magstats)
            .Select(r => (Mjd: JsonRead.Double(r["lastmjd"]), Mag: JsonRead.Double(r["maglast"]), Fid: JsonRead.Long(r["fid"])))
            .Where(r => r.Mag is not null && r.Fid is not null)
            .OrderByDescending(r => r.Mjd ?? double.MinValue)
            .Select(r => ((double Mag, string Band)?)(r.Mag!.Value, ZtfBand(r.Fid!.Value)))
            .FirstOrDefault();

    public static string ZtfBand(long fid) => ZtfBands.GetValueOrDefault(fid) ?? $"fid{fid}";

    /// <summary>
    /// The newest LSST detection bright enough for a magnitude and its band (a negative or low-S/N difference flux, a
    /// source fainter than its template, has none), as Lasair's object page is read.
    /// </summary>
    public static (double? Mag, string? Band) LatestLsst(JsonNode? detections)
    {
        var curve = detections is JsonArray rows ? new JsonObject { ["detections"] = rows.DeepClone() } : detections;
        var latest = AlerceLsst.Points(curve).Where(p => p.Magnitude is not null).MaxBy(p => p.Timestamp);
        return latest is null ? (null, null) : (latest.Magnitude, latest.Bandpass);
    }

    public static DateTime? Mjd(JsonNode? node, bool tai) =>
        JsonRead.Double(node) is { } mjd and > 0 ? tai ? AstroTime.FromMjdTai(mjd) : AstroTime.FromMjd(mjd) : null;

    public static int? Count(JsonNode? node) => JsonRead.Long(node) is { } n and >= 0 and <= int.MaxValue ? (int)n : null;
}
