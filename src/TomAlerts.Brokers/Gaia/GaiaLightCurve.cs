using System.Globalization;
using System.Text.RegularExpressions;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Gaia;

/// <summary>
/// Reads <c>lightcurve.csv</c>: the alert name, a "#Date,JD(TCB),averagemag" header (some deployments separate it
/// with spaces), then "date,jd,mag" rows whose magnitude may be "untrusted", "null" or "NaN".
/// </summary>
internal static partial class GaiaLightCurve
{
    public static List<PhotometryPoint> Parse(string csv)
    {
        var lines = csv.Split('\n').Select(l => l.Trim()).ToList();
        var headerAt = lines.FindIndex(l => l.StartsWith('#'));
        if (headerAt < 0)
        {
            throw new BrokerException($"Gaia's light curve has no '#Date,JD(TCB),averagemag' header: {BrokerHttp.Snippet(csv)}");
        }
        var columns = HeaderSeparator().Split(lines[headerAt].TrimStart('#').Trim());
        var jdColumn = Array.FindIndex(columns, c => c.StartsWith("JD", StringComparison.OrdinalIgnoreCase));
        var magColumn = Array.FindIndex(columns, c => c.Contains("mag", StringComparison.OrdinalIgnoreCase));
        if (jdColumn < 0 || magColumn < 0)
        {
            throw new BrokerException($"Gaia's light curve header '{lines[headerAt]}' names no JD or magnitude column.");
        }

        var points = new List<PhotometryPoint>();
        foreach (var fields in lines.Skip(headerAt + 1).Select(l => l.Split(',')))
        {
            if (fields.Length > Math.Max(jdColumn, magColumn)
                && Number(fields[jdColumn]) is { } jd
                && Number(fields[magColumn]) is { } mag)
            {
                points.Add(new PhotometryPoint { Timestamp = AstroTime.FromJd(jd), Bandpass = "G", Magnitude = mag, Telescope = "Gaia", Survey = "Gaia" });
            }
        }
        return points;
    }

    // "untrusted", "null", "NaN" and "" all fail here, which is how such rows are skipped.
    private static double? Number(string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    [GeneratedRegex(@"[,\s]+")]
    private static partial Regex HeaderSeparator();
}
