using System.Collections.Concurrent;

namespace TomAlerts.Brokers.Resilience;

public enum CircuitPosition
{
    /// <summary>Calls go through.</summary>
    Closed,
    /// <summary>The broker failed repeatedly: calls fail at once until <see cref="BrokerCircuit.RetryAt"/>.</summary>
    Open,
    /// <summary>The break is over and the next call tests the broker.</summary>
    HalfOpen,
}

/// <summary>One broker's circuit breaker as last reported by its resilience pipeline.</summary>
public sealed record BrokerCircuit(CircuitPosition Position, DateTimeOffset? Since, DateTimeOffset? RetryAt, string? Reason)
{
    public static BrokerCircuit Closed { get; } = new(CircuitPosition.Closed, null, null, null);

    public bool IsOpen => Position == CircuitPosition.Open;
}

/// <summary>
/// The circuit state of every broker's HTTP client, kept in memory from the circuit breaker's callbacks. After a
/// restart every circuit is closed again, as the pipelines are.
/// </summary>
public sealed class BrokerCircuits
{
    private readonly ConcurrentDictionary<string, BrokerCircuit> _circuits = new(StringComparer.OrdinalIgnoreCase);

    public BrokerCircuit this[string broker] => _circuits.GetValueOrDefault(broker, BrokerCircuit.Closed);

    internal void Opened(string broker, DateTimeOffset at, TimeSpan breakDuration, string reason) =>
        _circuits[broker] = new BrokerCircuit(CircuitPosition.Open, at, at + breakDuration, reason);

    internal void HalfOpened(string broker, DateTimeOffset at) =>
        _circuits[broker] = this[broker] with { Position = CircuitPosition.HalfOpen, Since = at, RetryAt = null };

    internal void Closed(string broker) => _circuits[broker] = BrokerCircuit.Closed;
}
