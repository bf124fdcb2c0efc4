namespace TomAlerts.Sky;

/// <summary>Julian dates and modified Julian dates, as UTC instants.</summary>
public static class AstroTime
{
    public const double MjdOffset = 2400000.5;
    private static readonly DateTime MjdEpoch = new(1858, 11, 17, 0, 0, 0, DateTimeKind.Utc);

    public static DateTime FromMjd(double mjd) => MjdEpoch.AddTicks((long)Math.Round(mjd * TimeSpan.TicksPerDay));

    public static DateTime FromJd(double jd) => FromMjd(jd - MjdOffset);

    /// <summary>TAI − UTC, unchanged since the leap second at the end of 2016.</summary>
    public static readonly TimeSpan TaiMinusUtc = TimeSpan.FromSeconds(37);

    /// <summary>An MJD on the TAI scale (LSST's <c>midpointMjdTai</c>) as a UTC instant.</summary>
    public static DateTime FromMjdTai(double mjdTai) => FromMjd(mjdTai) - TaiMinusUtc;

    public static double ToMjd(DateTime utc) =>
        (utc.ToUniversalTime() - MjdEpoch).Ticks / (double)TimeSpan.TicksPerDay;

    public static double ToJd(DateTime utc) => ToMjd(utc) + MjdOffset;
}
