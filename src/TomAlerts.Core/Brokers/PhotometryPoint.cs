namespace TomAlerts.Brokers;

/// <summary>
/// One light-curve point from a broker. A detection has a magnitude; a non-detection has only a limit
/// (the faintest magnitude that would have been seen), which is never a magnitude.
/// </summary>
public sealed record PhotometryPoint
{
    public required DateTime Timestamp { get; init; }
    public required string Bandpass { get; init; }
    public double? Magnitude { get; init; }
    public double? MagnitudeError { get; init; }
    public double? Limit { get; init; }
    public string? Telescope { get; init; }

    public bool IsLimit => Magnitude is null;
}
