using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Streams;

/// <summary>Reading a message value that is one JSON document, plain or gzip-compressed.</summary>
internal static class StreamJson
{
    /// <summary>The value as a JSON object, or a <see cref="StreamMessageException"/> saying why it is not one.</summary>
    public static JsonObject Object(StreamMessage message, string what)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(Unzipped(message.Value));
        }
        catch (JsonException e)
        {
            throw new StreamMessageException($"The message is not JSON ({e.Message}); a {what} is a JSON object.", e);
        }
        return node as JsonObject ?? throw new StreamMessageException($"The message is JSON but not an object; a {what} is a JSON object.");
    }

    /// <summary>The bytes, decompressed when they start with gzip's magic number.</summary>
    public static byte[] Unzipped(byte[] value)
    {
        if (value.Length < 2 || value[0] != 0x1f || value[1] != 0x8b)
        {
            return value;
        }
        try
        {
            using var input = new GZipStream(new MemoryStream(value), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new StreamMessageException($"The message starts as gzip but cannot be decompressed ({e.Message}).", e);
        }
    }

    /// <summary>A header as text (UTF-8), or null when absent.</summary>
    public static string? Header(StreamMessage message, string name) =>
        message.Headers.TryGetValue(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
