using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using TomAlerts.Brokers.Streams;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Antares;

/// <summary>
/// An ANTARES filter's Kafka topic: one locus per message, as ANTARES' own client reads it a zlib-compressed BSON
/// JSON:API document (<c>{data: {type: "locus", id, attributes: {ra, dec, properties, tags, …}}, included: [alerts]}</c>);
/// plain or gzip'd JSON of the same document, or of a flat locus (<c>locus_id, ra, dec, properties, tags, alerts[]</c>,
/// newest alert first), is read too. The locus becomes the resource <see cref="AntaresBroker"/> reads from its loci
/// search, with the message's alerts under <see cref="AntaresLocus.StreamAlertsKey"/>, so the light curve needs no call.
/// </summary>
public sealed class AntaresStreamDecoder : IStreamDecoder
{
    private static readonly string[] Required = ["ra", "dec", "properties", "tags"];

    public StreamSource Source => StreamSource.Antares;

    public string? Broker => "ANTARES";

    public IReadOnlyList<JsonObject> Decode(StreamMessage message)
    {
        var document = Read(message.Value);
        var resource = document["data"] as JsonObject ?? (document["attributes"] is JsonObject ? document : null);
        var locus = resource is not null ? FromResource(resource, document) : FromFlat(document);
        var attributes = (JsonObject)locus["attributes"]!;
        var missing = Required.Where(k => attributes[k] is null).ToList();
        if (AntaresLocus.Id(locus) is null)
        {
            missing.Insert(0, "id");
        }
        if (missing.Count > 0)
        {
            throw new StreamMessageException($"The ANTARES locus is incomplete: it has no {string.Join(", ", missing)}.");
        }
        return [locus];
    }

    private static JsonObject Read(byte[] value)
    {
        var bytes = Inflated(value);
        if (BsonJson.LooksLikeBson(bytes))
        {
            try
            {
                return BsonJson.Read(bytes);
            }
            catch (FormatException e)
            {
                throw new StreamMessageException($"The message is not a readable BSON document ({e.Message}).", e);
            }
        }
        try
        {
            return JsonNode.Parse(bytes) as JsonObject
                   ?? throw new StreamMessageException("The message is JSON but not an object; an ANTARES locus is one.");
        }
        catch (JsonException e)
        {
            throw new StreamMessageException($"The message is neither BSON nor JSON ({e.Message}); ANTARES sends one locus per message.", e);
        }
    }

    /// <summary>zlib (as ANTARES compresses) or gzip, by their headers; anything else as it came.</summary>
    private static byte[] Inflated(byte[] value)
    {
        var zlib = value.Length >= 2 && (value[0] & 0x0f) == 8 && ((value[0] << 8) | value[1]) % 31 == 0;
        if (!zlib)
        {
            return StreamJson.Unzipped(value);
        }
        try
        {
            using var input = new ZLibStream(new MemoryStream(value), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new StreamMessageException($"The message starts as zlib data but cannot be decompressed ({e.Message}).", e);
        }
    }

    private static JsonObject FromResource(JsonObject resource, JsonObject document)
    {
        var locus = new JsonObject
        {
            ["type"] = "locus",
            ["id"] = resource["id"]?.DeepClone(),
            ["attributes"] = resource["attributes"] is JsonObject attributes ? Without(attributes, "alerts") : new JsonObject(),
        };
        var alerts = JsonRead.Objects(document["included"]).Where(r => JsonRead.String(r["type"]) == "alert")
            .Concat(JsonRead.Objects(resource["attributes"]?["alerts"]))
            .Concat(JsonRead.Objects(document["alerts"]))
            .Select(AlertResource);
        locus[AntaresLocus.StreamAlertsKey] = new JsonArray(alerts.Select(a => (JsonNode?)a).ToArray());
        return locus;
    }

    private static JsonObject FromFlat(JsonObject flat)
    {
        var attributes = Without(flat, "locus_id", "id", "alerts", "type");
        return new JsonObject
        {
            ["type"] = "locus",
            ["id"] = (flat["locus_id"] ?? flat["id"])?.DeepClone(),
            ["attributes"] = attributes,
            [AntaresLocus.StreamAlertsKey] = new JsonArray(JsonRead.Objects(flat["alerts"]).Select(a => (JsonNode?)AlertResource(a)).ToArray()),
        };
    }

    /// <summary>An alert as the API's alert resource: <c>{type: "alert", id, attributes: {properties, mjd, survey, …}}</c>.</summary>
    private static JsonObject AlertResource(JsonObject alert)
    {
        if (alert["attributes"] is JsonObject)
        {
            return (JsonObject)alert.DeepClone();
        }
        return new JsonObject
        {
            ["type"] = "alert",
            ["id"] = (alert["alert_id"] ?? alert["id"])?.DeepClone(),
            ["attributes"] = Without(alert, "alert_id", "id", "type"),
        };
    }

    private static JsonObject Without(JsonObject source, params string[] keys)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in source)
        {
            if (!keys.Contains(key))
            {
                copy[key] = value?.DeepClone();
            }
        }
        return copy;
    }
}
