namespace TomAlerts.Sky;

/// <summary>Equatorial (ICRS, J2000) to galactic coordinates.</summary>
public static class Galactic
{
    private const double Deg = Math.PI / 180;
    private const double PoleRa = 192.85948 * Deg;
    private const double PoleDec = 27.12825 * Deg;
    private const double NodeLongitude = 122.93192 * Deg;

    public static (double Lng, double Lat) FromEquatorial(double ra, double dec)
    {
        var r = ra * Deg;
        var d = dec * Deg;
        var sinB = Math.Sin(d) * Math.Sin(PoleDec) + Math.Cos(d) * Math.Cos(PoleDec) * Math.Cos(r - PoleRa);
        var b = Math.Asin(Math.Clamp(sinB, -1, 1));
        var y = Math.Cos(d) * Math.Sin(r - PoleRa);
        var x = Math.Sin(d) * Math.Cos(PoleDec) - Math.Cos(d) * Math.Sin(PoleDec) * Math.Cos(r - PoleRa);
        var l = NodeLongitude - Math.Atan2(y, x);
        var lng = (l / Deg % 360 + 360) % 360;
        return (lng, b / Deg);
    }
}
