using TomAlerts.Targets;

namespace TomAlerts.Groups;

/// <summary>
/// Who may see and change a target (TOM's permission groups). Every user has a personal group (<see cref="Personal"/>,
/// <see cref="OwnerId"/> the user) and may belong to shared groups an admin manages.
/// </summary>
public class Group
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>A user's own group: only they are its member, and it cannot be shared.</summary>
    public bool Personal { get; set; }
    /// <summary>The user a personal group belongs to; null for a shared group.</summary>
    public string? OwnerId { get; set; }
    public DateTime Created { get; set; }

    public List<GroupMember> Members { get; set; } = [];
}

/// <summary>A user in a group; <see cref="IsDefault"/> when the user's new targets go to it.</summary>
public class GroupMember
{
    public int GroupId { get; set; }
    public required string UserId { get; set; }
    /// <summary>The user's new targets go to their default groups unless they choose others.</summary>
    public bool IsDefault { get; set; }
}

/// <summary>A target in a group: the group's members see and change it.</summary>
public class TargetGroup
{
    public int TargetId { get; set; }
    public int GroupId { get; set; }
    public Target Target { get; set; } = null!;
}

/// <summary>A single-use code an admin creates so one person can register when registration is by invitation.</summary>
public class InviteCode
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime Created { get; set; }
    /// <summary>The user who registered with the code; null while unused.</summary>
    public string? UsedBy { get; set; }
    public DateTime? Used { get; set; }
}
