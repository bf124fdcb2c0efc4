using TomAlerts.Queries;

namespace TomAlerts.Targets;

/// <summary>
/// A named grouping of targets (TOM's target groupings). It belongs to its creator and is shared like a saved query:
/// a shared list is seen by everyone, a private one by its owner (and admins). Its targets are still only those the
/// reader may see.
/// </summary>
public class TargetList
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? OwnerId { get; set; }
    public QueryVisibility Visibility { get; set; } = QueryVisibility.Private;
    public DateTime Created { get; set; }
    public DateTime Modified { get; set; }

    public List<TargetListMember> Members { get; set; } = [];

    public bool IsVisibleTo(string? userId, bool isAdmin) =>
        isAdmin || Visibility == QueryVisibility.Shared || (userId is not null && OwnerId == userId);

    /// <summary>Renaming, deleting and changing the targets of a list: its owner or an admin.</summary>
    public bool CanChange(string? userId, bool isAdmin) => isAdmin || (userId is not null && OwnerId == userId);
}

/// <summary>A target in a list; a target is in a list once.</summary>
public class TargetListMember
{
    public int TargetListId { get; set; }
    public int TargetId { get; set; }
    public DateTime Added { get; set; }
    public string? AddedBy { get; set; }
}
