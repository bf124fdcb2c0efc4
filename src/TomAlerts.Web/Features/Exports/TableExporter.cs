using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace TomAlerts.Web.Features.Exports;

public enum ExportFormat
{
    Csv,
    Json,
    VoTable,
}

/// <summary>How a column's values are written: VOTable datatypes, JSON numbers or strings, CSV text.</summary>
public enum ColumnType
{
    /// <summary>ASCII text (VOTable char).</summary>
    Text,
    /// <summary>Free text from a broker, any characters (VOTable unicodeChar).</summary>
    UnicodeText,
    Integer,
    Real,
    Flag,
    /// <summary>An instant in UTC, ISO 8601 (VOTable char with xtype timestamp).</summary>
    Timestamp,
}

/// <summary>One column of an exported table, with the unit and UCD astronomers' tools read from a VOTable.</summary>
public sealed record ExportColumn<T>(string Name, ColumnType Type, Func<T, object?> Value, string? Unit = null, string? Ucd = null, string? Description = null);

public sealed record ExportTable<T>(string Name, string Description, IReadOnlyList<ExportColumn<T>> Columns);

/// <summary>
/// Writes a table as CSV (a header row, invariant-culture numbers), JSON (an array of objects) or VOTable 1.4, row by
/// row as they come, flushing as it goes, so an export of any size never sits in memory.
/// </summary>
public static class TableExporter
{
    public const string VoTableNamespace = "http://www.ivoa.net/xml/VOTable/v1.3";
    private const int FlushEvery = 500;

