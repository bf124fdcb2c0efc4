namespace TomAlerts.Brokers;

/// <summary>
/// Flux densities and AB magnitudes, one rule for every survey: m = 31.4 − 2.5·log10(f / nJy) (31.4 = −2.5·log10(10⁻⁹ / 3631)),
/// σm = 2.5/ln10 · σf / f ≈ 1.0857·σf / f. A flux is a magnitude only when it is positive and its signal-to-noise f/σf
/// reaches the threshold N (3 unless configured; a flux sent without an error counts as a detection, its S/N unknown).
/// Otherwise it is a limit, never a magnitude: the broker's own limiting flux when it gives one, else the flux of N·σf.
/// </summary>
public static class FluxMagnitudes
{
    public const double AbZeroPointNanojansky = 31.4;
    public const double DefaultMinSignalToNoise = 3;
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

    /// <summary>A point from a flux in a unit this class knows (<see cref="ToNanojansky"/>); null for any other unit.</summary>
    public static PhotometryPoint? FromFlux(DateTime timestamp, string bandpass, double? flux, double? fluxError, string unit,
        PhotometryKind kind = PhotometryKind.Detection, double? limitFlux = null, double minSignalToNoise = DefaultMinSignalToNoise) =>
        ToNanojansky(unit) is { } factor
            ? FromFlux(timestamp, bandpass, flux, fluxError, unit, factor, kind, limitFlux, minSignalToNoise)
            : null;

    /// <summary>
    /// A point from a flux in <paramref name="unit"/> (<paramref name="nanojanskyPerUnit"/> nJy each): a magnitude with
    /// its error, or a limit, by the rule above. The reported flux and unit stay on the point. Null when there is
    /// neither a flux worth a magnitude nor anything to make a limit of.
    /// </summary>
    public static PhotometryPoint? FromFlux(DateTime timestamp, string bandpass, double? flux, double? fluxError, string unit,
        double nanojanskyPerUnit, PhotometryKind kind = PhotometryKind.Detection, double? limitFlux = null,
        double minSignalToNoise = DefaultMinSignalToNoise)
    {
        double? magnitude = null, magnitudeError = null, limit = null;
        if (flux is > 0 and var f && (fluxError is not > 0 || f / fluxError >= minSignalToNoise))
        {
            magnitude = Magnitude(f * nanojanskyPerUnit);
            magnitudeError = fluxError is > 0 and var s ? MagnitudeError(f, s) : null;
        }
        else if ((limitFlux is > 0 ? limitFlux : fluxError is > 0 ? minSignalToNoise * fluxError : null) is { } limitAt)
        {
            limit = Magnitude(limitAt * nanojanskyPerUnit);
        }
        else
        {
            return null;
        }
        return new PhotometryPoint
        {
            Timestamp = timestamp, Bandpass = bandpass, Magnitude = magnitude, MagnitudeError = magnitudeError, Limit = limit,
            Flux = flux, FluxError = fluxError, FluxUnit = unit,
            Kind = magnitude is null && kind == PhotometryKind.Detection ? PhotometryKind.Limit : kind,
        };
    }
}
