using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Tns;

/// <summary>Reads the <c>data</c> of a TNS <c>get/object</c> reply, tolerating missing keys and "" values.</summary>
internal static partial class TnsObject
{
    public static string? ObjName(JsonObject obj) => JsonRead.String(obj["objname"]);

    /// <summary>"SN2023vjq", "TDE2024tvd", "FRB20190520B": TNS keeps the prefix apart from objname; the name is prefix then objname.</summary>
    public static string Name(JsonObject obj) => (JsonRead.String(obj["name_prefix"])?.Trim() ?? "") + (ObjName(obj)?.Trim() ?? "");

    public static (double? Ra, double? Dec) Position(JsonObject obj)
    {
        var ra = JsonRead.Double(obj["radeg"]);
        var dec = JsonRead.Double(obj["decdeg"]);
        if (ra is null && Angles.TryParseRa(JsonRead.String(obj["ra"]), out var parsedRa))
        {
            ra = parsedRa;
        }
        if (dec is null && Angles.TryParseDec(JsonRead.String(obj["dec"]), out var parsedDec))
        {
            dec = parsedDec;
        }
        return (ra, dec);
    }

    public static DateTime? DiscoveryDate(JsonObject obj) =>
        JsonRead.String(obj["discoverydate"]) is { } text ? TnsForm.ParseDate(text) : null;

    /// <summary>The band of the discovery magnitude (<c>discmagfilter.name</c>, "r").</summary>
    public static string? DiscoveryFilter(JsonObject obj) =>
        obj["discmagfilter"] is JsonObject filter ? JsonRead.String(filter["name"]) : JsonRead.String(obj["discmagfilter"]);

    public static string? Type(JsonObject obj) => obj["object_type"] is JsonObject type ? JsonRead.String(type["name"]) : JsonRead.String(obj["type"]);

    public static string? GroupName(JsonNode? group) => group is JsonObject o ? JsonRead.String(o["group_name"]) : JsonRead.String(group);

    /// <summary>A number for a target extra, whether TNS sent it as a number or a string.</summary>
    public static string? Number(JsonNode? node) =>
        JsonRead.Double(node)?.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Survey names such as "ZTF23abtfusv, ATLAS23vxk", split and trimmed.</summary>
    public static IEnumerable<string> InternalNames(JsonObject obj) =>
        (JsonRead.String(obj["internal_names"]) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The text of a not-found reply ("No results found."), which carries no objname.</summary>
    public static string? NotFoundMessage(JsonObject data) =>
        data.Select(e => e.Value).OfType<JsonObject>()
            .SelectMany(block => block.Select(e => e.Value).OfType<JsonObject>())
            .Select(message => JsonRead.String(message["message"]))
            .FirstOrDefault(m => m is not null);

    /// <summary>
    /// TOM's days_from_nondet rule: the first detection must follow the last non-detection (the row TNS marks
    /// "Last non detection") by less than <paramref name="maxDays"/>. Without a marked non-detection TOM counts from
    /// JD 0, so such objects never pass. Unlike TOM, unmarked rows that are limits (no flux, or a flux below the
    /// signal-to-noise threshold) are not detections.
    /// </summary>
    public static bool DetectedWithinDaysOfNondetection(JsonObject obj, double maxDays, double minFluxSnr)
    {
        var rows = JsonRead.Objects(obj["photometry"]).ToList();
        var lastNondetection = rows.Where(IsLastNondetection).Select(r => JsonRead.Double(r["jd"])).Max() ?? 0;
        var firstDetection = rows.Where(r => !IsLastNondetection(r) && TnsPhotometry.Point(r, default, "", minFluxSnr)?.Magnitude is not null)
            .Select(r => JsonRead.Double(r["jd"])).Min();
        return firstDetection is { } first && first - lastNondetection < maxDays;
    }

    private static bool IsLastNondetection(JsonObject row) =>
        JsonRead.String(row["remarks"]) is { } remarks && LastNondetection().IsMatch(remarks);

    [GeneratedRegex(@"last\s+non[\s-]?detection", RegexOptions.IgnoreCase)]
    private static partial Regex LastNondetection();
}
