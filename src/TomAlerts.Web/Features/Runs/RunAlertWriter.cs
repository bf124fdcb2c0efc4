using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>
/// Writes a batch of run alerts in one transaction with one prepared INSERT, bypassing change tracking: a run is
/// written once and read many times, so this is the hot path of ingest. Table and column names come from the EF
/// model, so both providers get their own spelling.
/// </summary>
internal static class RunAlertWriter
{
    private static readonly string[] Columns =
    [
        nameof(RunAlert.QueryRunId), nameof(RunAlert.Position), nameof(RunAlert.AlertId), nameof(RunAlert.Name),
        nameof(RunAlert.Ra), nameof(RunAlert.Dec), nameof(RunAlert.Mag), nameof(RunAlert.Score), nameof(RunAlert.Timestamp),
        nameof(RunAlert.Url), nameof(RunAlert.Classification), nameof(RunAlert.Payload), nameof(RunAlert.IsNew),
    ];

    public static async Task WriteAsync(AppDbContext db, IReadOnlyList<RunAlert> batch, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(RunAlert))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<Microsoft.EntityFrameworkCore.Storage.ISqlGenerationHelper>();
        var names = Columns.Select(c => sql.DelimitIdentifier(entity.FindProperty(c)!.GetColumnName(table)!)).ToList();
        var commandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", names)}) "
                          + $"VALUES ({string.Join(", ", Columns.Select((_, i) => "@p" + i))})";

        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = commandText;
            var parameters = Columns.Select((_, i) =>
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@p" + i;
                command.Parameters.Add(parameter);
                return parameter;
            }).ToArray();
            foreach (var alert in batch)
            {
                Set(parameters,
                    alert.QueryRunId, alert.Position, alert.AlertId, alert.Name, alert.Ra, alert.Dec, alert.Mag, alert.Score,
                    alert.Timestamp, alert.Url, alert.Classification, alert.Payload, alert.IsNew);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static void Set(DbParameter[] parameters, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
