using System.Globalization;
using TomAlerts.Brokers;

namespace TomAlerts.Web.Features.LightCurves;

/// <summary>
/// A target's light curve as the plot script (wwwroot/js/lightcurve.js) reads it: one series per survey and band ("LSST g"
/// and "ZTF g" are different bands), its points split by kind so forced points and limits are never drawn as detections.
/// Each point carries its magnitude (a limit's limit) and its flux in nJy: the reported flux when its unit is a flux density,
/// otherwise the flux of the magnitude (<see cref="FluxMagnitudes.Flux"/>), so ZTF magnitudes and LSST fluxes share the flux axis.
/// </summary>
public static class LightCurvePlot
{
    public static string Json(IEnumerable<TomAlerts.Targets.Photometry> photometry) => System.Text.Json.JsonSerializer.Serialize(
        photometry.GroupBy(p => (p.Survey, p.Bandpass)).OrderBy(g => g.Key.Survey, StringComparer.Ordinal).ThenBy(g => BandOrder(g.Key.Bandpass)).Select(g => new
        {
            survey = g.Key.Survey,
            band = g.Key.Bandpass,
            detections = g.Where(p => p.Kind == PhotometryKind.Detection).Select(Point),
            forced = g.Where(p => p.Kind == PhotometryKind.Forced).Select(Point),
            limits = g.Where(p => p.Kind == PhotometryKind.Limit).Select(Point),
        }));

    private static object Point(TomAlerts.Targets.Photometry p)
    {
        var (flux, fluxError) = NanojanskyOf(p);
        return new { t = Time(p.Timestamp), m = p.Magnitude ?? p.Limit, e = p.Magnitude is null ? null : p.MagnitudeError, l = p.Magnitude is null, f = flux, fe = fluxError, s = string.Join(", ", p.Sources) };
    }

    /// <summary>The point's flux in nJy with its error: as reported, or from its magnitude (a limit's from its limit).</summary>
    private static (double? Flux, double? Error) NanojanskyOf(TomAlerts.Targets.Photometry p)
    {
        if (p.Flux is { } f && p.FluxUnit is { } unit && FluxMagnitudes.ToNanojansky(unit) is { } factor)
        {
            return (f * factor, p.FluxError * factor);
        }
        if (p.Magnitude is { } m)
        {
            var flux = FluxMagnitudes.Flux(m);
            return (flux, p.MagnitudeError is { } e ? FluxMagnitudes.FluxError(flux, e) : null);
        }
        return (p.Limit is { } limit ? FluxMagnitudes.Flux(limit) : null, null);
    }

    private static int BandOrder(string band) => "ugrizyGoc".IndexOf(band, StringComparison.Ordinal) is >= 0 and var i && band.Length == 1 ? i : 100;

    private static string Time(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
