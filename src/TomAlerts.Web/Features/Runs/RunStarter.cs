using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>
/// Starting a run of a saved query, the same for the pages, the API, schedules and the command line: a pending
/// <see cref="QueryRun"/> row, then either the background workers or the caller executes it.
/// </summary>
public sealed class RunStarter(AppDbContext db, RunQueue queue, RunExecutor executor, TimeProvider clock)
{
    /// <summary>A run for the background workers; answers at once.</summary>
    public async Task<QueryRun> QueueAsync(BrokerQuery query, string? userId, CancellationToken cancellationToken)
    {
        var run = await CreateAsync(query, userId, scheduled: false, cancellationToken);
        queue.Enqueue(run.Id);
        return run;
    }

    /// <summary>
    /// A run executed here, before this returns: a schedule's firing (so a clustered schedule runs on the node that
    /// fired it) and the command line. Returns the run's id.
    /// </summary>
    public async Task<long> RunHereAsync(BrokerQuery query, string? userId, bool scheduled, CancellationToken cancellationToken)
    {
        var run = await CreateAsync(query, userId, scheduled, cancellationToken);
        await executor.ExecuteAsync(run.Id, cancellationToken);
        return run.Id;
    }

    private async Task<QueryRun> CreateAsync(BrokerQuery query, string? userId, bool scheduled, CancellationToken cancellationToken)
    {
        var run = new QueryRun
        {
            BrokerQueryId = query.Id, Status = RunStatus.Pending, Created = clock.GetUtcNow().UtcDateTime, UserId = userId, Scheduled = scheduled,
        };
        db.QueryRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }
}
