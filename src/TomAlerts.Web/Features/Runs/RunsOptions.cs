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
}
