using System.Text;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Tests.Streams;

/// <summary>Kafka messages as a consumer receives them.</summary>
internal static class Messages
{
    public static StreamMessage Of(string topic, byte[] value, byte[]? key = null, IReadOnlyDictionary<string, byte[]>? headers = null) =>
        new(topic, 0, 42, key, value, headers ?? new Dictionary<string, byte[]>(), new DateTime(2026, 4, 3, 1, 52, 10, DateTimeKind.Utc));

    public static StreamMessage Json(string topic, string json, IReadOnlyDictionary<string, byte[]>? headers = null) =>
        Of(topic, Encoding.UTF8.GetBytes(json), headers: headers);
}
