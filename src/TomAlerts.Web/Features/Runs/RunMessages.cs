using System.Globalization;

namespace TomAlerts.Web.Features.Runs;

/// <summary>How a run's outcome reads on its page, for outcomes a person has to act on.</summary>
public static class RunMessages
{
    /// <summary>
    /// A broker's request quota ran out during the run: when it resets, as a time of day in UTC (with the date when that is
    /// not today), and that the alerts stored so far stay, so the run can be resumed then.
    /// </summary>
    public static string RateLimited(string broker, DateTimeOffset? resetsAt, int stored, DateTimeOffset now)
    {
        var when = resetsAt is { } reset
            ? $"it resets at {Format(reset, now)}"
            : "it did not say when it resets";
        var kept = stored switch
        {
            0 => "Nothing was stored before that; run the query again",
            1 => "The 1 alert stored so far is kept; resume the run",
            _ => $"The {stored.ToString(CultureInfo.InvariantCulture)} alerts stored so far are kept; resume the run",
        };
        var after = resetsAt is null ? "later." : "after that time.";
        return $"{broker}'s request limit is used up; {when}. {kept} {after}";
    }

    private static string Format(DateTimeOffset reset, DateTimeOffset now)
    {
        // Rounded up, so "after that time" is never a minute early.
        var utc = reset.UtcDateTime;
        var minute = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, DateTimeKind.Utc);
        if (minute < utc)
        {
            minute = minute.AddMinutes(1);
        }
        var time = minute.ToString("HH:mm", CultureInfo.InvariantCulture) + " UTC";
        return minute.Date == now.UtcDateTime.Date ? time : $"{time} on {minute.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
    }
}
