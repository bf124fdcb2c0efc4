using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Streams;

/// <summary>
/// A BSON document read as JSON (BSON spec 1.1): numbers, strings, documents, arrays, booleans, nulls and dates (as
/// ISO 8601 text); binary data is left out, ObjectIds become their hex text. A malformed document throws <see cref="FormatException"/>.
/// </summary>
internal static class BsonJson
{
    /// <summary>Whether <paramref name="bytes"/> can be a BSON document: its first four bytes give its length, and it ends in a zero.</summary>
    public static bool LooksLikeBson(byte[] bytes) =>
        bytes.Length >= 5 && BinaryPrimitives.ReadInt32LittleEndian(bytes) == bytes.Length && bytes[^1] == 0;

    public static JsonObject Read(byte[] bytes)
    {
        var position = 0;
        var document = Document(bytes, ref position, isArray: false);
        if (position != bytes.Length)
        {
            throw new FormatException($"{bytes.Length - position} bytes follow the BSON document.");
        }
        return (JsonObject)document;
    }

    private static JsonNode Document(byte[] bytes, ref int position, bool isArray)
    {
        var start = position;
        var length = Int32(bytes, ref position);
        if (length < 5 || start + length > bytes.Length)
        {
            throw new FormatException($"A BSON document at byte {start} claims {length} bytes.");
        }
        var end = start + length - 1;
        var obj = new JsonObject();
        var array = new JsonArray();
        while (position < end)
        {
            var type = bytes[position++];
            var name = CString(bytes, ref position, end);
            var value = Value(type, bytes, ref position);
            if (value is Skip)
            {
                continue;
            }
            var node = (JsonNode?)value;
            if (isArray)
            {
                array.Add(node);
            }
            else
            {
                obj[name] = node;
            }
        }
        if (position != end || bytes[end] != 0)
        {
            throw new FormatException($"The BSON document at byte {start} does not end where its length says.");
        }
        position = end + 1;
        return isArray ? array : obj;
    }

    private sealed class Skip
    {
        public static readonly Skip Value = new();
    }

    private static object? Value(byte type, byte[] bytes, ref int position)
    {
        switch (type)
        {
            case 0x01:
                var d = BinaryPrimitives.ReadDoubleLittleEndian(Take(bytes, ref position, 8));
                return double.IsFinite(d) ? JsonValue.Create(d) : null;
            case 0x02 or 0x0D or 0x0E:
                var length = Int32(bytes, ref position);
                if (length < 1)
                {
                    throw new FormatException($"A BSON string at byte {position} claims {length} bytes.");
                }
                var text = Encoding.UTF8.GetString(Take(bytes, ref position, length)[..^1]);
                return JsonValue.Create(text);
            case 0x03:
                return Document(bytes, ref position, isArray: false);
            case 0x04:
                return Document(bytes, ref position, isArray: true);
            case 0x05:
                var size = Int32(bytes, ref position);
                Take(bytes, ref position, size + 1);
                return Skip.Value;
            case 0x07:
                return JsonValue.Create(Convert.ToHexStringLower(Take(bytes, ref position, 12)));
            case 0x08:
                return JsonValue.Create(Take(bytes, ref position, 1)[0] != 0);
            case 0x09:
                var ms = BinaryPrimitives.ReadInt64LittleEndian(Take(bytes, ref position, 8));
                return JsonValue.Create(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            case 0x0A or 0x06 or 0x7F or 0xFF:
                return null;
            case 0x10:
                return JsonValue.Create(Int32(bytes, ref position));
            case 0x11 or 0x12:
                return JsonValue.Create(BinaryPrimitives.ReadInt64LittleEndian(Take(bytes, ref position, 8)));
            case 0x13:
                Take(bytes, ref position, 16);
                return Skip.Value;
            default:
                throw new FormatException($"Unknown BSON element type 0x{type:x2} at byte {position - 1}.");
        }
    }

    private static int Int32(byte[] bytes, ref int position) => BinaryPrimitives.ReadInt32LittleEndian(Take(bytes, ref position, 4));

    private static ReadOnlySpan<byte> Take(byte[] bytes, ref int position, int count)
    {
        if (count < 0 || position + count > bytes.Length)
        {
            throw new FormatException($"The BSON document ends inside a value at byte {position}.");
        }
        var span = bytes.AsSpan(position, count);
        position += count;
        return span;
    }

    private static string CString(byte[] bytes, ref int position, int end)
    {
        var zero = Array.IndexOf(bytes, (byte)0, position, end - position + 1);
        if (zero < 0)
        {
            throw new FormatException($"A BSON element name at byte {position} is not terminated.");
        }
        var name = Encoding.UTF8.GetString(bytes, position, zero - position);
        position = zero + 1;
        return name;
    }
}
