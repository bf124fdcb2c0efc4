namespace TomAlerts.Queries;

public enum RunStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Interrupted,
}

/// <summary>One execution of a saved query; its alerts are <see cref="RunAlert"/> rows.</summary>
public class QueryRun
{
    public long Id { get; set; }
    public int BrokerQueryId { get; set; }
    public BrokerQuery? Query { get; set; }
    public RunStatus Status { get; set; }
    public DateTime Created { get; set; }
    public DateTime? Started { get; set; }
    public DateTime? Finished { get; set; }
    public int AlertCount { get; set; }
    /// <summary>What the broker said besides its alerts (stored as text; pages HTML-encode it).</summary>
    public string? Feedback { get; set; }
    public string? Error { get; set; }
    /// <summary>Refreshed while the run executes, so another instance can tell a live run from one whose process died.</summary>
    public DateTime? Heartbeat { get; set; }
    /// <summary>A live status line while running, such as "waiting for the rate limit".</summary>
    public string? Progress { get; set; }
    public string? UserId { get; set; }
    /// <summary>Started by the query's schedule rather than by a person.</summary>
    public bool Scheduled { get; set; }
    public int NewAlertCount { get; set; }

    public bool IsFinished => Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Interrupted;
}
