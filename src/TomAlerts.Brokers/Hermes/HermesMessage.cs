using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Hermes;

/// <summary>
/// A message as <c>messages/</c> lists it: <c>{id, uuid, nonlocalizedevents[{event_id}], targets[{id, name,
/// right_ascension, declination, …}]}</c>. A run stores one alert per target: the message's id, uuid and events with that
/// one target under <c>target</c>. A target the server has no coordinate for has null positions. An alert streamed
/// from Kafka (a Hopskotch message, a GCN notice or circular) may also carry <c>time</c> (ISO 8601, UTC) and <c>url</c>
/// (its page, when it is not a Hermes message).
/// </summary>
internal static class HermesMessage
{
    private const string TargetKey = "target";

    public static bool IsMessageAlert(JsonObject alert) => alert[TargetKey] is JsonObject;

    public static IEnumerable<JsonObject> PerTarget(JsonObject message)
    {
        foreach (var target in JsonRead.Objects(message["targets"]))
        {
            yield return new JsonObject
            {
                ["id"] = message["id"]?.DeepClone(),
                ["uuid"] = message["uuid"]?.DeepClone(),
                ["nonlocalizedevents"] = message["nonlocalizedevents"]?.DeepClone(),
                [TargetKey] = target.DeepClone(),
            };
        }
    }

    public static GenericAlert ToGenericAlert(JsonObject alert, Uri apiUrl)
    {
        var uuid = JsonRead.String(alert["uuid"]);
        var events = Events(alert);
        return new GenericAlert
        {
            Id = $"{uuid ?? JsonRead.String(alert["id"])}:{Name(alert)}",
            Name = Name(alert),
            Ra = JsonRead.Double(Target(alert)?["right_ascension"]),
            Dec = JsonRead.Double(Target(alert)?["declination"]),
            // The message page of Hermes' site (the site's root is two levels above its API, api/v0/).
            Url = JsonRead.String(alert["url"]) ?? (uuid is null ? null : new Uri(apiUrl, $"../../message/{Uri.EscapeDataString(uuid)}").ToString()),
            Timestamp = JsonRead.String(alert["time"]) is { } time && HermesForm.ParseTime(time) is { } parsed ? parsed : null,
            Classification = events.Count == 0 ? null : string.Join(", ", events),
        };
    }

    public static TargetCandidate ToTarget(JsonObject alert)
    {
        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonRead.String(alert["uuid"]) is { } uuid)
        {
            extras["hermes_message_uuid"] = uuid;
        }
        if (Events(alert) is { Count: > 0 } events)
        {
            extras["hermes_event_ids"] = string.Join(", ", events);
        }
        return new TargetCandidate
        {
            Name = Name(alert),
            Ra = JsonRead.Double(Target(alert)?["right_ascension"]),
            Dec = JsonRead.Double(Target(alert)?["declination"]),
            Extras = extras,
        };
    }

    private static JsonObject? Target(JsonObject alert) => alert[TargetKey] as JsonObject;

    private static string Name(JsonObject alert) => JsonRead.String(Target(alert)?["name"]) ?? "";

    private static List<string> Events(JsonObject alert) =>
        JsonRead.Objects(alert["nonlocalizedevents"]).Select(e => JsonRead.String(e["event_id"])).OfType<string>().ToList();
}
