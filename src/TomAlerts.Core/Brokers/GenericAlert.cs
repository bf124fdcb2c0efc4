namespace TomAlerts.Brokers;

/// <summary>
/// What every broker's alert looks like on a results page: the display record TOM calls GenericAlert,
/// with the classification TOM users asked for.
/// </summary>
public sealed record GenericAlert
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public DateTime? Timestamp { get; init; }
    public double? Ra { get; init; }
    public double? Dec { get; init; }
    public double? Mag { get; init; }
    public double? Score { get; init; }
    public string? Url { get; init; }
    public string? Classification { get; init; }
}
