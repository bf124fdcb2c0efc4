using TomAlerts.Sky;
using TomAlerts.Targets;

namespace TomAlerts.Brokers;

/// <summary>A target as a broker describes it, before identity matching decides whether it is new.</summary>
public sealed record TargetCandidate
{
    public required string Name { get; init; }
    public TargetType Type { get; init; } = TargetType.Sidereal;
    public double? Ra { get; init; }
    public double? Dec { get; init; }
    public double? Epoch { get; init; }
    private readonly double? _galacticLng;
    private readonly double? _galacticLat;

    /// <summary>Galactic longitude as the broker gives it, else derived from <see cref="Ra"/> and <see cref="Dec"/>.</summary>
    public double? GalacticLng { get => _galacticLng ?? Derived?.Lng; init => _galacticLng = value; }

    /// <summary>Galactic latitude as the broker gives it, else derived from <see cref="Ra"/> and <see cref="Dec"/>.</summary>
    public double? GalacticLat { get => _galacticLat ?? Derived?.Lat; init => _galacticLat = value; }
    public IReadOnlyDictionary<string, string> Extras { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Aliases { get; init; } = [];

    private (double Lng, double Lat)? Derived => Ra is { } ra && Dec is { } dec ? Galactic.FromEquatorial(ra, dec) : null;
}
