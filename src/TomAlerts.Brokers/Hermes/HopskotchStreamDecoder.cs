using System.Text.Json.Nodes;
using TomAlerts.Brokers.Gcn;
using TomAlerts.Brokers.Streams;
using TomAlerts.Sky;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Hermes;

/// <summary>
/// SCiMMA Hopskotch topics, hop-client JSON blobs with the headers <c>_id</c> (the message's UUID, 16 bytes),
/// <c>_sender</c> and <c>title</c>. <c>hermes.*</c> carries Hermes messages (the submission: <c>title, topic,
/// data{event_id, targets[{name, ra, dec}], …}</c>), one message alert per target in the shape Hermes' API lists,
/// with the <c>_id</c> as its uuid; <c>igwn.gwalert</c> and <c>gcn.circulars</c> are read as GCN's
/// (<see cref="GcnNotices"/>); <c>sys.heartbeat</c> carries no alert. GCN's classic text and VOEvent relays are refused.
/// </summary>
public sealed class HopskotchStreamDecoder : IStreamDecoder
{
    public const string HeartbeatTopic = "sys.heartbeat";

    public StreamSource Source => StreamSource.Hopskotch;

    public string? Broker => "Hermes";

    public IReadOnlyList<JsonObject> Decode(StreamMessage message)
    {
        var topic = message.Topic;
        if (topic == HeartbeatTopic)
        {
            return [];
        }
        if (GcnNotices.UnreadFormat(topic) is { } refused)
        {
            throw new StreamMessageException(refused);
        }
        if (GcnNotices.IsXml(message.Value) || StreamJson.Header(message, "_format") == "voevent")
        {
            throw new StreamMessageException(GcnNotices.FormatMessage(topic, "VOEvent XML"));
        }
        var body = StreamJson.Object(message, "Hopskotch message");
        if (topic.StartsWith("hermes.", StringComparison.Ordinal) || body["data"]?["targets"] is JsonArray)
        {
            return HermesMessages(message, body);
        }
        if (topic is GcnNotices.IgwnTopic or GcnNotices.CircularsTopic || topic.StartsWith("gcn.", StringComparison.Ordinal)
            || body.ContainsKey("superevent_id"))
        {
            return GcnNotices.Decode(topic, body);
        }
        throw new StreamMessageException(
            $"TomAlerts does not read the Hopskotch topic {topic}: it reads hermes.*, igwn.gwalert and gcn.circulars.");
    }

    /// <summary>A Hermes message as one alert per target; a message without targets (a text-only note) gives none.</summary>
    private static List<JsonObject> HermesMessages(StreamMessage message, JsonObject body)
    {
        var data = body["data"] as JsonObject;
        var uuid = Uuid(message);
        var eventId = JsonRead.String(data?["event_id"]) ?? JsonRead.String(body["event_id"]);
        var alerts = new List<JsonObject>();
        foreach (var target in JsonRead.Objects(data?["targets"]))
        {
            if (JsonRead.String(target["name"]) is not { } name)
            {
                continue;
            }
            double? ra = Angles.TryParseRa(JsonRead.String(target["ra"]), out var r) ? r : null;
            double? dec = Angles.TryParseDec(JsonRead.String(target["dec"]), out var d) ? d : null;
            alerts.Add(new JsonObject
            {
                ["id"] = null,
                ["uuid"] = uuid,
                ["nonlocalizedevents"] = eventId is null ? new JsonArray() : new JsonArray(new JsonObject { ["event_id"] = eventId }),
                ["target"] = new JsonObject { ["name"] = name, ["right_ascension"] = ra, ["declination"] = dec },
                ["title"] = JsonRead.String(body["title"]) ?? StreamJson.Header(message, "title"),
                ["topic"] = message.Topic,
                ["submitter"] = JsonRead.String(body["submitter"]) ?? StreamJson.Header(message, "_sender"),
            });
        }
        return alerts;
    }

    /// <summary>The <c>_id</c> header: hop-client sends the UUID's 16 bytes (RFC 4122 order); text is taken as it is.</summary>
    private static string? Uuid(StreamMessage message)
    {
        if (!message.Headers.TryGetValue("_id", out var bytes))
        {
            return null;
        }
        if (bytes.Length == 16)
        {
            var hex = Convert.ToHexStringLower(bytes);
            return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
        }
        var text = System.Text.Encoding.UTF8.GetString(bytes).Trim();
        return Guid.TryParse(text, out var guid) ? guid.ToString() : null;
    }
}
