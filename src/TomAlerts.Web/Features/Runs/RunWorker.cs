using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>
/// Executes queued runs in the background, a few at a time, and looks after runs nobody is executing: a run whose
/// heartbeat stopped (its process died) is marked interrupted, and a run left pending is queued again. With SQLite
/// only one process uses the database, so at start every run still marked running is interrupted at once. Stream runs
/// are never swept: their subscription's consumer opens and closes them.
/// </summary>
public sealed class RunWorker(RunQueue queue, IServiceScopeFactory scopes, IOptions<RunsOptions> options, TimeProvider clock, ILogger<RunWorker> logger)
    : BackgroundService
{
    private const string InterruptedMessage =
        "The run was interrupted when TomAlerts stopped. The alerts stored before that are kept; resume the run for the rest.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SweepAsync(atStart: true, stoppingToken);
        var workers = options.Value.Concurrency;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => ConsumeAsync(stoppingToken)).Append(SweepForeverAsync(stoppingToken)));
    }

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var runId in queue.ReadAllAsync(stoppingToken))
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<RunExecutor>().ExecuteAsync(runId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepForeverAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepSeconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(atStart: false, stoppingToken);
                }
                catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
                {
                    logger.LogWarning("Sweeping runs failed: {Reason}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepAsync(bool atStart, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var staleAfter = TimeSpan.FromSeconds(options.Value.StaleAfterSeconds);
        var staleBefore = now - staleAfter;
        // A stream run stays open while its subscription consumes; the stream worker keeps it (ADR-010).
        var running = db.QueryRuns.Where(r => r.Status == RunStatus.Running && !r.Query!.IsStream);
        if (!(atStart && db.Database.IsSqlite()))
        {
            running = running.Where(r => r.Heartbeat == null || r.Heartbeat < staleBefore);
        }
        var interrupted = await running
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Interrupted)
                .SetProperty(r => r.Progress, (string?)null)
                .SetProperty(r => r.Finished, now)
                .SetProperty(r => r.AlertCount, r => db.RunAlerts.Count(a => a.QueryRunId == r.Id))
                .SetProperty(r => r.Error, InterruptedMessage),
                cancellationToken);
        if (interrupted > 0)
        {
            logger.LogWarning("Marked {Count} runs interrupted: their process stopped", interrupted);
        }
        // At start every pending run is queued; later only those that waited long enough to have been lost.
        var pending = db.QueryRuns.Where(r => r.Status == RunStatus.Pending && !r.Query!.IsStream);
        if (!atStart)
        {
            pending = pending.Where(r => r.Created < staleBefore);
        }
        foreach (var run in await pending.OrderBy(r => r.Id).Select(r => new { r.Id, Owner = r.UserId ?? r.Query!.OwnerId }).ToListAsync(cancellationToken))
        {
            queue.Enqueue(run.Id, run.Owner);
        }
    }
}
