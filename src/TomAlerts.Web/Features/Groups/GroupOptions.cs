namespace TomAlerts.Web.Features.Groups;

/// <summary>Section "Groups".</summary>
public sealed class GroupOptions
{
    /// <summary>
    /// Shared groups every new user joins with them as a default (e.g. the team's group), created when missing. Empty by
    /// default: a new user's targets then go to their personal group only, so nothing is shared until someone chooses to.
    /// </summary>
    public List<string> DefaultGroups { get; set; } = [];
}
