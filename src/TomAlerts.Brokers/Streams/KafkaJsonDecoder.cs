using System.Text.Json;
using System.Text.Json.Nodes;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Streams;

/// <summary>
/// A generic Kafka source: each message is one JSON alert (or a JSON array of them) already in the shape of the broker
/// the subscription names, as a team's own relay of a broker's alerts sends them.
/// </summary>
public sealed class KafkaJsonDecoder : IStreamDecoder
{
    public StreamSource Source => StreamSource.Kafka;

    public string? Broker => null;

    public IReadOnlyList<JsonObject> Decode(StreamMessage message)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(message.Value);
        }
        catch (JsonException e)
        {
            throw new StreamMessageException($"The message is not JSON ({e.Message}).", e);
        }
        return node switch
        {
            JsonObject alert => [alert],
            JsonArray alerts when alerts.All(a => a is JsonObject) => alerts.Select(a => (JsonObject)a!.DeepClone()).ToList(),
            _ => throw new StreamMessageException("The message is JSON but neither an alert object nor a list of them."),
        };
    }
}
