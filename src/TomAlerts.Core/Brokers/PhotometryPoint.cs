namespace TomAlerts.Brokers;

/// <summary>
/// One light-curve point from a broker. A detection has a magnitude; a non-detection has only a limit
/// (the faintest magnitude that would have been seen), which is never a magnitude. A point the broker reported as a
/// flux keeps that flux and its unit beside the magnitude (or limit) derived from it.
/// </summary>
public sealed record PhotometryPoint
{
    public required DateTime Timestamp { get; init; }
    public required string Bandpass { get; init; }
    public double? Magnitude { get; init; }
    public double? MagnitudeError { get; init; }
    public double? Limit { get; init; }
    public string? Telescope { get; init; }
    /// <summary>The flux as the broker reported it, in <see cref="FluxUnit"/>; null for a point reported as a magnitude.</summary>
    public double? Flux { get; init; }
    public double? FluxError { get; init; }
    /// <summary>The unit the broker reported the point in, e.g. "mJy", "nJy" or, for a magnitude, its system ("ABMag", "VegaMag").</summary>
    public string? FluxUnit { get; init; }

    public bool IsLimit => Magnitude is null;
}
