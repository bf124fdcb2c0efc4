namespace TomAlerts.Brokers;

/// <summary>Whether a broker has every setting it needs, and if not, which are missing.</summary>
public sealed record BrokerStatus(IReadOnlyList<string> MissingSettings)
{
    public static BrokerStatus Configured { get; } = new([]);

    /// <summary>What a configured broker still cannot do, e.g. one survey of two without its key; shown beside its state.</summary>
    public string? Note { get; init; }

    public bool IsConfigured => MissingSettings.Count == 0;
}
