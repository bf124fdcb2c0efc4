namespace TomAlerts.Queries;

public enum TriageVerdict
{
    Interesting,
    Rejected,
}

/// <summary>
/// A scanner's decision on a broker object, shared by everyone who sees a run listing it and kept across runs: it is
/// keyed by the broker and the object's alert id, not by the run (ADR-008).
/// </summary>
public class TriageDecision
{
    public long Id { get; set; }
    public required string Broker { get; set; }
    public required string AlertId { get; set; }
    public TriageVerdict Verdict { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime DecidedAt { get; set; }
}
