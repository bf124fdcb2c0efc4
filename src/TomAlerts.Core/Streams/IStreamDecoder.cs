using System.Text.Json.Nodes;

namespace TomAlerts.Streams;

/// <summary>One Kafka message as received.</summary>
public sealed record StreamMessage(
    string Topic, int Partition, long Offset, byte[]? Key, byte[] Value, IReadOnlyDictionary<string, byte[]> Headers, DateTime Timestamp);

/// <summary>A message that is not a readable alert of its source (a poison message): it goes to the dead letters with <see cref="Exception.Message"/>.</summary>
public sealed class StreamMessageException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>
/// Turns a source's messages into raw alerts in the shape its broker's HTTP answers have, so the broker's
/// <c>ToGenericAlert</c>, <c>ToTarget</c> and <c>ProcessReducedDataAsync</c> read them as they read a run's alerts.
/// A subscription's local filter is the broker's (<c>IFiltersAlerts</c>). Decoders are stateless singletons.
/// </summary>
public interface IStreamDecoder
{
    StreamSource Source { get; }

    /// <summary>The broker whose payloads this decoder produces; null when the subscription names it (a generic Kafka source).</summary>
    string? Broker { get; }

    /// <summary>The alerts in <paramref name="message"/>; empty for a message that carries none (a heartbeat). Throws <see cref="StreamMessageException"/> for a message it cannot read.</summary>
    IReadOnlyList<JsonObject> Decode(StreamMessage message);
}
