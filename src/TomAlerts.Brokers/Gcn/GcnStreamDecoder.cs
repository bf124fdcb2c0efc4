using System.Text.Json.Nodes;
using TomAlerts.Brokers.Streams;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Gcn;

/// <summary>
/// NASA GCN's Kafka topics in JSON: <c>igwn.gwalert</c> (gravitational-wave alerts, as Hermes events),
/// <c>gcn.notices.*</c> (unified-schema notices such as <c>gcn.notices.swift.bat.guano</c>,
/// <c>gcn.notices.einstein_probe.wxt.alert</c>, <c>gcn.notices.icecube.lvk_nu_track_search</c>, as Hermes message
/// alerts at their positions) and <c>gcn.circulars</c>; see <see cref="GcnNotices"/>. The classic VOEvent, text and
/// binary topics are refused with the JSON topic to subscribe to instead.
/// </summary>
public sealed class GcnStreamDecoder : IStreamDecoder
{
    public StreamSource Source => StreamSource.Gcn;

    public string? Broker => "Hermes";

    public IReadOnlyList<JsonObject> Decode(StreamMessage message)
    {
        if (GcnNotices.UnreadFormat(message.Topic) is { } refused)
        {
            throw new StreamMessageException(refused);
        }
        if (GcnNotices.IsXml(message.Value))
        {
            throw new StreamMessageException(GcnNotices.FormatMessage(message.Topic, "VOEvent XML"));
        }
        return GcnNotices.Decode(message.Topic, StreamJson.Object(message, "GCN notice"));
    }
}
