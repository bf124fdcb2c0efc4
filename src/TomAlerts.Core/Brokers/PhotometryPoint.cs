namespace TomAlerts.Brokers;

/// <summary>What a light-curve point is.</summary>
public enum PhotometryKind
{
    /// <summary>A source found on the (difference) image.</summary>
    Detection,
    /// <summary>A flux measured at the object's position whether or not anything was found (LSST's DiaForcedSources).</summary>
    Forced,
    /// <summary>Nothing seen: only the faintest magnitude that would have been seen.</summary>
    Limit,
}

/// <summary>The kinds as the API, exports and plot spell them: "detection", "forced", "limit".</summary>
public static class PhotometryKinds
{
    public static string Name(PhotometryKind kind) => kind switch
    {
        PhotometryKind.Detection => "detection",
        PhotometryKind.Forced => "forced",
        PhotometryKind.Limit => "limit",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>
/// One light-curve point from a broker. A detection has a magnitude; a non-detection has only a limit
/// (the faintest magnitude that would have been seen), which is never a magnitude. A point the broker reported as a
/// flux keeps that flux and its unit beside the magnitude (or limit) derived from it (<see cref="FluxMagnitudes"/>).
/// </summary>
public sealed record PhotometryPoint
{
    /// <summary>UTC. A broker that reports another time scale (LSST's MJD TAI) converts it (<see cref="Sky.AstroTime"/>).</summary>
    public required DateTime Timestamp { get; init; }
    /// <summary>The band as its survey names it ("g", "r" for ZTF; "u" … "y" for LSST); <see cref="Survey"/> keeps the systems apart.</summary>
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
    /// <summary>Detection, forced photometry or limit; a point with no magnitude and no flux is a limit.</summary>
    public PhotometryKind Kind { get; init; } = PhotometryKind.Detection;
    /// <summary>The survey that took the point ("ZTF", "LSST", "Gaia" …), when the broker says.</summary>
    public string? Survey { get; init; }
    /// <summary>The survey's own id of the measurement (ZTF candid, LSST diaSourceId), as text: the same point from two brokers.</summary>
    public string? SourceId { get; init; }

    public bool IsLimit => Magnitude is null;
}
