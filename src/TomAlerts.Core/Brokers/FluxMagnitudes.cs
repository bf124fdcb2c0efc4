namespace TomAlerts.Brokers;

/// <summary>
/// Flux densities and AB magnitudes, one rule for every survey: m = 31.4 − 2.5·log10(f / nJy) (31.4 = −2.5·log10(10⁻⁹ / 3631)),
/// σm = 2.5/ln10 · σf / f ≈ 1.0857·σf / f. A flux is a magnitude only when it is positive and its signal-to-noise f/σf
/// reaches the threshold (3 unless configured); otherwise it is a limit of m = 31.4 − 2.5·log10(N·σf) for an N-sigma
/// limit (5, Rubin's alert threshold), never a magnitude.
/// </summary>
public static class FluxMagnitudes
{
    public const double AbZeroPointNanojansky = 31.4;
    public const double DefaultMinSignalToNoise = 3;
    public const double LimitSigma = 5;
    private const double MagnitudesPerLnFlux = 1.0857362047581294; // 2.5 / ln 10

    /// <summary>Nanojanskys in one of each flux-density unit a broker may report.</summary>
    private static readonly Dictionary<string, double> Nanojansky = new(StringComparer.OrdinalIgnoreCase)
    {
        ["nJy"] = 1, ["uJy"] = 1e3, ["µJy"] = 1e3, ["μJy"] = 1e3, ["microJy"] = 1e3, ["mJy"] = 1e6, ["Jy"] = 1e9,
    };

    /// <summary>The factor from <paramref name="unit"/> to nJy; null for a unit that is not a flux density.</summary>
    public static double? ToNanojansky(string unit) => Nanojansky.TryGetValue(unit.Trim(), out var factor) ? factor : null;

    public static double Magnitude(double fluxNanojansky) => AbZeroPointNanojansky - 2.5 * Math.Log10(fluxNanojansky);

    public static double MagnitudeError(double fluxNanojansky, double fluxErrorNanojansky) =>
        MagnitudesPerLnFlux * fluxErrorNanojansky / Math.Abs(fluxNanojansky);

    /// <summary>The flux in nJy of an AB magnitude (the reverse of <see cref="Magnitude"/>).</summary>
    public static double Flux(double magnitude) => Math.Pow(10, (AbZeroPointNanojansky - magnitude) / 2.5);

    /// <summary>The flux error of a magnitude error at that flux (the reverse of <see cref="MagnitudeError"/>).</summary>
    public static double FluxError(double fluxNanojansky, double magnitudeError) => Math.Abs(fluxNanojansky) * magnitudeError / MagnitudesPerLnFlux;

    /// <summary>
    /// A point from a flux in <paramref name="unit"/>: a magnitude with its error when the flux is positive with S/N ≥
    /// <paramref name="minSignalToNoise"/>, otherwise a limit (from the error, or from <paramref name="limitFlux"/> when the
    /// broker gave one). The flux and unit stay on the point. Null when the unit is not a flux density or nothing is known.
    /// </summary>
    public static PhotometryPoint? FromFlux(DateTime timestamp, string bandpass, double? flux, double? fluxError, string unit,
        PhotometryKind kind = PhotometryKind.Detection, double? limitFlux = null, double minSignalToNoise = DefaultMinSignalToNoise)
    {
        if (ToNanojansky(unit) is not { } factor)
        {
            return null;
        }
        var f = flux * factor;
        var sigma = fluxError is > 0 ? fluxError * factor : null;
        double? magnitude = null, magnitudeError = null, limit = null;
        if (f is > 0 && (sigma is null || f / sigma >= minSignalToNoise))
        {
            magnitude = Magnitude(f.Value);
            magnitudeError = sigma is { } s ? MagnitudeError(f.Value, s) : null;
        }
        else if (sigma is { } s)
        {
            limit = Magnitude(LimitSigma * s);
        }
        else if (limitFlux * factor is > 0 and var l)
        {
            limit = Magnitude(l);
        }
        else if (f is null or <= 0)
        {
            return null; // no flux worth a magnitude and nothing to make a limit of
        }
        return new PhotometryPoint
        {
            Timestamp = timestamp, Bandpass = bandpass, Magnitude = magnitude, MagnitudeError = magnitudeError, Limit = limit,
            Flux = flux, FluxError = fluxError, FluxUnit = unit,
            Kind = magnitude is null && kind == PhotometryKind.Detection ? PhotometryKind.Limit : kind,
        };
    }
}