    public static bool TryParse(string? text, out ExportFormat format)
    {
        (var ok, format) = text?.Trim().ToLowerInvariant() switch
        {
            null or "" or "csv" => (true, ExportFormat.Csv),
            "json" => (true, ExportFormat.Json),
            "votable" or "vot" or "xml" => (true, ExportFormat.VoTable),
            _ => (false, ExportFormat.Csv),
        };
        return ok;
    }

    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "text/csv; charset=utf-8",
        ExportFormat.Json => "application/json; charset=utf-8",
        _ => "application/x-votable+xml; charset=utf-8",
    };

    public static string Extension(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "csv",
        ExportFormat.Json => "json",
        _ => "vot.xml",
    };

    public static Task WriteAsync<T>(Stream output, ExportFormat format, ExportTable<T> table, IAsyncEnumerable<T> rows, CancellationToken cancellationToken) =>
        format switch
        {
            ExportFormat.Csv => WriteCsvAsync(output, table, rows, cancellationToken),
            ExportFormat.Json => WriteJsonAsync(output, table, rows, cancellationToken),
            _ => WriteVoTableAsync(output, table, rows, cancellationToken),
        };

    private static async Task WriteCsvAsync<T>(Stream output, ExportTable<T> table, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 16 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(',', table.Columns.Select(c => CsvField(c.Name))));
        var count = 0;
        var line = new StringBuilder();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            line.Clear();
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var column = table.Columns[i];
                var value = column.Value(row);
                line.Append(i == 0 ? "" : ",")
                    .Append(column.Type is ColumnType.Text or ColumnType.UnicodeText ? CsvText(value as string) : CsvField(Format(value)));
            }
            await writer.WriteLineAsync(line, cancellationToken);
            if (++count % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
        await writer.FlushAsync(cancellationToken);
    }

    private static async Task WriteJsonAsync<T>(Stream output, ExportTable<T> table, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(output);
        writer.WriteStartArray();
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            writer.WriteStartObject();
            foreach (var column in table.Columns)
            {
                writer.WritePropertyName(column.Name);
                switch (column.Value(row))
                {
                    case null:
                        writer.WriteNullValue();
                        break;
                    case double d when double.IsFinite(d):
                        writer.WriteNumberValue(d);
                        break;
                    case double:
                        writer.WriteNullValue();
                        break;
                    case int i:
                        writer.WriteNumberValue(i);
                        break;
                    case long l:
                        writer.WriteNumberValue(l);
                        break;
                    case bool b:
                        writer.WriteBooleanValue(b);
                        break;
                    case var other:
                        writer.WriteStringValue(Format(other));
                        break;
                }
            }
            writer.WriteEndObject();
            if (++count % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
        writer.WriteEndArray();
        await writer.FlushAsync(cancellationToken);
    }

    private static async Task WriteVoTableAsync<T>(Stream output, ExportTable<T> table, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var settings = new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false), Indent = true, CloseOutput = false };
        await using var xml = XmlWriter.Create(output, settings);
        await xml.WriteStartDocumentAsync();
        await xml.WriteStartElementAsync(null, "VOTABLE", VoTableNamespace);
        await xml.WriteAttributeStringAsync(null, "version", null, "1.4");
        await xml.WriteAttributeStringAsync("xmlns", "xsi", null, "http://www.w3.org/2001/XMLSchema-instance");
        await xml.WriteAttributeStringAsync("xsi", "schemaLocation", null, $"{VoTableNamespace} http://www.ivoa.net/xml/VOTable/votable-1.4.xsd");
        await xml.WriteStartElementAsync(null, "RESOURCE", VoTableNamespace);
        await xml.WriteAttributeStringAsync(null, "type", null, "results");
        await xml.WriteStartElementAsync(null, "INFO", VoTableNamespace);
        await xml.WriteAttributeStringAsync(null, "name", null, "QUERY_STATUS");
        await xml.WriteAttributeStringAsync(null, "value", null, "OK");
        await xml.WriteEndElementAsync();
        await xml.WriteStartElementAsync(null, "TABLE", VoTableNamespace);
        await xml.WriteAttributeStringAsync(null, "name", null, table.Name);
        await xml.WriteElementStringAsync(null, "DESCRIPTION", VoTableNamespace, XmlText(table.Description));
        foreach (var column in table.Columns)
        {
            await WriteFieldAsync(xml, column);
        }
        await xml.WriteStartElementAsync(null, "DATA", VoTableNamespace);
        await xml.WriteStartElementAsync(null, "TABLEDATA", VoTableNamespace);
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await xml.WriteStartElementAsync(null, "TR", VoTableNamespace);
            foreach (var column in table.Columns)
            {
                var value = column.Value(row);
                var text = column.Type == ColumnType.Flag && value is bool b ? (b ? "T" : "F") : Format(value);
                await xml.WriteElementStringAsync(null, "TD", VoTableNamespace, XmlText(text));
            }
            await xml.WriteEndElementAsync();
            if (++count % FlushEvery == 0)
            {
                await xml.FlushAsync();
            }
        }
        await xml.WriteEndElementAsync(); // TABLEDATA
        await xml.WriteEndElementAsync(); // DATA
        await xml.WriteEndElementAsync(); // TABLE
        await xml.WriteEndElementAsync(); // RESOURCE
        await xml.WriteEndElementAsync(); // VOTABLE
        await xml.WriteEndDocumentAsync();
        await xml.FlushAsync();
    }

    private static async Task WriteFieldAsync<T>(XmlWriter xml, ExportColumn<T> column)
    {
        await xml.WriteStartElementAsync(null, "FIELD", VoTableNamespace);
        await xml.WriteAttributeStringAsync(null, "name", null, column.Name);
        var (datatype, arraysize, xtype) = column.Type switch
        {
            ColumnType.Text => ("char", "*", null),
            ColumnType.UnicodeText => ("unicodeChar", "*", null),
            ColumnType.Integer => ("long", null, null),
            ColumnType.Real => ("double", null, null),
            ColumnType.Flag => ("boolean", null, null),
            _ => ("char", "*", "timestamp"),
        };
        await xml.WriteAttributeStringAsync(null, "datatype", null, datatype);
        if (arraysize is not null)
        {
            await xml.WriteAttributeStringAsync(null, "arraysize", null, arraysize);
        }
        if (xtype is not null)
        {
            await xml.WriteAttributeStringAsync(null, "xtype", null, xtype);
        }
        if (column.Unit is not null)
        {
            await xml.WriteAttributeStringAsync(null, "unit", null, column.Unit);
        }
        if (column.Ucd is not null)
        {
            await xml.WriteAttributeStringAsync(null, "ucd", null, column.Ucd);
        }
        if (column.Description is not null)
        {
            await xml.WriteElementStringAsync(null, "DESCRIPTION", VoTableNamespace, XmlText(column.Description));
        }
        await xml.WriteEndElementAsync();
    }

    /// <summary>A value as text: numbers round-trip in the invariant culture, instants as ISO 8601 UTC, null as "".</summary>
    private static string Format(object? value) => value switch
    {
        null => "",
        double d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "",
        DateTime t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Quoted when it holds a separator a spreadsheet may split on (comma, semicolon, tab) or a quote or line break.</summary>
    private static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",;\t\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;

    /// <summary>
    /// Text from a broker or a person, never read as a formula (OWASP's CSV injection guidance): a leading quote when the
    /// text, or any part of it after a separator or line break, starts (past white space) with = + - @ or a tab or
    /// carriage return; and quoted whenever it holds a separator, so a spreadsheet that splits on ";" keeps it one cell.
    /// </summary>
    private static string CsvText(string? text) =>
        string.IsNullOrEmpty(text) ? "" : CsvField(StartsAFormula(text) ? "'" + text : text);

    private static bool StartsAFormula(string text)
    {
        var segmentStart = true;
        foreach (var c in text)
        {
            if (segmentStart)
            {
                if (c is '=' or '+' or '-' or '@' or '\t' or '\r')
                {
                    return true;
                }
                if (c is ' ' or '\u00a0' || char.IsWhiteSpace(c) && c is not '\n')
                {
                    continue;
                }
            }
            segmentStart = c is ',' or ';' or '\t' or '\n' or '\r' or '|';
        }
        return false;
    }

    /// <summary>XML 1.0 cannot hold some control characters; a broker's text may. They are left out.</summary>
    private static string XmlText(string text)
    {
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i]))
            {
                clean.Append(text[i]);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                clean.Append(text, i++, 2);
            }
        }
        return clean.Length == text.Length ? text : clean.ToString();
    }
}
