namespace TomAlerts.Web.Features.Schedules;

/// <summary>The "Schedules" configuration section.</summary>
public sealed class SchedulesOptions
{
    /// <summary>The shortest interval a query may run at on its own, so a schedule cannot hammer a broker.</summary>
    public int MinimumIntervalMinutes { get; set; } = 5;
}
