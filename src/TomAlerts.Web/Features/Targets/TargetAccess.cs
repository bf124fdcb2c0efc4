using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Groups;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Groups;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Targets;

/// <summary>
/// Who may see and change which targets: the one place pages, the API, exports, light curves, stamps and submissions ask.
/// As in TOM, a target belongs to groups; the members of its groups see and change it, admins see and change all.
/// A target a user may not see does not exist for them (404 everywhere).
/// </summary>
public sealed class TargetAccess(AppDbContext db, GroupDirectory directory)
{
    /// <summary>The targets <paramref name="user"/> may see.</summary>
    public IQueryable<Target> Visible(ClaimsPrincipal user) => Restrict(db.Targets, user);

    /// <summary>Those of <paramref name="targets"/> (a search, say) that <paramref name="user"/> may see.</summary>
    public IQueryable<Target> Restrict(IQueryable<Target> targets, ClaimsPrincipal user) =>
        user.IsAdmin() ? targets : InGroupsOf(targets, user.UserId());

    /// <summary>The targets the user <paramref name="userId"/> may see, admin or not (for work without a signed-in user).</summary>
    public async Task<IQueryable<Target>> VisibleToAsync(string userId, CancellationToken cancellationToken) =>
        await directory.IsAdminAsync(userId, cancellationToken) ? db.Targets : InGroupsOf(db.Targets, userId);

    /// <summary>
    /// Targets in one of the user's groups: an EXISTS probing the (TargetId, GroupId) key once per row, so a keyset page
    /// still reads the targets in index order.
    /// </summary>
    private IQueryable<Target> InGroupsOf(IQueryable<Target> targets, string? userId)
    {
        if (userId is null)
        {
            return targets.Where(_ => false);
        }
        var mine = db.GroupMembers.Where(m => m.UserId == userId).Select(m => m.GroupId);
        return targets.Where(t => db.TargetGroups.Any(l => l.TargetId == t.Id && mine.Contains(l.GroupId)));
    }

    /// <summary>The target <paramref name="id"/> when <paramref name="user"/> may see it, else null.</summary>
    public Task<Target?> FindVisibleAsync(int id, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Visible(user).FirstOrDefaultAsync(t => t.Id == id, cancellationToken);

    /// <summary>
    /// Whether <paramref name="user"/> may edit, merge, comment on, submit or delete the target <paramref name="id"/>:
    /// the same rule as seeing it (TOM: the members of a target's groups may change it).
    /// </summary>
    public Task<bool> CanChangeAsync(int id, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Visible(user).AnyAsync(t => t.Id == id, cancellationToken);

    /// <summary>The targets <paramref name="user"/> may edit, merge, comment on, submit or delete (for bulk changes and deletes).</summary>
    public IQueryable<Target> Changeable(ClaimsPrincipal user) => Visible(user);

    /// <summary>The groups <paramref name="user"/> may put a target in: theirs (an admin: all), personal first.</summary>
    public async Task<IReadOnlyList<GroupRef>> GivableGroupsAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.IsAdmin())
        {
            return await directory.AllAsync(cancellationToken);
        }
        return user.UserId() is { } userId ? [.. (await directory.MembershipsAsync(userId, cancellationToken)).Select(m => m.Group)] : [];
    }

    /// <summary>Whether the user <paramref name="userId"/> may change the target (for work without a signed-in user).</summary>
    public async Task<bool> CanChangeAsync(int id, string userId, CancellationToken cancellationToken) =>
        await (await VisibleToAsync(userId, cancellationToken)).AnyAsync(t => t.Id == id, cancellationToken);

    /// <summary>Which of <paramref name="ids"/> the user <paramref name="userId"/> may change (one statement, for a batch of alerts).</summary>
    public async Task<HashSet<int>> ChangeableAmongAsync(IReadOnlyCollection<int> ids, string userId, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var wanted = ids.Distinct().ToList();
        return [.. await (await VisibleToAsync(userId, cancellationToken)).Where(t => EF.Parameter(wanted).Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken)];
    }

    /// <summary>
    /// Why <paramref name="groupIds"/> cannot be given to a new target of <paramref name="creatorId"/>, or null when they
    /// can: each must be a group the creator belongs to (an admin: any group). Null or empty means the creator's defaults.
    /// </summary>
    public async Task<string?> CheckGroupsAsync(IReadOnlyList<int>? groupIds, string? creatorId, CancellationToken cancellationToken)
    {
        if (groupIds is not { Count: > 0 })
        {
            return null;
        }
        var wanted = groupIds.Distinct().ToList();
        var admin = creatorId is not null && await directory.IsAdminAsync(creatorId, cancellationToken);
        var allowed = admin
            ? await db.Groups.Where(g => wanted.Contains(g.Id)).Select(g => g.Id).ToListAsync(cancellationToken)
            : await db.GroupMembers.Where(m => m.UserId == creatorId && wanted.Contains(m.GroupId)).Select(m => m.GroupId).ToListAsync(cancellationToken);
        var refused = wanted.Except(allowed).ToList();
        return refused.Count == 0 ? null
            : $"You can only give a target groups you belong to; not group{(refused.Count == 1 ? "" : "s")} {string.Join(", ", refused)}.";
    }

