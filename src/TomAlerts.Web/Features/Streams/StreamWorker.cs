using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Data;
using TomAlerts.Streams;

namespace TomAlerts.Web.Features.Streams;

/// <summary>
/// Consumes the started subscriptions this instance holds a lease on (a conditional update on the subscription row:
/// free, expired or already its own), one <see cref="StreamConsumer"/> each; renews the leases every few seconds and
/// stops a consumer when its subscription is stopped or deleted or another instance took it. A dead instance's leases
/// expire and another instance takes over from the committed offsets.
/// </summary>
public sealed class StreamWorker(IServiceScopeFactory scopes, IServiceProvider services, IOptions<StreamsOptions> options, TimeProvider clock,
    ILogger<StreamWorker> logger) : BackgroundService
{
    private sealed record Running(StreamConsumer Consumer, CancellationTokenSource Stop, Task Loop, DateTime Modified);

    private readonly Dictionary<int, Running> _running = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ScanAsync(stoppingToken);
                }
                catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Looking for stream subscriptions to consume failed: {Reason}", e.Message);
                }
                await Task.Delay(TimeSpan.FromSeconds(options.Value.ScanSeconds), clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var running in _running.Values)
            {
                Stop(running, StreamStopReason.Shutdown);
            }
            await Task.WhenAll(_running.Values.Select(r => r.Loop));
            _running.Clear();
        }
    }

    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        var me = options.Value.InstanceId;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var subscriptions = await db.StreamSubscriptions.AsNoTracking()
            .Select(s => new { s.Id, s.Enabled, s.State, s.LeaseOwner, s.LeaseUntil, s.Modified })
            .ToListAsync(cancellationToken);
        var byId = subscriptions.ToDictionary(s => s.Id);

        foreach (var (id, running) in _running.ToList())
        {
            if (running.Loop.IsCompleted)
            {
                _running.Remove(id);
                running.Stop.Dispose();
            }
            else if (!byId.TryGetValue(id, out var subscription) || !subscription.Enabled)
            {
                Stop(running, StreamStopReason.Stopped);
            }
        }

        foreach (var subscription in subscriptions)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var until = now.AddSeconds(options.Value.LeaseSeconds);
            var id = subscription.Id;
            if (subscription.Enabled)
            {
                var held = await db.StreamSubscriptions
                    .Where(s => s.Id == id && s.Enabled && (s.LeaseOwner == me || s.LeaseUntil == null || s.LeaseUntil < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseOwner, me).SetProperty(x => x.LeaseUntil, until), cancellationToken) == 1;
                _running.TryGetValue(id, out var running);
                if (!held)
                {
                    if (running is not null)
                    {
                        logger.LogWarning("Stream subscription {SubscriptionId} is consumed by another instance now", id);
                        Stop(running, StreamStopReason.LeaseLost);
                    }
                    continue;
                }
                if (running is not null && running.Modified != subscription.Modified)
                {
                    // Edited (topics, credentials, filter): consumed again with what it says now.
                    Stop(running, StreamStopReason.Shutdown);
                    await running.Loop;
                    _running.Remove(id);
                    running = null;
                }
                if (running is null && !_running.ContainsKey(id))
                {
                    Start(id, subscription.Modified);
                }
            }
            else if (subscription.State != StreamState.Stopped && !_running.ContainsKey(id))
            {
                // Stopped while no instance consumed it: its run is closed by whoever claims it first.
                var claimed = await db.StreamSubscriptions
                    .Where(s => s.Id == id && !s.Enabled && s.State != StreamState.Stopped && (s.LeaseOwner == me || s.LeaseUntil == null || s.LeaseUntil < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseOwner, me).SetProperty(x => x.LeaseUntil, until), cancellationToken) == 1;
                if (claimed)
                {
                    await scope.ServiceProvider.GetRequiredService<StreamRunStore>().CloseAbandonedAsync(id, cancellationToken);
                    await db.StreamSubscriptions.Where(s => s.Id == id && !s.Enabled)
                        .ExecuteUpdateAsync(s => s
                            .SetProperty(x => x.State, StreamState.Stopped)
                            .SetProperty(x => x.StateMessage, (string?)null)
                            .SetProperty(x => x.LeaseOwner, (string?)null)
                            .SetProperty(x => x.LeaseUntil, (DateTime?)null), cancellationToken);
                }
            }
        }
    }

    private void Start(int subscriptionId, DateTime modified)
    {
        var consumer = ActivatorUtilities.CreateInstance<StreamConsumer>(services, subscriptionId);
        var stop = new CancellationTokenSource();
        // Consuming blocks on librdkafka's poll: each subscription gets its own thread.
        var loop = Task.Factory.StartNew(() => consumer.RunAsync(stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        _running[subscriptionId] = new Running(consumer, stop, loop, modified);
        logger.LogInformation("Consuming stream subscription {SubscriptionId}", subscriptionId);
    }

    private static void Stop(Running running, StreamStopReason reason)
    {
        if (running.Stop.IsCancellationRequested)
        {
            return;
        }
        running.Consumer.StopReason = reason;
        running.Stop.Cancel();
    }
}
