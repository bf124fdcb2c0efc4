namespace TomAlerts.Sky;

/// <summary>
/// Declination zones for the spatial index: a target's zone is stored in an indexed column, so a cone
/// search reads only the zones and the RA range that can hold a match, then checks the exact separation.
/// </summary>
public static class SkyZones
{
    /// <summary>Zones per degree of declination (one-arcminute zones).</summary>
    public const int PerDegree = 60;

    public static int ZoneOf(double dec) => (int)Math.Floor((Math.Clamp(dec, -90, 90) + 90) * PerDegree);

    /// <summary>The zones and the RA interval(s) a cone touches. RA intervals wrap at 0/360.</summary>
    public static ConeBounds Bounds(double ra, double dec, double radiusDeg)
    {
        var minDec = Math.Max(-90, dec - radiusDeg);
        var maxDec = Math.Min(90, dec + radiusDeg);
        var zones = (ZoneOf(minDec), ZoneOf(maxDec));
        var maxAbsDec = Math.Max(Math.Abs(minDec), Math.Abs(maxDec));
        if (maxAbsDec >= 89.999 || radiusDeg >= 180)
        {
            return new ConeBounds(zones.Item1, zones.Item2, [(0, 360)]);
        }
        var halfWidth = Math.Asin(Math.Min(1, Math.Sin(radiusDeg * Math.PI / 180) / Math.Cos(maxAbsDec * Math.PI / 180))) * 180 / Math.PI;
        if (halfWidth >= 180)
        {
            return new ConeBounds(zones.Item1, zones.Item2, [(0, 360)]);
        }
        var lo = ra - halfWidth;
        var hi = ra + halfWidth;
        IReadOnlyList<(double, double)> ranges = lo < 0 ? [(lo + 360, 360), (0, hi)]
            : hi >= 360 ? [(lo, 360), (0, hi - 360)]
            : [(lo, hi)];
        return new ConeBounds(zones.Item1, zones.Item2, ranges);
    }
}

public sealed record ConeBounds(int MinZone, int MaxZone, IReadOnlyList<(double Min, double Max)> RaRanges)
{
    /// <summary>
    /// Every zone the cone touches, one by one: "zone is one of these, and RA in range" reads a (DecZone, Ra) index as a
    /// short range per zone, where "zone between two values" lets SQLite use the index for the zones alone and choose an
    /// RA index instead, reading every target in the RA strip (40 ms against 0.1 ms at 10⁷ targets).
    /// </summary>
    public IEnumerable<int> Zones => Enumerable.Range(MinZone, MaxZone - MinZone + 1);
}
