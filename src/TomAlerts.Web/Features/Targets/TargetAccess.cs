using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Targets;

namespace TomAlerts.Web.Features.Targets;

/// <summary>
/// Who may see and change which targets: the one place pages, the API, exports, light curves, stamps and submissions ask.
/// A target a user may not see does not exist for them (404 everywhere).
/// </summary>
public sealed class TargetAccess(AppDbContext db)
{
    /// <summary>The targets <paramref name="user"/> may see.</summary>
    public IQueryable<Target> Visible(ClaimsPrincipal user) => db.Targets;

    /// <summary>The target <paramref name="id"/> when <paramref name="user"/> may see it, else null.</summary>
    public Task<Target?> FindVisibleAsync(int id, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Visible(user).FirstOrDefaultAsync(t => t.Id == id, cancellationToken);

    /// <summary>Whether <paramref name="user"/> may edit, merge, comment on or delete the target <paramref name="id"/>.</summary>
    public Task<bool> CanChangeAsync(int id, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Visible(user).AnyAsync(t => t.Id == id, cancellationToken);

    /// <summary>
    /// Gives a newly created target its groups: <paramref name="groups"/> when given, else the creator's default groups.
    /// Called by every way of creating a target (a run, the cone search, by hand, the API).
    /// </summary>
    public Task AssignGroupsAsync(Target target, string? creatorId, IReadOnlyList<int>? groups, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
