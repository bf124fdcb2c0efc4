using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Brokers.Resilience;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>
/// Executes one run: streams the broker's alerts into <see cref="RunAlert"/> rows in batches (memory stays flat
/// whatever the run's size), then records the outcome. A broker failure is the run's result, never an escape. A
/// succeeded run's follow-ups (<see cref="IRunCompletionHook"/>) are recorded in the same transaction that marks it
/// succeeded and delivered by <see cref="RunFollowUpWorker"/>, outside the run slots.
/// </summary>
public sealed class RunExecutor(AppDbContext db, BrokerRegistry brokers, IServiceScopeFactory scopes, TimeProvider clock, ILogger<RunExecutor> logger,
    IEnumerable<IRunCompletionHook> completionHooks, RunFollowUpSignal followUps)
{
    public const int BatchSize = 1000;

    /// <summary>
    /// The run's writes — a batch, a progress line, a heartbeat — take turns: a batch is written while the next alerts
    /// are read, and a line written from another connection meanwhile would wait on SQLite's one writer (a run of 10,000
    /// alerts took three times as long).
    /// </summary>
    private readonly SemaphoreSlim _writes = new(1, 1);

    /// <summary>Set once the outcome is being recorded: a progress line still queued then is not written.</summary>
    private bool _finished;

    /// <summary>How often a running run says it is alive (<see cref="QueryRun.Heartbeat"/>).</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(20);

    public async Task ExecuteAsync(long runId, CancellationToken cancellationToken)
    {
        // Claiming is one conditional update, so of several instances (or queue entries) exactly one executes a run.
        _finished = false;
        var started = Now;
        var claimed = await db.QueryRuns.Where(r => r.Id == runId && r.Status == RunStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Running)
                .SetProperty(r => r.Started, started)
                .SetProperty(r => r.Heartbeat, started), cancellationToken);
        var run = claimed == 0 ? null : await db.QueryRuns.Include(r => r.Query).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run?.Query is null)
        {
            return;
        }
        var query = run.Query;
        query.LastRun = started;
        await db.SaveChangesAsync(cancellationToken);
        using var alive = new CancellationTokenSource();
        var heartbeat = BeatAsync(run.Id, alive.Token);

        var feedback = new FetchFeedback();
        feedback.StatusChanged += status => _ = SetProgressAsync(run.Id, status);
        // The broker's HTTP client reports rate-limit waits to this run's status line.
        using var brokerCalls = BrokerCallScope.ForRun(feedback);
        BrokerRateLimitException? rateLimit = null;
        try
        {
            var broker = brokers.GetServiceClass(query.Broker);
            var parameters = query.ReadParameters()
                ?? throw new BrokerException("The saved parameters of this query are not valid JSON; edit and save the query again.");
            run.AlertCount = await StoreAlertsAsync(run.Id, query, broker, parameters, feedback, cancellationToken);
            run.Status = RunStatus.Succeeded;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Status = RunStatus.Interrupted;
            run.Error = "The run was interrupted when TomAlerts stopped.";
        }
        catch (BrokerRateLimitException e)
        {
            run.Status = RunStatus.Failed;
            rateLimit = e;
            logger.LogWarning("Run {RunId} of query {QueryId} stopped at the {Broker} rate limit, which resets at {ResetsAt}", run.Id, query.Id, e.Broker, e.ResetsAt);
        }
        catch (Exception e) when (e is BrokerException or BrokerNotFoundException)
        {
            run.Status = RunStatus.Failed;
            run.Error = RunMessages.WithDetail(e.Message, (e as BrokerException)?.TechnicalDetail);
            logger.LogWarning("Run {RunId} of query {QueryId} failed: {Reason}", run.Id, query.Id, e.Message);
        }
        catch (Exception e)
        {
            run.Status = RunStatus.Failed;
            run.Error = RunMessages.WithDetail(
                $"TomAlerts could not read {query.Broker}'s answer. The alerts stored before the failure are kept; try again later, and if this lasts, tell an administrator.",
                $"{e.GetType().Name} while reading the answer.");
            logger.LogError(e, "Run {RunId} of query {QueryId} failed unexpectedly", run.Id, query.Id);
        }

        await alive.CancelAsync();
        await heartbeat;
        await InTurnAsync(() =>
        {
            _finished = true;
            return Task.CompletedTask;
        }, CancellationToken.None);
        run.AlertCount = await db.RunAlerts.CountAsync(a => a.QueryRunId == run.Id, CancellationToken.None);
        if (rateLimit is not null)
        {
            run.Error = RunMessages.WithDetail(RunMessages.RateLimited(rateLimit.Broker, rateLimit.ResetsAt, run.AlertCount, clock.GetUtcNow()), rateLimit.TechnicalDetail);
        }
        run.Feedback = feedback.Text;
        run.Progress = null;
        run.Finished = Now;
        db.ChangeTracker.Clear();
        db.Attach(run);
        db.Entry(run).Property(r => r.Status).IsModified = true;
        db.Entry(run).Property(r => r.Error).IsModified = true;
        db.Entry(run).Property(r => r.AlertCount).IsModified = true;
        db.Entry(run).Property(r => r.Feedback).IsModified = true;
        db.Entry(run).Property(r => r.Progress).IsModified = true;
        db.Entry(run).Property(r => r.Finished).IsModified = true;
        if (run.Status == RunStatus.Succeeded)
        {
            // One SaveChanges, one transaction: a run that reads succeeded has its follow-ups recorded.
            var now = Now;
            foreach (var hook in completionHooks.Select(RunFollowUpDelivery.NameOf).Distinct(StringComparer.Ordinal))
            {
                db.RunFollowUps.Add(new RunFollowUp { QueryRunId = run.Id, Hook = hook, State = FollowUpState.Pending, Created = now, NextAttempt = now });
            }
        }
        await db.SaveChangesAsync(CancellationToken.None);
        if (run.Status == RunStatus.Succeeded)
        {
            followUps.Wake();
        }
    }

    private async Task<int> StoreAlertsAsync(long runId, BrokerQuery query, IBroker broker, JsonObject parameters, FetchFeedback feedback, CancellationToken cancellationToken)
    {
        // A resumed run keeps what it stored: those alerts are seen already, and new ones follow the last.
        var seen = (await db.RunAlerts.Where(a => a.QueryRunId == runId).Select(a => a.AlertId).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var position = seen.Count == 0 ? 0 : await db.RunAlerts.Where(a => a.QueryRunId == runId).MaxAsync(a => a.Position, cancellationToken) + 1;
        // Only an alert an earlier run of the query returned is not new; a query's first run needs no look-up per batch.
        var earlierRuns = await db.QueryRuns.AnyAsync(r => r.BrokerQueryId == query.Id && r.Id < runId, cancellationToken);
        var batch = new List<RunAlert>(BatchSize);
        var stored = seen.Count;
        // One batch is written while the broker's next alerts are read; the run's context is the writer's alone meanwhile.
        // A batch read in full is written in full, even when TomAlerts is stopping: the run keeps it when it resumes.
        var writing = Task.CompletedTask;
        try
        {
            await foreach (var (raw, json) in FetchAsync(broker, parameters, feedback, cancellationToken))
            {
                var alert = broker.ToGenericAlert(raw);
                if (!seen.Add(Truncate(alert.Id, 200)))
                {
                    continue; // brokers' pages can shift while paging; an alert is stored once per run
                }
                stored++;
                batch.Add(RunAlertRows.Create(runId, position++, alert, json));
                if (batch.Count == BatchSize)
                {
                    await writing;
                    var (full, count) = (batch, stored);
                    batch = new List<RunAlert>(BatchSize);
                    writing = Task.Run(() => FlushAsync(runId, query, earlierRuns, full, count, CancellationToken.None), CancellationToken.None);
                }
            }
        }
        finally
        {
            await writing;
        }
        await FlushAsync(runId, query, earlierRuns, batch, stored, cancellationToken);
        return stored;
    }

    /// <summary>The broker's alerts with the JSON text to store: as received where the broker keeps it, else serialised.</summary>
    private static async IAsyncEnumerable<RawAlert> FetchAsync(IBroker broker, JsonObject parameters, FetchFeedback feedback,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (broker is IStreamsRawAlerts rawAlerts)
        {
            await foreach (var alert in rawAlerts.FetchRawAlertsAsync(parameters, feedback, cancellationToken))
            {
                yield return alert;
            }
            yield break;
        }
        await foreach (var alert in broker.FetchAlertsAsync(parameters, feedback, cancellationToken))
        {
            yield return new RawAlert(alert, alert.ToJsonString());
        }
    }

    private async Task FlushAsync(long runId, BrokerQuery query, bool earlierRuns, List<RunAlert> batch, int stored, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        await InTurnAsync(async () =>
        {
            // New means no earlier run of the same query returned this broker alert id.
            var newCount = earlierRuns ? await RunAlertRows.MarkNewAsync(db, runId, query.Id, batch, cancellationToken) : RunAlertRows.MarkAllNew(batch);
            await RunAlertRows.InsertAsync(db, query.Broker, batch, cancellationToken);
            await db.QueryRuns.Where(r => r.Id == runId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.AlertCount, stored)
                    .SetProperty(r => r.NewAlertCount, r => r.NewAlertCount + newCount), cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Runs one of the run's writes in its turn (<see cref="_writes"/>).</summary>
    private async Task InTurnAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            await write();
        }
        finally
        {
            _writes.Release();
        }
    }

    private async Task SetProgressAsync(long runId, string? status)
    {
        try
        {
            await InTurnAsync(async () =>
            {
                if (_finished)
                {
                    return;
                }
                await using var scope = scopes.CreateAsyncScope();
                var progressDb = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                await progressDb.QueryRuns.Where(r => r.Id == runId)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Progress, status is null ? null : Truncate(status, 500)));
            }, CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
        {
            logger.LogDebug(e, "Could not record progress of run {RunId}", runId);
        }
    }

    private async Task BeatAsync(long runId, CancellationToken stop)
    {
        try
        {
            using var timer = new PeriodicTimer(HeartbeatInterval, clock);
            while (await timer.WaitForNextTickAsync(stop))
            {
                await InTurnAsync(async () =>
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var beatDb = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                    var now = Now;
                    await beatDb.QueryRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Heartbeat, now), stop);
                }, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning("Heartbeat of run {RunId} stopped: {Reason}", runId, e.Message);
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    internal static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
