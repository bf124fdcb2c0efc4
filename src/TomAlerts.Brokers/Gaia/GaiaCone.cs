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
        var numbers = new double[3];
        for (var i = 0; i < 3; i++)
        {
            if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                error = $"Cone search RA, Dec and Radius must be numbers in degrees; '{parts[i].Trim()}' is not a number.";
                return null;
            }
        }
        var (ra, dec, radius) = (numbers[0], numbers[1], numbers[2]);
        error = ra is < 0 or >= 360 ? "Cone search RA must be at least 0 and less than 360 degrees."
            : dec is < -90 or > 90 ? "Cone search Dec must be between -90 and 90 degrees."
            : radius <= 0 ? "Cone search Radius must be greater than 0 degrees."
            : null;
        return error is null ? new GaiaCone(ra, dec, radius) : null;
    }

    public bool Contains(double ra, double dec) => Sky.Angles.Separation(Ra, Dec, ra, dec) <= Radius;
}
