using System.Globalization;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers;

/// <summary>Typed reads of a stored query's parameters, tolerant of values saved as strings.</summary>
public static class ParameterExtensions
{
    public static string? GetString(this JsonObject parameters, string key)
    {
        var node = parameters[key];
        if (node is null)
        {
            return null;
        }
        var text = node is JsonValue v && v.TryGetValue(out string? s) ? s : node.ToJsonString();
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    public static double? GetDouble(this JsonObject parameters, string key)
    {
        var node = parameters[key];
        if (node is JsonValue v)
        {
            if (v.TryGetValue(out double d))
            {
                return d;
            }
            if (v.GetValueKind() == System.Text.Json.JsonValueKind.Number)
            {
                return double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
            }
            if (v.TryGetValue(out string? s)
                && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }
        }
        return null;
    }

    public static long? GetLong(this JsonObject parameters, string key) =>
        parameters.GetDouble(key) is { } d ? (long)Math.Round(d) : null;

    public static bool GetBool(this JsonObject parameters, string key) =>
        parameters[key] is JsonValue v && (v.TryGetValue(out bool b) ? b : v.TryGetValue(out string? s) && s is "true" or "True");
}
