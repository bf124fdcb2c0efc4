namespace TomAlerts.Queries;

/// <summary>One alert a run returned, with the broker's raw payload kept whole.</summary>
public class RunAlert
{
    public long Id { get; set; }
    public long QueryRunId { get; set; }
    /// <summary>Position in the broker's answer, so the default order is the broker's.</summary>
    public int Position { get; set; }
    public required string AlertId { get; set; }
    public required string Name { get; set; }
    public double? Ra { get; set; }
    public double? Dec { get; set; }
    public double? Mag { get; set; }
    public double? Score { get; set; }
    public DateTime? Timestamp { get; set; }
    public string? Url { get; set; }
    public string? Classification { get; set; }
    public required string Payload { get; set; }
    /// <summary>No earlier run of the same query returned this alert id.</summary>
    public bool IsNew { get; set; }
}
