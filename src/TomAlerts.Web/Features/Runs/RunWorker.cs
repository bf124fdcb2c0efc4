using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>
/// Executes queued runs in the background, a few at a time. On start, runs a stopped process left running are
/// marked interrupted, and runs still pending are queued again.
/// </summary>
public sealed class RunWorker(RunQueue queue, IServiceScopeFactory scopes, IConfiguration configuration, ILogger<RunWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RecoverAsync(stoppingToken);
        var workers = Math.Clamp(configuration.GetValue("Runs:Concurrency", 2), 1, 16);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => ConsumeAsync(stoppingToken)));
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

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var interrupted = await db.QueryRuns
            .Where(r => r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Interrupted)
                .SetProperty(r => r.Progress, (string?)null)
                .SetProperty(r => r.Error, "The run was interrupted when TomAlerts stopped. The alerts stored before that are kept; run the query again for the rest."),
                cancellationToken);
        if (interrupted > 0)
        {
            logger.LogWarning("Marked {Count} runs interrupted after a restart", interrupted);
        }
        foreach (var runId in await db.QueryRuns.Where(r => r.Status == RunStatus.Pending).Select(r => r.Id).ToListAsync(cancellationToken))
        {
            queue.Enqueue(runId);
        }
    }
}
