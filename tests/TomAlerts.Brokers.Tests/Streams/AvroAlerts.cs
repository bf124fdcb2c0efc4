using System.Globalization;
using System.Text;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace TomAlerts.Brokers.Tests.Streams;

/// <summary>Real schemaless Avro bytes of an alert, written with Apache.Avro from a schema as a Fink producer writes them.</summary>
internal static class AvroAlerts
{
    public static byte[] Write(Schema schema, IDictionary<string, object?> values)
    {
        using var buffer = new MemoryStream();
        new GenericDatumWriter<object>(schema).Write(Datum(schema, values)!, new BinaryEncoder(buffer));
        return buffer.ToArray();
    }

    public static byte[] Key(Schema schema) => Encoding.UTF8.GetBytes(schema.ToString());

    /// <summary>The schema a version key names, as bundled.</summary>
    public static Schema Bundled(string version)
    {
        using var stream = typeof(TomAlerts.Brokers.Fink.FinkStreamDecoder).Assembly.GetManifestResourceStream($"Fink.Schemas.fink_ztf_{version}.avsc")!;
        return Schema.Parse(new StreamReader(stream).ReadToEnd());
    }

    /// <summary>A value of <paramref name="schema"/>: every record field not given is null (all are nullable unions here).</summary>
    private static object? Datum(Schema schema, object? value)
    {
        switch (schema)
        {
            case UnionSchema union:
                if (value is null)
                {
                    return null;
                }
                return Datum(union.Schemas.First(s => s.Tag != Schema.Type.Null), value);
            case RecordSchema record:
                var values = value as IDictionary<string, object?> ?? new Dictionary<string, object?>(); // a record not given: all its fields null
                var datum = new GenericRecord(record);
                foreach (var field in record.Fields)
                {
                    datum.Add(field.Name, Datum(field.Schema, values.TryGetValue(field.Name, out var v) ? v : null));
                }
                return datum;
            case ArraySchema array:
                return ((IEnumerable<object?>)value!).Select(item => Datum(array.ItemSchema, item)).ToArray();
            case PrimitiveSchema primitive:
                return primitive.Tag switch
                {
                    Schema.Type.Null => null,
                    Schema.Type.Int => Convert.ToInt32(value, CultureInfo.InvariantCulture),
                    Schema.Type.Long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                    Schema.Type.Float => Convert.ToSingle(value, CultureInfo.InvariantCulture),
                    Schema.Type.Double => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                    Schema.Type.Boolean => Convert.ToBoolean(value, CultureInfo.InvariantCulture),
                    Schema.Type.Bytes => (byte[])value!,
                    _ => Convert.ToString(value, CultureInfo.InvariantCulture),
                };
            default:
                throw new NotSupportedException(schema.ToString());
        }
    }
}
