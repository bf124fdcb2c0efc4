using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Lasair;

/// <summary>One row of an object's <c>candidates</c>: a detection when it has a <c>candid</c>, otherwise a non-detection.</summary>
internal sealed record LasairCandidate(long? Candid, DateTime Time, string Band, double? MagPsf, double? SigmaPsf, double? DiffMagLim, double? Ra, double? Dec)
{
    public bool IsDetection => Candid is not null;
}

/// <summary>Reads Lasair's object page (<c>/api/object/?lasair_added=true</c>, §3.3 of the API notes), tolerating missing keys.</summary>
internal static class LasairObject
{
    public static string? Id(JsonObject obj) => JsonRead.String(obj["objectId"]);

    public static JsonObject? Data(JsonObject obj) => obj["objectData"] as JsonObject;

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

    /// <summary>The newest detection. Lasair sorts candidates newest first, but the order is not relied on.</summary>
    public static LasairCandidate? LatestDetection(JsonObject obj) =>
        Candidates(obj).Where(c => c.IsDetection).MaxBy(c => c.Time);

    public static string? SherlockClassification(JsonObject obj) =>
        obj["sherlock"] is JsonObject sherlock ? JsonRead.String(sherlock["classification"]) : null;

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
