using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using Avro.IO;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Fink;

/// <summary>
/// Fink's Kafka topics (<c>fink_&lt;filter&gt;_ztf</c>, <c>fink_&lt;tag&gt;_lsst</c>): each value is one alert in
/// schemaless Avro, its writer schema (JSON) in the message key; older streams put a version string in the key that
/// names a schema shipped with the client (those known here are bundled). The decoded record becomes the row shape of
/// Fink's API, which <see cref="FinkBroker"/> reads: ZTF candidate fields as <c>i:</c> columns and Fink's added values
/// as <c>d:</c>; for LSST the Rubin diaSource and diaObject as <c>r:</c> columns and Fink's sections as <c>f:</c>. The
/// alert's own history (ZTF <c>prv_candidates</c>, LSST <c>prvDiaSources</c> and <c>prvDiaForcedSources</c>) is kept
/// under <see cref="FinkRows.StreamLightCurve"/> and <see cref="FinkRows.StreamForced"/> as rows of the same columns,
/// so the photometry needs no call to Fink. Cutouts are dropped.
/// </summary>
public sealed class FinkStreamDecoder : IStreamDecoder
{
    /// <summary>The schema versions a key may name, each bundled as <c>Fink/Schemas/fink_ztf_&lt;version&gt;.avsc</c>.</summary>
    private static readonly Lazy<IReadOnlyDictionary<string, Schema>> Bundled = new(LoadBundled);

    /// <summary>
    /// A reader for each writer schema seen in keys, built once: a topic sends the same key with every message, and
    /// building a reader resolves the whole schema. Readers hold no state between reads.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, GenericDatumReader<object>> _readers = new(StringComparer.Ordinal);

    /// <summary>At most this many distinct keys are kept (a topic's schema changes rarely).</summary>
    private const int MaxReaders = 64;

    public StreamSource Source => StreamSource.Fink;

    public string? Broker => "Fink";

    public static IReadOnlyCollection<string> BundledVersions => Bundled.Value.Keys.ToList();

    public IReadOnlyList<JsonObject> Decode(StreamMessage message)
    {
        var reader = Reader(message.Key);
        JsonObject record;
        try
        {
            using var stream = new MemoryStream(message.Value, writable: false);
            var datum = reader.Read(null!, new BinaryDecoder(stream));
            if (stream.Position != stream.Length)
            {
                throw new StreamMessageException(
                    $"The value does not match the writer schema in the key: {stream.Length - stream.Position} of its {stream.Length} bytes are left over after the alert.");
            }
            record = ToJson(datum) as JsonObject ?? throw new StreamMessageException("The writer schema in the key is not a record schema.");
        }
        catch (StreamMessageException)
        {
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StreamMessageException($"The value cannot be read with the writer schema in the key (truncated, or another schema): {e.Message}", e);
        }
        if (record["diaSource"] is JsonObject || record["diaObject"] is JsonObject)
        {
            return [LsstRow(record)];
        }
        if (record["candidate"] is JsonObject && JsonRead.String(record["objectId"]) is not null)
        {
            return [ZtfRow(record)];
        }
        throw new StreamMessageException("The Avro record is neither a ZTF alert (objectId, candidate) nor an LSST alert (diaSource, diaObject).");
    }

    private GenericDatumReader<object> Reader(byte[]? key)
    {
        if (key is null || key.Length == 0)
        {
            throw new StreamMessageException("The message has no key: Fink sends the alert's Avro writer schema (or its version) in the key.");
        }
        var text = Encoding.UTF8.GetString(key).Trim();
        if (_readers.TryGetValue(text, out var known))
        {
            return known;
        }
        var schema = WriterSchema(text);
        var reader = new GenericDatumReader<object>(schema, schema);
        if (_readers.Count < MaxReaders)
        {
            _readers[text] = reader;
        }
        return reader;
    }

    private static Schema WriterSchema(string text)
    {
        if (!text.StartsWith('{') && !text.StartsWith('['))
        {
            var version = text.EndsWith("_replayed", StringComparison.Ordinal) ? text[..^"_replayed".Length] : text;
            return Bundled.Value.TryGetValue(version, out var bundled)
                ? bundled
                : throw new StreamMessageException(
                    $"The key names Fink schema version \"{Snippet(text)}\", which TomAlerts does not have (it has {string.Join(", ", Bundled.Value.Keys)}); "
                    + "current Fink streams send the schema itself in the key.");
        }
        try
        {
            return Schema.Parse(text);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StreamMessageException($"The key is not a readable Avro schema: {e.Message}", e);
        }
    }

    private static string Snippet(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private static IReadOnlyDictionary<string, Schema> LoadBundled()
    {
        const string prefix = "Fink.Schemas.fink_ztf_";
        var assembly = typeof(FinkStreamDecoder).Assembly;
        var schemas = new Dictionary<string, Schema>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".avsc", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            schemas[name[prefix.Length..^".avsc".Length]] = Schema.Parse(reader.ReadToEnd());
        }
        return schemas;
    }

