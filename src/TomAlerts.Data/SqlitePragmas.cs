using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TomAlerts.Data;

/// <summary>
/// Every SQLite connection syncs at NORMAL: in WAL mode that keeps the database consistent and every committed
/// transaction through an application crash, and only an operating-system crash or power cut can lose the last
/// commits — while each commit no longer waits for the disk.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        command.ExecuteNonQuery();
    }
}
