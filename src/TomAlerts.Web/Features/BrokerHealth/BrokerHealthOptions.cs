namespace TomAlerts.Web.Features.BrokerHealth;

/// <summary>The <c>BrokerHealth</c> settings section.</summary>
public sealed class BrokerHealthOptions
{
    public const string SectionName = "BrokerHealth";

    /// <summary>Recorded broker calls older than this are deleted.</summary>
    public int RetentionDays { get; set; } = 7;

    /// <summary>Latency percentiles are taken over this many most recent calls.</summary>
    public int LatencyWindow { get; set; } = 100;

    /// <summary>How long a page (a GET) may wait for brokers in total; past it the page shows what it has.</summary>
    public TimeSpan PageBudget { get; set; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Calls waiting to be written; beyond this, new ones are dropped rather than slowing a broker call down.</summary>
    public int QueueCapacity { get; set; } = 10_000;
}
