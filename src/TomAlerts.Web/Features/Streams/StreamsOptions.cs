namespace TomAlerts.Web.Features.Streams;

/// <summary>The "Streams" configuration section: how subscriptions are consumed.</summary>
public sealed class StreamsOptions
{
    /// <summary>Follow-ups (digests, targets for new alerts) are recorded once per window of this length, never per message.</summary>
    public int FollowUpWindowSeconds { get; set; } = 300;

    /// <summary>Messages stored in one database transaction at most.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>How long a batch waits to fill before what arrived is stored.</summary>
    public int BatchMaxWaitMilliseconds { get; set; } = 200;

    /// <summary>An instance's claim on a subscription lasts this long unless renewed; a dead instance's claim expires after it.</summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How often subscriptions to start, stop or take over are looked for (and leases renewed).</summary>
    public int ScanSeconds { get; set; } = 2;

    /// <summary>How often lag and throughput are measured and written to the subscription.</summary>
    public int StatsSeconds { get; set; } = 5;

    /// <summary>librdkafka's prefetch queue per consumer, in KiB: bounds memory whatever a topic's rate.</summary>
    public int QueuedMaxMessagesKbytes { get; set; } = 16 * 1024;

    /// <summary>The most bytes one fetch brings back.</summary>
    public int FetchMaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// A consumer that stops answering is dropped from its group after this long, and only then are its partitions
    /// given to another consumer of the group (a stopped one leaves at once on a real Kafka server).
    /// </summary>
    public int SessionTimeoutSeconds { get; set; } = 45;

    /// <summary>This instance's name in leases; unique per process unless set.</summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
}