    /// <summary>A decoded Avro datum as JSON; bytes and fixed values (the cutouts) are left out.</summary>
    private static JsonNode? ToJson(object? datum) => datum switch
    {
        null => null,
        GenericRecord record => Record(record),
        GenericEnum symbol => JsonValue.Create(symbol.Value),
        IDictionary<string, object> map => new JsonObject(map.Select(e => KeyValuePair.Create(e.Key, ToJson(e.Value)))),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        // As written: a float's shortest text, not its widened binary value (18.26f, not 18.260000228881836).
        float f => JsonValue.Create(AsWritten(f)),
        double d => JsonValue.Create(d),
        byte[] or GenericFixed => null,
        System.Collections.IEnumerable items => new JsonArray(items.Cast<object?>().Select(ToJson).ToArray()),
        _ => JsonValue.Create(Convert.ToString(datum, CultureInfo.InvariantCulture)),
    };

    /// <summary>The float's shortest round-trip text read as a double, formatted on the stack.</summary>
    private static double AsWritten(float f)
    {
        Span<char> text = stackalloc char[32];
        return f.TryFormat(text, out var length, "R", CultureInfo.InvariantCulture)
            ? double.Parse(text[..length], NumberStyles.Float, CultureInfo.InvariantCulture)
            : f;
    }

    private static JsonObject Record(GenericRecord record)
    {
        var json = new JsonObject();
        foreach (var field in record.Schema.Fields)
        {
            if (record.TryGetValue(field.Name, out var value) && value is not (byte[] or GenericFixed))
            {
                json[field.Name] = ToJson(value);
            }
        }
        return json;
    }

    private static readonly HashSet<string> ZtfAlertFields = new(StringComparer.Ordinal)
    {
        "schemavsn", "publisher", "objectId", "candid", "candidate", "prv_candidates", "fp_hists",
        "cutoutScience", "cutoutTemplate", "cutoutDifference",
    };

    private static JsonObject ZtfRow(JsonObject record)
    {
        var row = new JsonObject();
        foreach (var (key, value) in (JsonObject)record["candidate"]!)
        {
            row["i:" + key] = value?.DeepClone();
        }
        row[FinkRows.ZtfId] = record["objectId"]!.DeepClone();
        row["i:candid"] ??= record["candid"]?.DeepClone();
        foreach (var (key, value) in record)
        {
            if (!ZtfAlertFields.Contains(key) && value is not (JsonObject or JsonArray))
            {
                row["d:" + key] = value?.DeepClone();
            }
        }
        var lightCurve = new JsonArray();
        foreach (var point in JsonRead.Objects(record["prv_candidates"]).Append((JsonObject)record["candidate"]!))
        {
            var entry = new JsonObject();
            foreach (var key in (string[])["candid", "jd", "fid", "magpsf", "sigmapsf", "diffmaglim"])
            {
                entry["i:" + key] = point[key]?.DeepClone();
            }
            lightCurve.Add(entry);
        }
        row[FinkRows.StreamLightCurve] = lightCurve;
        return row;
    }

    private static readonly HashSet<string> LsstAlertSections = new(StringComparer.Ordinal)
    {
        "diaSource", "diaObject", "prvDiaSources", "prvDiaForcedSources", "prvDiaNondetectionLimits", "ssSource", "ssObject", "MPCORB",
        "cutoutScience", "cutoutTemplate", "cutoutDifference",
    };

    private static JsonObject LsstRow(JsonObject record)
    {
        var row = new JsonObject();
        // The diaObject's summary first, then the alert's own diaSource, whose position and time are the alert's.
        foreach (var section in (string[])["diaObject", "diaSource"])
        {
            foreach (var (key, value) in record[section] as JsonObject ?? [])
            {
                row["r:" + key] = value?.DeepClone();
            }
        }
        foreach (var (key, value) in record)
        {
            if (LsstAlertSections.Contains(key))
            {
                continue;
            }
            if (value is JsonObject section)
            {
                foreach (var (field, inner) in section)
                {
                    if (inner is not (JsonObject or JsonArray))
                    {
                        row[$"f:{key}_{field}"] = inner?.DeepClone();
                    }
                }
            }
            else if (value is not JsonArray)
            {
                row[key is "diaSourceId" or "observation_reason" or "target_name" ? "r:" + key : "f:" + key] = value?.DeepClone();
            }
        }
        if (FinkRows.Id(row) is null)
        {
            throw new StreamMessageException("The LSST alert has no diaObjectId (neither its diaSource nor its diaObject gives one).");
        }
        row[FinkRows.StreamLightCurve] = Prefixed(JsonRead.Objects(record["prvDiaSources"]).Concat(record["diaSource"] is JsonObject s ? [s] : []));
        row[FinkRows.StreamForced] = Prefixed(JsonRead.Objects(record["prvDiaForcedSources"]));
        return row;
    }

    private static JsonArray Prefixed(IEnumerable<JsonObject> rows) =>
        new(rows.Select(r => (JsonNode?)new JsonObject(r.Select(e => KeyValuePair.Create("r:" + e.Key, e.Value?.DeepClone())))).ToArray());
}
