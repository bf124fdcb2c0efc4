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
    public double? GalacticLng { get; init; }
    public double? GalacticLat { get; init; }
    public IReadOnlyDictionary<string, string> Extras { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Aliases { get; init; } = [];
}
