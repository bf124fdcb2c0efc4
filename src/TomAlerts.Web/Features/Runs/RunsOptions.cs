namespace TomAlerts.Web.Features.Runs;

/// <summary>The "Runs" configuration section.</summary>
public sealed class RunsOptions
{
    /// <summary>Runs executed at once by the background workers.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>How often runs nobody is executing are looked for.</summary>
    public int SweepSeconds { get; set; } = 30;

    /// <summary>A running run whose heartbeat is older than this lost its process.</summary>
    public int StaleAfterSeconds { get; set; } = 120;

    /// <summary>
    /// Runs one user may have waiting or running at once (pages, API and resumes; admins and schedules are exempt).
    /// 0 turns the limit off.
    /// </summary>
    public int MaxQueuedPerUser { get; set; } = 10;

    /// <summary>Runs one user may start in any hour (the same runs as <see cref="MaxQueuedPerUser"/>). 0 turns the limit off.</summary>
    public int MaxPerUserPerHour { get; set; } = 120;

    /// <summary>Follow-ups (digests, targets for new alerts) delivered at once, apart from the run slots.</summary>
    public int FollowUpConcurrency { get; set; } = 4;

    /// <summary>Attempts of a follow-up that fails before it is given up as failed.</summary>
    public int FollowUpMaxAttempts { get; set; } = 5;

    /// <summary>The wait before a failed follow-up's second attempt; it doubles with every further attempt.</summary>
    public int FollowUpRetrySeconds { get; set; } = 30;

    /// <summary>A follow-up in progress for longer than this lost its process and is delivered again (PostgreSQL; SQLite resumes at start).</summary>
    public int FollowUpStaleAfterSeconds { get; set; } = 1800;
}
