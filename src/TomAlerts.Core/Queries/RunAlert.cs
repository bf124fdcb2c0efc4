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
    /// <summary>The latest magnitude, in <see cref="Band"/>.</summary>
    public double? Mag { get; set; }
    public string? Band { get; set; }
    public double? Score { get; set; }
    public DateTime? Timestamp { get; set; }
    public string? Url { get; set; }
    /// <summary>The headline class (filtered on with <see cref="Score"/>); every class is in <see cref="ClassificationsJson"/>.</summary>
    public string? Classification { get; set; }
    public DateTime? FirstDetection { get; set; }
    public DateTime? LastDetection { get; set; }
    public int? Detections { get; set; }
    /// <summary>Every class each of the broker's models gives the object (<see cref="StoredClassifications"/>), as JSON; null when none.</summary>
    public string? ClassificationsJson { get; set; }
    /// <summary>When the broker was asked for the details its listing lacks; null when it was not (or did not need to be).</summary>
    public DateTime? DetailsFetched { get; set; }
    public required string Payload { get; set; }
    /// <summary>No earlier run of the same query returned this alert id.</summary>
    public bool IsNew { get; set; }
    /// <summary>
    /// The object's <see cref="TriageDecision"/> as the run's rows keep it, so the results page filters and sorts on an
    /// indexed column; the decision itself (who, when) stays in <see cref="TriageDecision"/>.
    /// </summary>
    public RunAlertDecision Decision { get; set; }
}

/// <summary>A run alert's decision, in the results page's decision order (undecided first).</summary>
public enum RunAlertDecision
{
    Undecided = 0,
    Interesting = 1,
    Rejected = 2,
}
