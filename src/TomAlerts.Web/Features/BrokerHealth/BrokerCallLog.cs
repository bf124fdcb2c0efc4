using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Brokers;
using TomAlerts.Brokers.Resilience;
using TomAlerts.Data;

namespace TomAlerts.Web.Features.BrokerHealth;

/// <summary>
/// Writes every broker call to the database for the health page, off the caller's path: calls go into a bounded
/// queue (a full queue drops the newest rather than making a broker call wait) and a background loop writes them in
/// batches. Rows older than <see cref="BrokerHealthOptions.RetentionDays"/> are pruned on start and hourly.
/// </summary>
public sealed partial class BrokerCallLog : BackgroundService, IBrokerCallRecorder
{
    private const int BatchSize = 500;
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private readonly Channel<BrokerCall> _queue;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly BrokerHealthOptions _options;
    private readonly ILogger<BrokerCallLog> _logger;
    private long _dropped;

    public BrokerCallLog(IServiceScopeFactory scopes, TimeProvider clock, IOptions<BrokerHealthOptions> options, ILogger<BrokerCallLog> logger)
    {
        _scopes = scopes;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateBounded<BrokerCall>(new BoundedChannelOptions(Math.Max(1, _options.QueueCapacity))
        {
            // TryWrite never waits; in this mode it says when the queue is full, so drops can be counted.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Calls dropped because the queue was full (the database fell far behind).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(BrokerCall call)
    {
        if (!_queue.Writer.TryWrite(call))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken) =>
        await Task.WhenAll(WriteLoopAsync(stoppingToken), PruneLoopAsync(stoppingToken));

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<BrokerCall>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteAvailableAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // What the last calls before a shutdown left in the queue is still worth keeping.
        await WriteAvailableAsync(batch, CancellationToken.None);
    }

    private async Task PruneLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PruneEvery, _clock);
        try
        {
            do
            {
                await PruneAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAvailableAsync(List<BrokerCall> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var call))
            {
                batch.Add(call);
            }
            if (batch.Count == 0)
            {
                return;
            }
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                db.BrokerCalls.AddRange(batch);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException or ObjectDisposedException)
            {
                // Health rows are a diagnostic: losing a batch must never stop the app or a run.
                LogWriteFailed(_logger, batch.Count, e.Message);
            }
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var cutoff = _clock.GetUtcNow().UtcDateTime.AddDays(-Math.Max(1, _options.RetentionDays));
            var pruned = await db.BrokerCalls.Where(c => c.At < cutoff).ExecuteDeleteAsync(cancellationToken);
            if (pruned > 0)
            {
                LogPruned(_logger, pruned);
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            LogWriteFailed(_logger, 0, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} broker call records: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} broker call records past their retention")]
    private static partial void LogPruned(ILogger logger, int count);
}
