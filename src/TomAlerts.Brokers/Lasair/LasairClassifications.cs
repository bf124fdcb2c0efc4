using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Lasair;

/// <summary>
/// Lasair's classes of an object, ZTF and LSST alike: Sherlock's context class (no probability), and each annotation an
/// annotator attached (its topic the model, with its version, class, time and the probability its <c>classdict</c> gives).
/// </summary>
internal static class LasairClassifications
{
    public static IReadOnlyList<AlertClassification> Read(string broker, string? sherlock, JsonObject? data, JsonObject obj)
    {
        var classes = new List<AlertClassification>();
        if (sherlock is not null)
        {
            classes.Add(new AlertClassification(broker, "sherlock", null, sherlock, null));
        }
        var annotations = data?["annotations"] as JsonArray ?? obj["annotations"] as JsonArray;
        foreach (var row in JsonRead.Objects(annotations))
        {
            if (JsonRead.String(row["classification"]) is not { } className)
            {
                continue;
            }
            classes.Add(new AlertClassification(broker, JsonRead.String(row["topic"]) ?? "annotation", JsonRead.String(row["version"]),
                className, Probability(row["classdict"], className), Time(row["timestamp"])));
        }
        return classes;
    }

    /// <summary>
    /// The classdict's probability: its value for the class itself, else its one number between 0 and 1. Annotators
    /// send it as a JSON object or as JSON text; anything else gives none.
    /// </summary>
    private static double? Probability(JsonNode? classdict, string className)
    {
        var dict = classdict as JsonObject;
        if (dict is null && JsonRead.String(classdict) is { } text)
        {
            try
            {
                dict = JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException)
            {
                return null;
            }
        }
        if (dict is null)
        {
            return null;
        }
        if (JsonRead.Double(dict[className]) is { } own and >= 0 and <= 1)
        {
            return own;
        }
        var numbers = dict.Select(kv => JsonRead.Double(kv.Value)).OfType<double>().Where(p => p is >= 0 and <= 1).ToList();
        return numbers.Count == 1 ? numbers[0] : null;
    }

    /// <summary>Lasair's annotation time, "2026-03-10 04:12:55" in UTC.</summary>
    private static DateTime? Time(JsonNode? node) =>
        JsonRead.String(node) is { } text
        && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
}
