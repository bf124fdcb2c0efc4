namespace TomAlerts.Queries;

public enum FollowUpState
{
    Pending,
    Running,
    Done,
    Failed,
}

/// <summary>
/// One piece of work that follows a succeeded run (a digest, targets for its new alerts), recorded in the same
/// transaction that marks the run succeeded, so a crash between the two cannot lose it: the follow-up worker delivers
/// it, retries a failure a few times, and resumes it after a restart.
/// </summary>
public class RunFollowUp
{
    public long Id { get; set; }
    public long QueryRunId { get; set; }
    /// <summary>The name of the completion hook that does the work.</summary>
    public string Hook { get; set; } = "";
    /// <summary>
    /// The alert positions (inclusive) this follow-up covers: a stream run has one follow-up per hook per window;
    /// an ordinary run's follow-ups cover all of it (0 and null).
    /// </summary>
    public int FromPosition { get; set; }
    public int? ToPosition { get; set; }
    public FollowUpState State { get; set; }
    public int Attempts { get; set; }
    /// <summary>Why the last attempt failed, in a few words (the log has the rest).</summary>
    public string? LastError { get; set; }
    /// <summary>What the follow-up did, as it also reads in the run's feedback.</summary>
    public string? Note { get; set; }
    public DateTime Created { get; set; }
    /// <summary>Not delivered before this (a retry's backoff).</summary>
    public DateTime NextAttempt { get; set; }
    public DateTime? Started { get; set; }
    public DateTime? Finished { get; set; }
}
