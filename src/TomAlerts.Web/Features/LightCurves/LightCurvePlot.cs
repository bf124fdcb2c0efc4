using System.Globalization;
using TomAlerts.Brokers;
using TomAlerts.Sky;

namespace TomAlerts.Web.Features.LightCurves;

/// <summary>
/// A target's light curve as the plot script (wwwroot/js/lightcurve.js) reads it: one series per survey and band ("LSST g"
/// and "ZTF g" are different bands), its points split by kind so forced points and limits are never drawn as detections.
/// Each point carries its time (UTC and MJD), its magnitude (a limit's limit) and its flux in nJy: the reported flux when its
/// unit is a flux density, otherwise the flux of the magnitude (<see cref="FluxMagnitudes.Flux"/>), so ZTF magnitudes and
/// LSST fluxes share the flux axis; the broker it came from (its marker shape); and both values as text, rounded to the
/// precision their errors give (<see cref="Decimals"/>), for the hover label.
/// </summary>
public static class LightCurvePlot
{
    /// <summary>Decimals of an MJD: 10⁻⁵ day is under a second.</summary>
    public const int MjdDecimals = 5;

    /// <summary>Decimals of a magnitude without an error, and of a limit.</summary>
    public const int MagnitudeDecimals = 3;
    public const int LimitDecimals = 2;

    public static string Json(IEnumerable<TomAlerts.Targets.Photometry> photometry) => System.Text.Json.JsonSerializer.Serialize(
        photometry.GroupBy(p => (p.Survey, p.Bandpass)).OrderBy(g => g.Key.Survey, StringComparer.Ordinal).ThenBy(g => BandOrder(g.Key.Bandpass)).Select(g => new
        {
            survey = g.Key.Survey,
            band = g.Key.Bandpass,
            detections = g.Where(p => p.Kind == PhotometryKind.Detection).Select(Point),
            forced = g.Where(p => p.Kind == PhotometryKind.Forced).Select(Point),
            limits = g.Where(p => p.Kind == PhotometryKind.Limit).Select(Point),
        }));

    /// <summary>
    /// How many decimals a value measured with <paramref name="error"/> deserves: those of the error's first two
    /// significant digits (0.108 → 2, so 19.86 ± 0.11; 131.2 → 0, so 2302 ± 131); <paramref name="fallback"/> without an error.
    /// </summary>
    public static int Decimals(double? error, int fallback) =>
        error is > 0 and var e && double.IsFinite(e) ? Math.Clamp(1 - (int)Math.Floor(Math.Log10(e)), 0, 6) : fallback;

    /// <summary>A value with <paramref name="decimals"/> decimals, invariant; empty for none.</summary>
    public static string Format(double? value, int decimals) =>
        value?.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) ?? "";

    /// <summary>The magnitude with its error ("19.86 ± 0.11"), or a limit ("> 20.74").</summary>
    public static string MagnitudeText(double? magnitude, double? error, double? limit)
    {
        if (magnitude is { } m)
        {
            var decimals = Decimals(error, MagnitudeDecimals);
            return error is > 0 ? $"{Format(m, decimals)} ± {Format(error, decimals)}" : Format(m, decimals);
        }
        return limit is { } l ? $"> {Format(l, LimitDecimals)}" : "";
    }

    /// <summary>A flux with its error, rounded alike ("2302 ± 131"); five significant digits without an error.</summary>
    public static string FluxText(double? flux, double? error)
    {
        if (flux is not { } f)
        {
            return "";
        }
        if (error is not > 0)
        {
            return f.ToString("G5", CultureInfo.InvariantCulture);
        }
        var decimals = Decimals(error, 0);
        return $"{Format(f, decimals)} ± {Format(error, decimals)}";
    }

    public static double Mjd(DateTime utc) => Math.Round(AstroTime.ToMjd(utc), MjdDecimals);

    private static object Point(TomAlerts.Targets.Photometry p)
    {
        var (flux, fluxError) = NanojanskyOf(p);
        return new
        {
            t = Time(p.Timestamp), mjd = Mjd(p.Timestamp), m = p.Magnitude ?? p.Limit, e = p.Magnitude is null ? null : p.MagnitudeError,
            l = p.Magnitude is null, f = flux, fe = fluxError, s = string.Join(", ", p.Sources), b = p.Source,
            mt = MagnitudeText(p.Magnitude, p.MagnitudeError, p.Limit),
            ft = p.Magnitude is null && p.Kind != PhotometryKind.Forced ? "< " + FluxText(flux, null) + " nJy" : FluxText(flux, fluxError) + " nJy",
        };
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
