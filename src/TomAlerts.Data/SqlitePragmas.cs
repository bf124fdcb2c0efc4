using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TomAlerts.Data;

/// <summary>
/// Every SQLite connection syncs at NORMAL: in WAL mode that keeps the database consistent and every committed
/// transaction through an application crash, and only an operating-system crash or power cut can lose the last
/// commits — while each commit no longer waits for the disk.
/// </summary>
/// <remarks>
/// A pragma lasts as long as the SQLite handle, and the pool hands the same handles out again: it is set once per handle,
/// not on every open (each EF query opens and closes its connection, so that was a statement more per query).
/// </remarks>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private static readonly ConditionalWeakTable<object, object> Applied = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (FirstOpen(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL;";
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (FirstOpen(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Whether this open got a handle the pragma was not set on yet (any connection without a handle: always).</summary>
    private static bool FirstOpen(DbConnection connection) =>
        connection is not Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle } || Applied.TryAdd(handle, Marker);

    private static readonly object Marker = new();
}
