namespace TomAlerts.Targets;

/// <summary>
/// A plain-text note by a user, on a target or on a broker's alert. An alert comment is keyed like a triage decision
/// (broker and alert id, not the run), so it is seen in every run listing the object and on its target once it exists.
/// Exactly one of <see cref="TargetId"/> and (<see cref="Broker"/>, <see cref="AlertId"/>) is set.
/// </summary>
public class Comment
{
    public const int MaxLength = 4000;

    public long Id { get; set; }
    public int? TargetId { get; set; }
    public string? Broker { get; set; }
    public string? AlertId { get; set; }
    public required string Text { get; set; }
    public string? AuthorId { get; set; }
    public DateTime Created { get; set; }
    public DateTime? Edited { get; set; }
}
