using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>
/// Starting a run of a saved query, the same for the pages, the API, schedules and the command line: a pending
/// <see cref="QueryRun"/> row, then either the background workers or the caller executes it. Resuming a run that
/// ended early is started here too.
/// </summary>
public sealed class RunStarter(AppDbContext db, RunQueue queue, RunExecutor executor, RunQuota quota, TimeProvider clock)
{
    /// <summary>A run for the background workers; answers at once.</summary>
    /// <exception cref="RunQuotaExceededException">The user has as many runs waiting, or started in the last hour, as they may.</exception>
    /// <exception cref="StreamQueryRunException">The query is a stream subscription's.</exception>
    public async Task<QueryRun> QueueAsync(BrokerQuery query, string? userId, CancellationToken cancellationToken)
    {
        EnsureNotStream(query);
        await EnsureQuotaAsync(userId, cancellationToken);
        var run = await CreateAsync(query, userId, scheduled: false, cancellationToken);
        queue.Enqueue(run.Id, userId ?? query.OwnerId);
        return run;
    }

    /// <summary>
    /// A run executed here, before this returns: a schedule's firing (so a clustered schedule runs on the node that
    /// fired it) and the command line. Returns the run's id.
    /// </summary>
    /// <exception cref="StreamQueryRunException">The query is a stream subscription's.</exception>
    public async Task<long> RunHereAsync(BrokerQuery query, string? userId, bool scheduled, CancellationToken cancellationToken)
    {
        EnsureNotStream(query);
        var run = await CreateAsync(query, userId, scheduled, cancellationToken);
        await executor.ExecuteAsync(run.Id, cancellationToken);
        return run.Id;
    }

    /// <summary>Whether <paramref name="run"/> can be resumed: it ended early (failed or interrupted) with alerts stored.</summary>
    public static bool CanResume(QueryRun run) =>
        run.Status is RunStatus.Failed or RunStatus.Interrupted && run.AlertCount > 0 && run.Query?.IsStream != true;

    /// <summary>
    /// Executes a run that ended early once more, in the background: it goes back to pending (one conditional update, so
    /// of two clicks one resumes it), the broker is asked again, and the executor keeps the alerts the run stored and
    /// appends only new ones. False when the run is not resumable (see <see cref="CanResume"/>).
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="userId">Who resumes it, whose quota it counts against.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="RunQuotaExceededException">The user has as many runs waiting as they may.</exception>
    public async Task<bool> ResumeAsync(long runId, string? userId, CancellationToken cancellationToken)
    {
        await EnsureQuotaAsync(userId, cancellationToken);
        var resumed = await db.QueryRuns
            .Where(r => r.Id == runId && (r.Status == RunStatus.Failed || r.Status == RunStatus.Interrupted) && r.AlertCount > 0 && !r.Query!.IsStream)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Pending)
                .SetProperty(r => r.Error, (string?)null)
                .SetProperty(r => r.Progress, (string?)null)
                .SetProperty(r => r.Finished, (DateTime?)null), cancellationToken);
        if (resumed == 0)
        {
            return false;
        }
        var owner = await db.QueryRuns.Where(r => r.Id == runId).Select(r => r.UserId ?? r.Query!.OwnerId).FirstOrDefaultAsync(cancellationToken);
        queue.Enqueue(runId, owner);
        return true;
    }

    private static void EnsureNotStream(BrokerQuery query)
    {
        if (query.IsStream)
        {
            throw new StreamQueryRunException(query.Name);
        }
    }

    private async Task EnsureQuotaAsync(string? userId, CancellationToken cancellationToken)
    {
        if (await quota.CheckAsync(userId, cancellationToken) is { } refusal)
        {
            throw new RunQuotaExceededException(refusal);
        }
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

/// <summary>A stream subscription's query is never run: its alerts arrive by Kafka into stream runs (ADR-010).</summary>
public sealed class StreamQueryRunException(string name)
    : InvalidOperationException($"\"{name}\" is the query of a stream subscription: its alerts arrive as they are published, so it is not run. Start or stop it on the Streams page.");
