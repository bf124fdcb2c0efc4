using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Targets;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.TargetLists;

/// <summary>A list as its pages and the API show it: how many of its targets the reader may see, and whether they may change it.</summary>
public sealed record TargetListSummary(TargetList List, int Count, bool CanChange);

/// <summary>The lists a page's targets are in (by target id), and the lists the reader may put targets in.</summary>
public sealed record TargetListMemberships(Dictionary<int, List<TargetList>> Of, List<TargetList> Changeable);

/// <summary>What adding targets to a list did: which were added, which were in it already, which the user cannot see.</summary>
public sealed record MembershipChange(IReadOnlyList<int> Added, IReadOnlyList<int> AlreadyIn, IReadOnlyList<int> NotFound);

/// <summary>
/// Target lists (TOM's groupings): who sees them (shared like saved queries), who changes them (owner or admin), and
/// their members — only targets the user may see (<see cref="TargetAccess"/>) can be put in a list or counted in it.
/// </summary>
public sealed class SavedTargetLists(AppDbContext db, TargetAccess access, TimeProvider clock)
{
    public const int NameLength = 100;

    public IQueryable<TargetList> VisibleTo(ClaimsPrincipal user)
    {
        if (user.IsAdmin())
        {
            return db.TargetLists;
        }
        var userId = user.UserId();
        return db.TargetLists.Where(l => l.Visibility == QueryVisibility.Shared || l.OwnerId == userId);
    }

    /// <summary>The lists <paramref name="user"/> may put targets in, by name (for "add to list" selects).</summary>
    public Task<List<TargetList>> ChangeableAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        var lists = user.IsAdmin() ? db.TargetLists : db.TargetLists.Where(l => l.OwnerId == userId);
        return lists.AsNoTracking().OrderBy(l => l.Name).ThenBy(l => l.Id).ToListAsync(cancellationToken);
    }

    public Task<TargetList?> FindVisibleAsync(int id, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        VisibleTo(user).FirstOrDefaultAsync(l => l.Id == id, cancellationToken);

    /// <summary>Every list the user sees, by name, with how many of its targets they may see.</summary>
    public async Task<List<TargetListSummary>> SummariesAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var visibleTargets = access.Visible(user);
        var rows = await VisibleTo(user).AsNoTracking().OrderBy(l => l.Name).ThenBy(l => l.Id)
            .Select(l => new { List = l, Count = db.TargetListMembers.Count(m => m.TargetListId == l.Id && visibleTargets.Any(t => t.Id == m.TargetId)) })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new TargetListSummary(r.List, r.Count, CanChange(r.List, user))).ToList();
    }

    public async Task<TargetListSummary> SummaryAsync(TargetList list, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var visibleTargets = access.Visible(user);
        var count = await db.TargetListMembers.CountAsync(m => m.TargetListId == list.Id && visibleTargets.Any(t => t.Id == m.TargetId), cancellationToken);
        return new TargetListSummary(list, count, CanChange(list, user));
    }

    public static bool CanChange(TargetList list, ClaimsPrincipal user) => list.CanChange(user.UserId(), user.IsAdmin());

    /// <summary>What is wrong with a name, or null when it can be used.</summary>
    public static string? CheckName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Give the list a name."
        : name.Trim().Length > NameLength ? $"A list name has at most {NameLength} characters."
        : null;

    /// <summary>"shared" or "private" (any case), shared when blank; null for anything else.</summary>
    public static QueryVisibility? ParseVisibility(string? text) =>
        string.IsNullOrWhiteSpace(text) ? QueryVisibility.Private
        : Enum.TryParse<QueryVisibility>(text.Trim(), ignoreCase: true, out var v) && Enum.IsDefined(v) ? v : null;

    public async Task<TargetList> CreateAsync(string name, QueryVisibility visibility, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var list = new TargetList { Name = name.Trim(), Visibility = visibility, OwnerId = user.UserId(), Created = now, Modified = now };
        db.TargetLists.Add(list);
        await db.SaveChangesAsync(cancellationToken);
        return list;
    }

    public async Task UpdateAsync(TargetList list, string? name, QueryVisibility? visibility, CancellationToken cancellationToken)
    {
        var tracked = await db.TargetLists.FirstAsync(l => l.Id == list.Id, cancellationToken);
        tracked.Name = name?.Trim() ?? tracked.Name;
        tracked.Visibility = visibility ?? tracked.Visibility;
        tracked.Modified = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        (list.Name, list.Visibility, list.Modified) = (tracked.Name, tracked.Visibility, tracked.Modified);
    }

    public Task DeleteAsync(TargetList list, CancellationToken cancellationToken) =>
        db.TargetLists.Where(l => l.Id == list.Id).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Puts the targets the user may see in the list; the others are reported as not found.</summary>
    public async Task<MembershipChange> AddAsync(TargetList list, IReadOnlyCollection<int> targetIds, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var wanted = targetIds.Distinct().ToList();
        var visible = await access.Visible(user).Where(t => wanted.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        var already = await db.TargetListMembers.Where(m => m.TargetListId == list.Id && visible.Contains(m.TargetId)).Select(m => m.TargetId).ToListAsync(cancellationToken);
        var added = visible.Except(already).Order().ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        db.TargetListMembers.AddRange(added.Select(id => new TargetListMember { TargetListId = list.Id, TargetId = id, Added = now, AddedBy = user.UserId() }));
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new MembershipChange(added, already.Order().ToList(), wanted.Except(visible).Order().ToList());
    }

    /// <summary>Takes the targets out of the list (those the user may see); how many were in it.</summary>
    public async Task<int> RemoveAsync(TargetList list, IReadOnlyCollection<int> targetIds, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var ids = targetIds.Distinct().ToList();
        var visible = access.Visible(user).Where(t => ids.Contains(t.Id)).Select(t => t.Id);
        return await db.TargetListMembers.Where(m => m.TargetListId == list.Id && visible.Contains(m.TargetId)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The lists (seen by the user) each of <paramref name="targetIds"/> is in, by name.</summary>
    /// <summary>
    /// For a page of targets: the lists each of <paramref name="targetIds"/> is in that <paramref name="user"/> sees, and
    /// the lists they may put targets in, both by name — the lists read once, their members only when there are lists.
    /// </summary>
    public async Task<TargetListMemberships> MembershipsAsync(IReadOnlyCollection<int> targetIds, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var visible = await VisibleTo(user).AsNoTracking().OrderBy(l => l.Name).ThenBy(l => l.Id).ToListAsync(cancellationToken);
        var changeable = visible.Where(l => CanChange(l, user)).ToList();
        if (visible.Count == 0 || targetIds.Count == 0)
        {
            return new([], changeable);
        }
        var ids = targetIds.ToList();
        var listIds = visible.Select(l => l.Id).ToList();
        var members = await db.TargetListMembers.AsNoTracking()
            .Where(m => EF.Parameter(ids).Contains(m.TargetId) && EF.Parameter(listIds).Contains(m.TargetListId))
            .Select(m => new { m.TargetId, m.TargetListId }).ToListAsync(cancellationToken);
        var order = visible.Select((l, i) => (l.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var of = members.GroupBy(m => m.TargetId)
            .ToDictionary(g => g.Key, g => g.Select(m => order[m.TargetListId]).Order().Select(i => visible[i]).ToList());
        return new(of, changeable);
    }
}
