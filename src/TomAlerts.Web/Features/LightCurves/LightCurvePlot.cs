using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
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

    /// <summary>The columns of a point the plot uses (what <see cref="Write"/> reads), for loading a long light curve.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<TomAlerts.Targets.Photometry, TomAlerts.Targets.Photometry>> Columns = p => new TomAlerts.Targets.Photometry
    {
        Source = p.Source, SourceLocation = "", Bandpass = p.Bandpass, Timestamp = p.Timestamp, Magnitude = p.Magnitude, MagnitudeError = p.MagnitudeError,
        Limit = p.Limit, Flux = p.Flux, FluxError = p.FluxError, FluxUnit = p.FluxUnit, Kind = p.Kind, Survey = p.Survey, OtherSources = p.OtherSources,
    };

    /// <summary>The light curve as JSON text (<see cref="Write"/>).</summary>
    public static string Json(IEnumerable<TomAlerts.Targets.Photometry> photometry)
    {
        var buffer = new ArrayBufferWriter<byte>(16_384);
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, photometry);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Writes the light curve field by field: an array of series (survey, band, and their detections, forced points and
    /// limits), so a 1,000-point curve goes to the response as it is written, without a text of its own.
    /// </summary>
    public static void Write(Utf8JsonWriter json, IEnumerable<TomAlerts.Targets.Photometry> photometry)
    {
        json.WriteStartArray();
        foreach (var series in photometry.GroupBy(p => (p.Survey, p.Bandpass)).OrderBy(g => g.Key.Survey, StringComparer.Ordinal).ThenBy(g => BandOrder(g.Key.Bandpass)))
        {
            json.WriteStartObject();
            json.WriteString("survey", series.Key.Survey);
            json.WriteString("band", series.Key.Bandpass);
            WritePoints(json, "detections", series, PhotometryKind.Detection);
            WritePoints(json, "forced", series, PhotometryKind.Forced);
            WritePoints(json, "limits", series, PhotometryKind.Limit);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>
    /// How many decimals a value measured with <paramref name="error"/> deserves: those of the error's first two
    /// significant digits (0.108 → 2, so 19.86 ± 0.11; 131.2 → 0, so 2302 ± 131); <paramref name="fallback"/> without an error.
    /// </summary>
    public static int Decimals(double? error, int fallback) =>
        error is > 0 and var e && double.IsFinite(e) ? Math.Clamp(1 - (int)Math.Floor(Math.Log10(e)), 0, 6) : fallback;

    /// <summary>A value with <paramref name="decimals"/> decimals, invariant; empty for none.</summary>
    public static string Format(double? value, int decimals) =>
        value?.ToString(decimals is >= 0 and < 7 ? FixedFormats[decimals] : "F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) ?? "";

    private static readonly string[] FixedFormats = ["F0", "F1", "F2", "F3", "F4", "F5", "F6"];

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

    /// <summary>
    /// The series' points of one kind: time (UTC, MJD), magnitude or limit (m) with its error (e), whether it is a limit
    /// (l), flux and error in nJy (f, fe), every broker that reported it (s), the first one (b), and both values as text (mt, ft).
    /// </summary>
    private static void WritePoints(Utf8JsonWriter json, string name, IEnumerable<TomAlerts.Targets.Photometry> series, PhotometryKind kind)
    {
        json.WriteStartArray(name);
        Span<char> time = stackalloc char[24];
        foreach (var p in series)
        {
            if (p.Kind != kind)
            {
                continue;
            }
            var (flux, fluxError) = NanojanskyOf(p);
            json.WriteStartObject();
            p.Timestamp.TryFormat(time, out var written, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            json.WriteString("t", time[..written]);
            json.WriteNumber("mjd", Mjd(p.Timestamp));
            WriteNumber(json, "m", p.Magnitude ?? p.Limit);
            WriteNumber(json, "e", p.Magnitude is null ? null : p.MagnitudeError);
            json.WriteBoolean("l", p.Magnitude is null);
            WriteNumber(json, "f", flux);
            WriteNumber(json, "fe", fluxError);
            json.WriteString("s", p.OtherSources is null ? p.Source : string.Join(", ", p.Sources));
            json.WriteString("b", p.Source);
            json.WriteString("mt", MagnitudeText(p.Magnitude, p.MagnitudeError, p.Limit));
            json.WriteString("ft", p.Magnitude is null && p.Kind != PhotometryKind.Forced ? "< " + FluxText(flux, null) + " nJy" : FluxText(flux, fluxError) + " nJy");
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
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
}
