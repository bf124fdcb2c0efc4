using System.Globalization;

namespace TomAlerts.Brokers.Gaia;

/// <summary>The form's "RA,Dec,Radius" cone, in degrees.</summary>
internal sealed record GaiaCone(double Ra, double Dec, double Radius)
{
    public const string FormatMessage = "Cone search parameters must be in the format 'RA,Dec,Radius'.";

    /// <summary>Null and a message a user can act on when <paramref name="text"/> is not a valid cone.</summary>
    public static GaiaCone? Parse(string text, out string? error)
    {
        var parts = text.Split(',');
        if (parts.Length != 3)
        {
            error = FormatMessage;
            return null;
        }
        // RA and Dec in degrees or sexagesimal (hh:mm:ss, ±dd:mm:ss), the radius in degrees.
        var problems = new List<string>();
        if (!Sky.Angles.TryParseRa(parts[0], out var ra))
        {
            problems.Add($"RA '{parts[0].Trim()}' is not a number of degrees from 0 to 360, nor hh:mm:ss");
        }
        if (!Sky.Angles.TryParseDec(parts[1], out var dec))
        {
            problems.Add($"Dec '{parts[1].Trim()}' is not a number of degrees from -90 to 90, nor ±dd:mm:ss");
        }
        if (!double.TryParse(parts[2].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var radius) || !double.IsFinite(radius) || radius <= 0)
        {
            problems.Add($"Radius '{parts[2].Trim()}' is not a number of degrees greater than 0");
        }
        error = problems.Count == 0 ? null : $"Cone search: {string.Join("; ", problems)}.";
        return error is null ? new GaiaCone(ra, dec, radius) : null;
    }

    public bool Contains(double ra, double dec) => Sky.Angles.Separation(Ra, Dec, ra, dec) <= Radius;
}
