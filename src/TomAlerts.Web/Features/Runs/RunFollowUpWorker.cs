using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>
/// Delivers runs' follow-ups in the background, apart from the run slots (Runs:Concurrency), so a slow webhook receiver
/// or a long batch of targets delays only its own run's follow-ups, never other runs or schedules. Up to
/// Runs:FollowUpConcurrency runs' follow-ups at once. At start, follow-ups left in progress by a process that died are
/// pending again (with SQLite all of them, as one process uses the database; elsewhere those in progress for longer
/// than Runs:FollowUpStaleAfterSeconds), and every pending one is delivered.
/// </summary>
public sealed class RunFollowUpWorker(RunFollowUpDelivery delivery, RunFollowUpSignal signal, IServiceScopeFactory scopes, IOptions<RunsOptions> options,
    TimeProvider clock, ILogger<RunFollowUpWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, Task> _active = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var atStart = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ResumeAbandonedAsync(atStart, stoppingToken);
                    atStart = false;
                    await DispatchAsync(stoppingToken);
                }
                catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Looking for follow-ups failed: {Reason}", e.Message);
                }
                await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.SweepSeconds), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(_active.Values);
    }

    private async Task ResumeAbandonedAsync(bool atStart, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var running = db.RunFollowUps.Where(f => f.State == FollowUpState.Running);
        if (!(atStart && db.Database.IsSqlite()))
        {
            var staleBefore = clock.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(options.Value.FollowUpStaleAfterSeconds);
            running = running.Where(f => f.Started == null || f.Started < staleBefore);
        }
        var resumed = await running.ExecuteUpdateAsync(s => s.SetProperty(f => f.State, FollowUpState.Pending), cancellationToken);
        if (resumed > 0)
        {
            logger.LogWarning("Resuming {Count} follow-ups whose process stopped before they finished", resumed);
        }
    }

    /// <summary>Starts delivering the due follow-ups of as many runs as there are free slots, oldest first.</summary>
    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        var free = options.Value.FollowUpConcurrency - _active.Count;
        if (free <= 0)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var busy = _active.Keys.ToList();
        var runs = await db.RunFollowUps.Where(f => f.State == FollowUpState.Pending && f.NextAttempt <= now && !busy.Contains(f.QueryRunId))
            .GroupBy(f => f.QueryRunId).Select(g => new { RunId = g.Key, First = g.Min(f => f.Id) })
            .OrderBy(g => g.First).Take(free).Select(g => g.RunId).ToListAsync(stoppingToken);
        foreach (var runId in runs)
        {
            // Listed before it starts, so its removal when it ends cannot come first.
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _active[runId] = DeliverAsync(runId, go.Task, stoppingToken);
            go.SetResult();
        }
    }

    private async Task DeliverAsync(long runId, Task go, CancellationToken stoppingToken)
    {
        await go;
        try
        {
            await delivery.DeliverRunAsync(runId, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Delivering the follow-ups of run {RunId} failed", runId);
        }
        finally
        {
            _active.TryRemove(runId, out _);
            signal.Wake(); // a slot is free, and this run may have more due
        }
    }
}
