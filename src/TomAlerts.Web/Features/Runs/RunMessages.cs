using System.Globalization;
using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Web.Features.Runs;

/// <summary>How a run's outcome reads on its page, for outcomes a person has to act on.</summary>
public static class RunMessages
{
    /// <summary>Where a stored run error's technical detail begins; the page folds what follows away.</summary>
    public const string DetailMarker = "\n\nTechnical detail: ";

    /// <summary>A run's stored error: the user's words, then (when there is one) the technical detail after <see cref="DetailMarker"/>.</summary>
    public static string WithDetail(string message, string? technicalDetail) =>
        string.IsNullOrWhiteSpace(technicalDetail) || technicalDetail == message ? message : message + DetailMarker + technicalDetail;

    /// <summary>The two parts of a stored run error (see <see cref="WithDetail"/>).</summary>
    public static (string Message, string? TechnicalDetail) Split(string? error)
    {
        if (error is null)
        {
            return ("", null);
        }
        var at = error.IndexOf(DetailMarker, StringComparison.Ordinal);
        return at < 0 ? (error, null) : (error[..at], error[(at + DetailMarker.Length)..]);
    }

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
            _ => $"The {Plural.Count(stored, "alert")} stored so far {(stored == 1 ? "is" : "are")} kept; resume the run",
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
