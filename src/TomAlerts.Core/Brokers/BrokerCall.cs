namespace TomAlerts.Brokers;

/// <summary>One HTTP call to a broker, kept for the health page (latency, errors, rate limits).</summary>
public class BrokerCall
{
    public long Id { get; set; }
    public required string Broker { get; set; }
    public DateTime At { get; set; }
    public int DurationMs { get; set; }
    /// <summary>HTTP status, or null when no answer came (timeout, connection refused).</summary>
    public int? Status { get; set; }
    public bool Succeeded { get; set; }
    public string? Error { get; set; }
    /// <summary>Requests left in the broker's rate-limit window, where it reports one.</summary>
    public int? RateLimitRemaining { get; set; }
}
