using System.Globalization;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers;

/// <summary>Lenient reads of broker JSON: numbers may arrive as strings, and null, "", "NaN" or "null" mean absent.</summary>
public static class JsonRead
{
    public static double? Double(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }
        if (value.TryGetValue(out double d))
        {
            return double.IsFinite(d) ? d : null;
        }
        if (value.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            // Any numeric backing type (int, decimal …), as JSON text.
            return double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : null;
        }
        if (value.TryGetValue(out string? s)
            && double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            && double.IsFinite(parsed))
        {
            return parsed;
        }
        return null;
    }

    public static long? Long(JsonNode? node)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue(out long l))
            {
                return l;
            }
            if (value.TryGetValue(out string? s) && long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }
            if (value.TryGetValue(out double d) && double.IsFinite(d))
            {
                return (long)d;
            }
            if (value.GetValueKind() == System.Text.Json.JsonValueKind.Number
                && long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                return number; // an int or other numeric backing type, set in code rather than parsed
            }
        }
        return null;
    }

    public static string? String(JsonNode? node)
    {
        var text = node switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out string? s) => s,
            JsonValue v => v.ToJsonString(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) || text is "null" or "None" ? null : text.Trim();
    }

    public static bool? Bool(JsonNode? node) =>
        node is JsonValue v
            ? v.TryGetValue(out bool b) ? b
            : v.TryGetValue(out string? s) ? s.Trim().ToLowerInvariant() is "true" or "t" or "1" or "yes" : null
            : null;

    /// <summary>An array's objects, skipping nulls and anything that is not an object.</summary>
    public static IEnumerable<JsonObject> Objects(JsonNode? node) =>
        node is JsonArray array ? array.OfType<JsonObject>() : [];
}
