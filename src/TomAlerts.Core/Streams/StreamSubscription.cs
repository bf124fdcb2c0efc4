using TomAlerts.Queries;

namespace TomAlerts.Streams;

/// <summary>
/// A saved subscription to a broker's Kafka topics. Its alerts land in stream runs of <see cref="Query"/>, a query
/// marked <see cref="BrokerQuery.IsStream"/> that holds the local filter (in the broker's query-form fields), the
/// digests and the auto-created targets, so runs, triage, targets and exports work on streamed alerts unchanged.
/// </summary>
public class StreamSubscription
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public StreamSource Source { get; set; }
    /// <summary>The Kafka topics, one per line.</summary>
    public required string Topics { get; set; }
    public string? OwnerId { get; set; }
    public QueryVisibility Visibility { get; set; } = QueryVisibility.Shared;

    public int BrokerQueryId { get; set; }
    public BrokerQuery? Query { get; set; }

    /// <summary>The consumer group; committed offsets under it are where a restart resumes.</summary>
    public required string GroupId { get; set; }
    /// <summary>
    /// The subscriber's own credentials (JSON), protected with the application's data-protection keys; null when the
    /// source's configured credentials are used. Never shown again after saving, never logged.
    /// </summary>
    public string? ProtectedCredentials { get; set; }

    /// <summary>Whether it should be consumed (started); stopping clears it.</summary>
    public bool Enabled { get; set; }
    public StreamState State { get; set; } = StreamState.Stopped;
    /// <summary>Why it is not consuming, in a user's words (missing credentials, the servers cannot be reached).</summary>
    public string? StateMessage { get; set; }

    public long MessagesConsumed { get; set; }
    /// <summary>Messages on the topics not yet consumed, summed over partitions, when last measured.</summary>
    public long? Lag { get; set; }
    /// <summary>Messages a second over the last measurement interval.</summary>
    public double? Throughput { get; set; }
    public DateTime? LastMessageAt { get; set; }

    /// <summary>The stream run alerts are appended to now (see ADR-010 for the rule that opens and closes it).</summary>
    public long? CurrentRunId { get; set; }
    /// <summary>Alerts of the current run up to this position have had their follow-ups (digests, targets) recorded.</summary>
    public int FollowedUpTo { get; set; } = -1;
    public DateTime? LastFollowUp { get; set; }

    /// <summary>The instance consuming it, and until when its claim holds unless renewed (one consumer in a deployment).</summary>
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }

    public DateTime Created { get; set; }
    public DateTime Modified { get; set; }

    public IReadOnlyList<string> TopicList =>
        Topics.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool IsVisibleTo(string? userId, bool isAdmin) =>
        isAdmin || Visibility == QueryVisibility.Shared || (userId is not null && OwnerId == userId);
}

public enum StreamState
{
    Stopped,
    Starting,
    Consuming,
    /// <summary>Started but not consuming: see <see cref="StreamSubscription.StateMessage"/>.</summary>
    Failing,
}

/// <summary>A message that could not be turned into alerts, kept with the reason instead of stopping the stream.</summary>
public class StreamDeadLetter
{
    public long Id { get; set; }
    public int StreamSubscriptionId { get; set; }
    public required string Topic { get; set; }
    public int Partition { get; set; }
    public long Offset { get; set; }
    public DateTime Received { get; set; }
    public required string Reason { get; set; }
    /// <summary>The message value as received, cut to its first 64 KiB.</summary>
    public byte[] Value { get; set; } = [];
}
