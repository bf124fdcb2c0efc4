using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Brokers;
using TomAlerts.Brokers.Resilience;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.BrokerHealth;

/// <summary>A failed run the viewer may see, for the health page.</summary>
public sealed record FailedRun(long Id, string QueryName, DateTime At, string? Error);

/// <summary>One broker's health: its settings, its circuit, and what its recorded calls say.</summary>
public sealed class BrokerHealth
{
    public required IBroker Broker { get; init; }
    public required BrokerCircuit Circuit { get; init; }
    public DateTime? LastSuccess { get; init; }
    public BrokerCall? LastError { get; init; }
    public int? P50Ms { get; init; }
    public int? P95Ms { get; init; }
    /// <summary>How many recent calls the percentiles are over.</summary>
    public int LatencySample { get; init; }
    public int CallsLastHour { get; init; }
    public int? RateLimitRemaining { get; init; }
    public DateTime? RateLimitAt { get; init; }
    public FailedRun? LastFailedRun { get; init; }
}

/// <summary>
/// Health from the recorded <see cref="BrokerCall"/> rows (so it survives restarts) and the in-memory circuits (closed
/// after a restart, as the pipelines are). A few indexed queries per broker; no broker is called.
/// </summary>
public sealed class BrokerHealthReader(AppDbContext db, BrokerCircuits circuits, IOptions<BrokerHealthOptions> options, TimeProvider clock)
{
    public async Task<IReadOnlyList<BrokerHealth>> ReadAsync(IReadOnlyList<IBroker> brokers, string? userId, bool isAdmin, CancellationToken cancellationToken)
    {
        var result = new List<BrokerHealth>(brokers.Count);
        foreach (var broker in brokers)
        {
            result.Add(broker.IsStub
                ? new BrokerHealth { Broker = broker, Circuit = circuits[broker.Name] }
                : await ReadAsync(broker, userId, isAdmin, cancellationToken));
        }
        return result;
    }

    private async Task<BrokerHealth> ReadAsync(IBroker broker, string? userId, bool isAdmin, CancellationToken cancellationToken)
    {
        var name = broker.Name;
        var calls = db.BrokerCalls.AsNoTracking().Where(c => c.Broker == name);
        var recent = await calls.OrderByDescending(c => c.At).ThenByDescending(c => c.Id)
            .Take(Math.Clamp(options.Value.LatencyWindow, 1, 10_000)).ToListAsync(cancellationToken);

        var lastSuccess = recent.FirstOrDefault(c => c.Succeeded)?.At
            ?? await calls.Where(c => c.Succeeded).OrderByDescending(c => c.At).Select(c => (DateTime?)c.At).FirstOrDefaultAsync(cancellationToken);
        var lastError = recent.FirstOrDefault(c => !c.Succeeded)
            ?? await calls.Where(c => !c.Succeeded).OrderByDescending(c => c.At).FirstOrDefaultAsync(cancellationToken);
        var rateLimited = recent.FirstOrDefault(c => c.RateLimitRemaining is not null)
            ?? await calls.Where(c => c.RateLimitRemaining != null).OrderByDescending(c => c.At).FirstOrDefaultAsync(cancellationToken);
        var hourAgo = clock.GetUtcNow().UtcDateTime.AddHours(-1);
        var lastHour = await calls.CountAsync(c => c.At >= hourAgo, cancellationToken);

        var durations = recent.Select(c => c.DurationMs).Order().ToList();
        var failedRun = await db.QueryRuns.AsNoTracking()
            .Where(r => r.Status == RunStatus.Failed && r.Query!.Broker == name)
            .Where(r => isAdmin || r.Query!.Visibility == QueryVisibility.Shared || (userId != null && r.Query!.OwnerId == userId))
            .OrderByDescending(r => r.Id)
            .Select(r => new FailedRun(r.Id, r.Query!.Name, r.Finished ?? r.Created, r.Error))
            .FirstOrDefaultAsync(cancellationToken);

        return new BrokerHealth
        {
            Broker = broker,
            Circuit = circuits[name],
            LastSuccess = lastSuccess,
            LastError = lastError,
            P50Ms = Percentile(durations, 0.50),
            P95Ms = Percentile(durations, 0.95),
            LatencySample = durations.Count,
            CallsLastHour = lastHour,
            RateLimitRemaining = rateLimited?.RateLimitRemaining,
            RateLimitAt = rateLimited?.At,
            LastFailedRun = failedRun,
        };
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="q"/> of the sample at or below it.</summary>
    public static int? Percentile(IReadOnlyList<int> sorted, double q) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
