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
}