    /// <summary>
    /// Gives a newly created target its groups: <paramref name="groups"/> when given, else the creator's default groups.
    /// Called by every way of creating a target (a run, the cone search, by hand, the API); the groups are added to the
    /// context and stored by the caller's next SaveChangesAsync. A target created with no user at all (a command-line
    /// run of a query without an owner) gets no group and is seen by admins only.
    /// </summary>
    /// <exception cref="ArgumentException">A group the creator may not give (check first with <see cref="CheckGroupsAsync"/>).</exception>
    public async Task AssignGroupsAsync(Target target, string? creatorId, IReadOnlyList<int>? groups, CancellationToken cancellationToken)
    {
        if (await CheckGroupsAsync(groups, creatorId, cancellationToken) is { } refused)
        {
            throw new ArgumentException(refused, nameof(groups));
        }
        IReadOnlyList<int> ids = groups is { Count: > 0 } ? [.. groups.Distinct()]
            : creatorId is null ? []
            : await directory.DefaultGroupIdsAsync(creatorId, cancellationToken);
        foreach (var id in ids)
        {
            db.TargetGroups.Add(new TargetGroup { Target = target, GroupId = id });
        }
    }

    /// <summary>The groups a new target of <paramref name="creatorId"/> goes to: the creator's default groups; none without a creator.</summary>
    public async Task<IReadOnlyList<int>> DefaultGroupsAsync(string? creatorId, CancellationToken cancellationToken) =>
        creatorId is null ? [] : await directory.DefaultGroupIdsAsync(creatorId, cancellationToken);

    /// <summary>Puts a newly created, tracked target in <paramref name="groupIds"/> (from <see cref="DefaultGroupsAsync"/>); saves nothing.</summary>
    public void AssignGroups(Target target, IReadOnlyList<int> groupIds)
    {
        foreach (var id in groupIds)
        {
            db.TargetGroups.Add(new TargetGroup { Target = target, GroupId = id });
        }
    }

    /// <summary>The groups of each of <paramref name="targetIds"/> (a target in none: an empty list), in name order.</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<GroupRef>>> GroupsOfAsync(IReadOnlyCollection<int> targetIds, CancellationToken cancellationToken)
    {
        var ids = targetIds.Distinct().ToList();
        var rows = await (from l in db.TargetGroups
                          join g in db.Groups on l.GroupId equals g.Id
                          where ids.Contains(l.TargetId)
                          orderby g.Name
                          select new { l.TargetId, g.Id, g.Name, g.Personal }).ToListAsync(cancellationToken);
        var byTarget = rows.GroupBy(r => r.TargetId).ToDictionary(g => g.Key, g => (IReadOnlyList<GroupRef>)[.. g.Select(r => new GroupRef(r.Id, r.Name, r.Personal))]);
        return ids.ToDictionary(id => id, id => byTarget.GetValueOrDefault(id) ?? []);
    }

    /// <summary>
    /// Sets which of the groups <paramref name="user"/> may give (theirs; an admin's: all) the target is in; its other
    /// groups stay. Refused (a message) when the target would be left in no group.
    /// </summary>
    public async Task<string?> SetGroupsAsync(int targetId, IReadOnlyCollection<int> chosen, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        var givable = user.IsAdmin()
            ? await db.Groups.Select(g => g.Id).ToListAsync(cancellationToken)
            : await db.GroupMembers.Where(m => m.UserId == userId).Select(m => m.GroupId).ToListAsync(cancellationToken);
        if (chosen.Any(id => !givable.Contains(id)))
        {
            return "You can only give a target groups you belong to.";
        }
        var current = await db.TargetGroups.Where(l => l.TargetId == targetId).ToListAsync(cancellationToken);
        var kept = current.Where(l => !givable.Contains(l.GroupId)).Select(l => l.GroupId).Concat(chosen).Distinct().ToList();
        if (kept.Count == 0)
        {
            return "A target must stay in at least one group.";
        }
        db.TargetGroups.RemoveRange(current.Where(l => !kept.Contains(l.GroupId)));
        foreach (var id in kept.Where(id => current.All(l => l.GroupId != id)))
        {
            db.TargetGroups.Add(new TargetGroup { TargetId = targetId, GroupId = id });
        }
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
