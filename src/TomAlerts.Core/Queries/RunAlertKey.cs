namespace TomAlerts.Queries;

/// <summary>
/// One normalised name a run alert's object goes by (<see cref="Targets.TargetNames.MatchKeys"/> of its name and id), so
/// "not yet a target" is a query against the targets' and aliases' normalised names.
/// </summary>
public class RunAlertKey
{
    public long QueryRunId { get; set; }
    public required string AlertId { get; set; }
    public required string Key { get; set; }
    /// <summary>
    /// Whether some target or alias goes by <see cref="Key"/>, whoever may see it: set when the key is stored and again
    /// whenever a target's names change, so asking which of a run's objects are targets reads the matched keys only.
    /// </summary>
    public bool Matched { get; set; }
}
