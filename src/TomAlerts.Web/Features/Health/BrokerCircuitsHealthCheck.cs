using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TomAlerts.Brokers;
using TomAlerts.Brokers.Resilience;

namespace TomAlerts.Web.Features.Health;

/// <summary>
/// Degraded while any installed broker's circuit breaker is open (its calls fail at once until the break ends): the portal
/// still works, that broker does not. An open circuit whose break is over counts as closed again, as its next call tests it.
/// </summary>
public sealed class BrokerCircuitsHealthCheck(BrokerRegistry brokers, BrokerCircuits circuits, TimeProvider clock) : IHealthCheck
{
    public const string Name = "brokers";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var open = brokers.Names
            .Select(name => (Name: name, Circuit: circuits[name]))
            .Where(b => b.Circuit.IsOpen && (b.Circuit.RetryAt is null || b.Circuit.RetryAt > now))
            .ToList();
        if (open.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"No broker circuit is open ({brokers.Names.Count} brokers)."));
        }
        var described = open.Select(b => b.Circuit.RetryAt is { } retryAt
            ? $"{b.Name} (calls paused until {retryAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC)"
            : b.Name);
        return Task.FromResult(HealthCheckResult.Degraded($"Circuit breaker open: {string.Join(", ", described)}."));
    }
}
