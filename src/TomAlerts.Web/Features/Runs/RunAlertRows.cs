using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>Storing a broker's alerts as a run's rows, the same for a run and a stream run.</summary>
public static class RunAlertRows
{
    /// <summary>The row of <paramref name="alert"/> (whose raw JSON text is <paramref name="payload"/>) at <paramref name="position"/> of run <paramref name="runId"/>.</summary>
    public static RunAlert Create(long runId, int position, GenericAlert alert, string payload) => new RunAlert
    {
        QueryRunId = runId,
        Position = position,
        AlertId = RunExecutor.Truncate(alert.Id, 200),
        Name = RunExecutor.Truncate(alert.Name, 200),
        Ra = alert.Ra,
        Dec = alert.Dec,
        Payload = payload,
    }.Describe(alert);

    /// <summary>Replaces what a stored row says with a later message's <paramref name="alert"/>; its place in the run stays.</summary>
    public static void Update(RunAlert stored, GenericAlert alert, string payload)
    {
        stored.Name = RunExecutor.Truncate(alert.Name, 200);
        stored.Ra = alert.Ra;
        stored.Dec = alert.Dec;
        stored.Payload = payload;
        stored.Describe(alert);
    }

    /// <summary>
    /// Marks each row of <paramref name="batch"/> new when no earlier run of the same query returned its alert id;
    /// returns how many are new.
    /// </summary>
    public static async Task<int> MarkNewAsync(AppDbContext db, long runId, int queryId, IReadOnlyCollection<RunAlert> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }
        var ids = batch.Select(a => a.AlertId).ToList();
        var seenBefore = (await db.RunAlerts
                .Where(a => EF.Parameter(ids).Contains(a.AlertId) && a.QueryRunId < runId && db.QueryRuns.Any(r => r.Id == a.QueryRunId && r.BrokerQueryId == queryId))
                .Select(a => a.AlertId).Distinct().ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var alert in batch)
        {
            alert.IsNew = !seenBefore.Contains(alert.AlertId);
        }
        return batch.Count(a => a.IsNew);
    }

    /// <summary>Every row of a query's first run is new: no look-up needed.</summary>
    public static int MarkAllNew(IReadOnlyCollection<RunAlert> batch)
    {
        foreach (var alert in batch)
        {
            alert.IsNew = true;
        }
        return batch.Count;
    }

    /// <summary>
    /// Inserts the rows of a run of <paramref name="broker"/>, each with the decision in force on its object, and the
    /// names they are matched by, in one transaction (the ambient one if there is one).
    /// </summary>
    public static async Task InsertAsync(AppDbContext db, string broker, IReadOnlyCollection<RunAlert> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using (owned)
        {
            await TriageDecisions.MarkAsync(db, broker, batch, cancellationToken);
            await BulkInsert.InsertAsync(db, batch, cancellationToken);
            await InsertKeysAsync(db, batch, cancellationToken);
            if (owned is not null)
            {
                await owned.CommitAsync(cancellationToken);
            }
        }
    }

    /// <summary>Stores the names the rows' objects are matched by, each marked when a target or alias goes by it already.</summary>
    public static async Task InsertKeysAsync(AppDbContext db, IEnumerable<RunAlert> rows, CancellationToken cancellationToken)
    {
        var keys = rows.SelectMany(RunAlertDetails.Keys).ToList();
        await RunAlertKeyMatches.MarkAsync(db, keys, cancellationToken);
        await BulkInsert.InsertAsync(db, keys, cancellationToken);
    }
}
