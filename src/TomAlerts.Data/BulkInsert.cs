using System.Data;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SQLitePCL;

namespace TomAlerts.Data;

/// <summary>
/// Inserts many rows of one entity in one transaction, without change tracking — for the write-once hot paths (run
/// alerts, their match keys, photometry): a binary COPY on PostgreSQL, one prepared statement on SQLite. Table, column
/// names and value conversions come from the EF model, so both providers get their own spelling and storage formats.
/// Generated keys are not read back.
/// </summary>
public static class BulkInsert
{
    public static async Task InsertAsync<T>(AppDbContext db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var columns = Columns.Of<T>(db);
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }
        try
        {
            if (connection is Npgsql.NpgsqlConnection npgsql)
            {
                await CopyAsync(npgsql, columns, rows, cancellationToken);
            }
            else
            {
                // The rows go in together or not at all: in the caller's transaction, or in one of their own.
                await using var owned = db.Database.CurrentTransaction is null ? await connection.BeginTransactionAsync(cancellationToken) : null;
                InsertSqlite((SqliteConnection)connection, columns, rows, cancellationToken);
                if (owned is not null)
                {
                    await owned.CommitAsync(cancellationToken);
                }
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    /// <summary>PostgreSQL: one binary COPY instead of a round trip per row (13× faster for run alerts).</summary>
    private static async Task CopyAsync<T>(Npgsql.NpgsqlConnection connection, Columns columns, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {columns.Table} ({columns.Names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns.ValueOf(row, i) is { } value)
                {
                    await importer.WriteAsync(value, cancellationToken);
                }
                else
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
            }
        }
        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// SQLite: one statement prepared once, its values bound by position and stepped row by row inside SQLite's own
    /// API — the provider's command would look up each of a row's 20 parameters by name on every row, which costs
    /// more than SQLite's insert itself. Values are stored as the provider stores them (dates as its text).
    /// </summary>
    private static void InsertSqlite<T>(SqliteConnection connection, Columns columns, IReadOnlyCollection<T> rows, CancellationToken cancellationToken) where T : class
    {
        var handle = connection.Handle!;
        var text = $"INSERT INTO {columns.Table} ({columns.Names}) VALUES ({string.Join(", ", Enumerable.Repeat("?", columns.Count))})";
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(handle, text, out var statement), handle);
        using (statement)
        {
            foreach (var row in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var i = 0; i < columns.Count; i++)
                {
                    SqliteException.ThrowExceptionForRC(Bind(statement, i + 1, columns.ValueOf(row, i)), handle);
                }
                var rc = raw.sqlite3_step(statement);
                raw.sqlite3_reset(statement);
                if (rc != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(rc, handle);
                }
            }
        }
    }

    private static int Bind(sqlite3_stmt statement, int index, object? value) => value switch
    {
        null => raw.sqlite3_bind_null(statement, index),
        string text => raw.sqlite3_bind_text(statement, index, text),
        double number => double.IsNaN(number) ? throw new InvalidOperationException("Cannot store NaN in SQLite.") : raw.sqlite3_bind_double(statement, index, number),
        float number => float.IsNaN(number) ? throw new InvalidOperationException("Cannot store NaN in SQLite.") : raw.sqlite3_bind_double(statement, index, number),
        long number => raw.sqlite3_bind_int64(statement, index, number),
        int number => raw.sqlite3_bind_int64(statement, index, number),
        short number => raw.sqlite3_bind_int64(statement, index, number),
        byte number => raw.sqlite3_bind_int64(statement, index, number),
        bool flag => raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0),
        // Microsoft.Data.Sqlite's text for a date, so what is inserted here compares and reads back as what EF writes.
        DateTime time => raw.sqlite3_bind_text(statement, index, time.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture)),
        byte[] bytes => raw.sqlite3_bind_blob(statement, index, bytes),
        _ => throw new NotSupportedException($"BulkInsert does not store {value.GetType().Name} values in SQLite."),
    };

    /// <summary>The entity's table and stored columns (all but a generated key) as the provider spells them, and each column's value as it stores it.</summary>
    private sealed class Columns(string table, string names, IClrPropertyGetter[] getters, ValueConverter?[] converters)
    {
        public string Table => table;

        public string Names => names;

        public int Count => getters.Length;

        public static Columns Of<T>(AppDbContext db) where T : class
        {
            var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var properties = entity.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never || !p.IsPrimaryKey()).ToList();
            var sql = db.GetService<ISqlGenerationHelper>();
            return new Columns(sql.DelimitIdentifier(table.Name, table.Schema), string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!))),
                [.. properties.Select(p => p.GetGetter())], [.. properties.Select(p => p.GetTypeMapping().Converter)]);
        }

        public object? ValueOf(object row, int i)
        {
            var value = getters[i].GetClrValueUsingContainingEntity(row);
            return value is null || converters[i] is null ? value : converters[i]!.ConvertToProvider(value);
        }
    }
}
