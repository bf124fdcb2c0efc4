using System.Globalization;
using System.Text.RegularExpressions;

namespace TomAlerts.Sky;

/// <summary>Positions on the sky in decimal degrees: separation, parsing and sexagesimal display.</summary>
public static partial class Angles
{
    private const double Deg = Math.PI / 180;

    /// <summary>The true angular separation in degrees (haversine, exact at small and large angles).</summary>
    public static double Separation(double ra1, double dec1, double ra2, double dec2)
    {
        var dRa = (ra2 - ra1) * Deg;
        var dDec = (dec2 - dec1) * Deg;
        var a = Math.Sin(dDec / 2) * Math.Sin(dDec / 2)
                + Math.Cos(dec1 * Deg) * Math.Cos(dec2 * Deg) * Math.Sin(dRa / 2) * Math.Sin(dRa / 2);
        return 2 * Math.Asin(Math.Min(1, Math.Sqrt(a))) / Deg;
    }

    /// <summary>Reads a right ascension in degrees ("150.31") or hours ("10:01:15.78", "10 01 15.78", "10h01m15.78s").</summary>
    public static bool TryParseRa(string? text, out double degrees)
    {
        degrees = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        if (TryParseSexagesimal(text, out var hours, out var sexagesimal) && sexagesimal)
        {
            degrees = hours * 15;
        }
        else if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out degrees))
        {
            return false;
        }
        return degrees is >= 0 and < 360;
    }

    /// <summary>Reads a declination in degrees ("-2.5") or as "+02:12:33.9" / "2d12m33.9s".</summary>
    public static bool TryParseDec(string? text, out double degrees)
    {
        degrees = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        if (TryParseSexagesimal(text, out var value, out var sexagesimal) && sexagesimal)
        {
            degrees = value;
        }
        else if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out degrees))
        {
            return false;
        }
        return degrees is >= -90 and <= 90;
    }

    public static string FormatRa(double degrees)
    {
        var totalSeconds = Math.Round(degrees / 15 * 3600, 2);
        var h = (int)(totalSeconds / 3600);
        var m = (int)((totalSeconds - h * 3600) / 60);
        var s = totalSeconds - h * 3600 - m * 60;
        return string.Create(CultureInfo.InvariantCulture, $"{h % 24:00}:{m:00}:{s:00.00}");
    }

    public static string FormatDec(double degrees)
    {
        var sign = degrees < 0 ? "-" : "+";
        var totalSeconds = Math.Round(Math.Abs(degrees) * 3600, 1);
        var d = (int)(totalSeconds / 3600);
        var m = (int)((totalSeconds - d * 3600) / 60);
        var s = totalSeconds - d * 3600 - m * 60;
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{d:00}:{m:00}:{s:00.0}");
    }

    private static bool TryParseSexagesimal(string text, out double value, out bool sexagesimal)
    {
        value = 0;
        var match = SexagesimalPattern().Match(text.Trim());
        sexagesimal = match.Success;
        if (!match.Success)
        {
            return false;
        }
        var whole = double.Parse(match.Groups["a"].Value, CultureInfo.InvariantCulture);
        var minutes = double.Parse(match.Groups["b"].Value, CultureInfo.InvariantCulture);
        var seconds = match.Groups["c"].Success ? double.Parse(match.Groups["c"].Value, CultureInfo.InvariantCulture) : 0;
        if (minutes >= 60 || seconds >= 60)
        {
            sexagesimal = false;
            return false;
        }
        value = whole + minutes / 60 + seconds / 3600;
        if (match.Groups["sign"].Value == "-")
        {
            value = -value;
        }
        return true;
    }

    [GeneratedRegex(@"^(?<sign>[+-]?)\s*(?<a>\d{1,3})\s*[:hd° ]\s*(?<b>\d{1,2}(?:\.\d+)?)\s*(?:[:m' ]\s*(?<c>\d{1,2}(?:\.\d+)?)\s*[s""]?)?$")]
    private static partial Regex SexagesimalPattern();
}
