using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Tests.Streams;

/// <summary>BSON documents (spec 1.1) written from JSON, zlib-compressed as ANTARES sends its loci.</summary>
internal static class Bson
{
    public static byte[] Zlib(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(bytes);
        }
        return buffer.ToArray();
    }

    public static byte[] Write(JsonObject document)
    {
        using var buffer = new MemoryStream();
        WriteDocument(buffer, document.Select(e => (e.Key, e.Value)));
        return buffer.ToArray();
    }

    private static void WriteDocument(MemoryStream output, IEnumerable<(string Name, JsonNode? Value)> elements)
    {
        using var body = new MemoryStream();
        foreach (var (name, value) in elements)
        {
            WriteElement(body, name, value);
        }
        body.WriteByte(0);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, (int)body.Length + 4);
        output.Write(length);
        body.WriteTo(output);
    }

    private static void WriteElement(MemoryStream output, string name, JsonNode? value)
    {
        void Head(byte type)
        {
            output.WriteByte(type);
            output.Write(Encoding.UTF8.GetBytes(name));
            output.WriteByte(0);
        }
        Span<byte> eight = stackalloc byte[8];
        switch (value)
        {
            case null:
                Head(0x0A);
                break;
            case JsonObject obj:
                Head(0x03);
                WriteDocument(output, obj.Select(e => (e.Key, e.Value)));
                break;
            case JsonArray array:
                Head(0x04);
                WriteDocument(output, array.Select((item, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), item)));
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                Head(0x02);
                var text = Encoding.UTF8.GetBytes(v.GetValue<string>());
                Span<byte> length = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(length, text.Length + 1);
                output.Write(length);
                output.Write(text);
                output.WriteByte(0);
                break;
            case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                Head(0x08);
                output.WriteByte(v.GetValue<bool>() ? (byte)1 : (byte)0);
                break;
            case JsonValue v when v.TryGetValue(out long l) && !v.ToJsonString().Contains('.'):
                Head(0x12);
                BinaryPrimitives.WriteInt64LittleEndian(eight, l);
                output.Write(eight);
                break;
            case JsonValue v:
                Head(0x01);
                BinaryPrimitives.WriteDoubleLittleEndian(eight, double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture));
                output.Write(eight);
                break;
        }
    }
}
