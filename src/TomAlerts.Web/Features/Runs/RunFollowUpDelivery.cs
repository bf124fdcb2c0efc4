using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>Wakes the follow-up worker when a run recorded follow-ups, so they need not wait for its next poll.</summary>
public sealed class RunFollowUpSignal
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Until woken or <paramref name="timeout"/> has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _wake.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>
/// Delivers a run's recorded follow-ups (<see cref="RunFollowUp"/>): each in turn, in the order their hooks were
/// registered, each in its own scope. A follow-up is claimed with one conditional update (so of several workers or
/// instances one delivers it), marked done with the hook's note once the hook returned, and retried with a doubling
/// wait when the hook threw, up to Runs:FollowUpMaxAttempts. A hook that completed is not run again; one cut short by a
/// crash is run again after the restart, so hooks are written to be safe to repeat (targets are matched rather than
/// created twice; webhook receivers get the run id to drop a repeated digest).
/// </summary>
public sealed class RunFollowUpDelivery(IServiceScopeFactory scopes, IOptions<RunsOptions> options, TimeProvider clock, ILogger<RunFollowUpDelivery> logger)
{
    /// <summary>The name a hook's follow-ups are recorded under.</summary>
    public static string NameOf(IRunCompletionHook hook) => hook.GetType().Name;

    /// <summary>The follow-ups of <paramref name="runId"/> that are due, delivered one after the other.</summary>
    public async Task DeliverRunAsync(long runId, CancellationToken cancellationToken)
    {
        List<long> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var now = Now;
            due = await db.RunFollowUps.Where(f => f.QueryRunId == runId && f.State == FollowUpState.Pending && f.NextAttempt <= now)
                .OrderBy(f => f.Id).Select(f => f.Id).ToListAsync(cancellationToken);
        }
        foreach (var id in due)
        {
            await DeliverAsync(id, cancellationToken);
        }
    }

    private async Task DeliverAsync(long followUpId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var started = Now;
        var claimed = await db.RunFollowUps.Where(f => f.Id == followUpId && f.State == FollowUpState.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(f => f.State, FollowUpState.Running)
                .SetProperty(f => f.Attempts, f => f.Attempts + 1)
                .SetProperty(f => f.Started, started), cancellationToken);
        if (claimed == 0)
        {
            return;
        }
        var followUp = await db.RunFollowUps.AsNoTracking().FirstAsync(f => f.Id == followUpId, CancellationToken.None);
        var run = await db.QueryRuns.AsNoTracking().Include(r => r.Query).FirstOrDefaultAsync(r => r.Id == followUp.QueryRunId, CancellationToken.None);
        var hook = scope.ServiceProvider.GetServices<IRunCompletionHook>().FirstOrDefault(h => NameOf(h) == followUp.Hook);
        if (run?.Query is null || hook is null)
        {
            await FinishAsync(db, followUp, FollowUpState.Failed, note: null, error: "This follow-up is no longer part of TomAlerts.");
            return;
        }
        try
        {
            var note = await hook.AfterRunAsync(run, new AlertWindow(followUp.FromPosition, followUp.ToPosition), cancellationToken);
            await FinishAsync(db, followUp, FollowUpState.Done, note is { Length: > 0 } ? RunExecutor.Truncate(note, 4000) : null, error: null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the follow-up waits for the next start, and this attempt does not count.
            await db.RunFollowUps.Where(f => f.Id == followUp.Id && f.State == FollowUpState.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(f => f.State, FollowUpState.Pending)
                    .SetProperty(f => f.Attempts, f => f.Attempts - 1), CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            var attempts = followUp.Attempts;
            var error = $"The follow-up stopped early ({e.GetType().Name}).";
            if (attempts >= options.Value.FollowUpMaxAttempts)
            {
                logger.LogError(e, "Follow-up {Hook} of run {RunId} failed for good after {Attempts} attempts", followUp.Hook, run.Id, attempts);
                await FinishAsync(db, followUp, FollowUpState.Failed, $"Follow-up after the run failed ({e.GetType().Name}).", error);
                return;
            }
            var retryAt = Now + TimeSpan.FromSeconds(options.Value.FollowUpRetrySeconds * Math.Pow(2, attempts - 1));
            logger.LogWarning(e, "Follow-up {Hook} of run {RunId} failed (attempt {Attempts}); retried at {RetryAt}", followUp.Hook, run.Id, attempts, retryAt);
            await db.RunFollowUps.Where(f => f.Id == followUp.Id)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(f => f.State, FollowUpState.Pending)
                    .SetProperty(f => f.NextAttempt, retryAt)
                    .SetProperty(f => f.LastError, error), CancellationToken.None);
        }
    }

    /// <summary>Marks the follow-up finished and adds its note to the run's feedback, both in one transaction.</summary>
    private async Task FinishAsync(AppDbContext db, RunFollowUp followUp, FollowUpState state, string? note, string? error)
    {
        db.ChangeTracker.Clear();
        var finished = Now;
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        await db.RunFollowUps.Where(f => f.Id == followUp.Id)
            .ExecuteUpdateAsync(s => s
                .SetProperty(f => f.State, state)
                .SetProperty(f => f.Note, note)
                .SetProperty(f => f.LastError, error)
                .SetProperty(f => f.Finished, finished), CancellationToken.None);
        if (note is not null)
        {
            await db.QueryRuns.Where(r => r.Id == followUp.QueryRunId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Feedback, r => r.Feedback == null || r.Feedback == "" ? note : r.Feedback + "\n" + note),
                    CancellationToken.None);
        }
        await transaction.CommitAsync(CancellationToken.None);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
