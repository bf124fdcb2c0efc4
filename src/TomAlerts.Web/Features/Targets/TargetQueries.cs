using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Shared;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Targets;

/// <summary>
/// The target list as the list page, its export and the API read it: a <see cref="TargetFilter"/> applied to the
/// targets the user may see (<see cref="TargetAccess"/>), by page number, by cursor, or whole. A cone lists nearest
/// first, otherwise in the filter's <see cref="TargetSort"/> (newest first by default).
/// </summary>
public sealed class TargetQueries(AppDbContext db, TargetAccess access, TargetListTotal unfilteredTotal)
{
    /// <summary>The page <paramref name="page"/> (from 1) of the list; with <paramref name="clamp"/>, a page past either end shows the nearest one.</summary>
    public async Task<TargetPage> PageAsync(TargetFilter filter, ClaimsPrincipal user, int page, int pageSize, bool clamp, CancellationToken cancellationToken)
    {
        if (filter.Cone() is { } cone)
        {
            var matches = await ConeAsync(filter, user, cone, cancellationToken);
            var conePaging = Clamp(new Paging(page, pageSize, matches.Count), clamp);
            return new(conePaging, matches.Skip(conePaging.Skip).Take(pageSize).ToList());
        }
        var (targets, total) = await NamedWithTotalAsync(filter, user, cancellationToken);
        var paging = Clamp(new Paging(page, pageSize, total), clamp);
        var rows = await filter.SortOrDefault.ReadPageAsync(targets, paging.Skip, pageSize, cancellationToken);
        return new(paging, rows.Select(t => new TargetRow(t, null)).ToList());
    }

    /// <summary>
    /// A page of the sorted list next to a cursor — rows after <paramref name="after"/>, or the page before
    /// <paramref name="before"/> — read through the sort column's (value, id) index, so page 1,000 costs what page 1 costs.
    /// </summary>
    public async Task<TargetKeysetPage> KeysetPageAsync(TargetFilter filter, ClaimsPrincipal user, TargetSortCursor? after, TargetSortCursor? before, int pageSize,
        CancellationToken cancellationToken, Expression<Func<Target, Target>>? columns = null)
    {
        var sort = filter.SortOrDefault;
        var (targets, total) = await NamedWithTotalAsync(filter, user, cancellationToken);
        List<Target> rows;
        if (before is { } b)
        {
            rows = await sort.ReadBeforeAsync(targets, b, pageSize + 1, cancellationToken, columns);
            var earlier = rows.Count > pageSize;
            rows = rows.Take(pageSize).Reverse().ToList();
            return new(total, rows.Select(t => new TargetRow(t, null)).ToList(), HasPrevious: earlier, HasNext: true);
        }
        rows = await sort.ReadAfterAsync(targets, after, pageSize + 1, cancellationToken, columns);
        var more = rows.Count > pageSize;
        return new(total, rows.Take(pageSize).Select(t => new TargetRow(t, null)).ToList(), HasPrevious: after is not null, HasNext: more);
    }

    /// <summary>Every target of the list in its order, read a chunk at a time (for exports).</summary>
    public async IAsyncEnumerable<TargetRow> AllAsync(TargetFilter filter, ClaimsPrincipal user, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (filter.Cone() is { } cone)
        {
            foreach (var row in await ConeAsync(filter, user, cone, cancellationToken))
            {
                yield return row;
            }
            yield break;
        }
        const int chunk = 500;
        var sort = filter.SortOrDefault;
        var (list, _) = await NamedWithTotalAsync(filter, user, cancellationToken);
        TargetSortCursor? last = null;
        while (true)
        {
            var rows = await sort.ReadAfterAsync(list, last, chunk, cancellationToken);
            foreach (var target in rows)
            {
                yield return new TargetRow(target, null);
            }
            if (rows.Count < chunk)
            {
                yield break;
            }
            last = sort.CursorOf(rows[^1]);
        }
    }

    private static Paging Clamp(Paging paging, bool clamp) => clamp ? paging.Clamped() : paging;

    /// <summary>The targets the user may see, narrowed to the filter's list and selection.</summary>
    private IQueryable<Target> Scope(TargetFilter filter, ClaimsPrincipal user)
    {
        var targets = access.Visible(user).AsNoTracking();
        if (filter.ListId is { } listId)
        {
            targets = targets.Where(t => db.TargetListMembers.Any(m => m.TargetListId == listId && m.TargetId == t.Id));
        }
        if (filter.Ids is { } ids)
        {
            targets = targets.Where(t => ids.Contains(t.Id));
        }
        return targets;
    }

    private IQueryable<Target> Named(TargetFilter filter, ClaimsPrincipal user)
    {
        var scope = Scope(filter, user);
        if (string.IsNullOrWhiteSpace(filter.Name))
        {
            return scope;
        }
        var byName = TargetSearch.ByName(db, filter.Name).Select(t => t.Id);
        return scope.Where(t => byName.Contains(t.Id));
    }

    /// <summary>
    /// The name filter and how many targets it keeps. A name that starts no name or alias is looked for anywhere
    /// inside them (a scan, so only then).
    /// </summary>
    private async Task<(IQueryable<Target> Targets, int Total)> NamedWithTotalAsync(TargetFilter filter, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(filter.Name))
        {
            var scope = Scope(filter, user);
            return filter.ListId is null && filter.Ids is null
                ? (scope, await unfilteredTotal.CountAsync(scope, user.IsAdmin() ? "" : user.UserId() ?? "", cancellationToken))
                : (scope, await scope.CountAsync(cancellationToken));
        }
        var byName = Named(filter, user);
        var count = await byName.CountAsync(cancellationToken);
        if (count > 0)
        {
            return (byName, count);
        }
        var anywhereIds = TargetSearch.ByNameAnywhere(db, filter.Name).Select(t => t.Id);
        var anywhere = Scope(filter, user).Where(t => anywhereIds.Contains(t.Id));
        return (anywhere, await anywhere.CountAsync(cancellationToken));
    }

    private async Task<List<TargetRow>> ConeAsync(TargetFilter filter, ClaimsPrincipal user, (double Ra, double Dec, double RadiusDeg) cone, CancellationToken cancellationToken)
    {
        var matches = await TargetSearch.ConeAsync(Named(filter, user), cone.Ra, cone.Dec, cone.RadiusDeg, cancellationToken);
        return matches.Select(m => new TargetRow(m.Target, m.Separation * 3600)).ToList();
    }
}

/// <summary>
/// How many targets a viewer sees in all. Counting a million rows would be the slowest part of a list page, so a large
/// total (over 100,000) is reused for ten seconds per viewer (admins share one); a small one is counted every time.
/// </summary>
public sealed class TargetListTotal(TimeProvider clock)
{
    private const int LargeList = 100_000;
    private static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(10);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (DateTimeOffset At, int Total)> _last = new(StringComparer.Ordinal);

    /// <summary>The number of <paramref name="visible"/> targets; <paramref name="viewerKey"/> names whose count it is ("" for all).</summary>
    public async Task<int> CountAsync(IQueryable<Target> visible, string viewerKey, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_last.TryGetValue(viewerKey, out var last) && last.Total >= LargeList && now - last.At <= ReuseFor)
            {
                return last.Total;
            }
        }
        var total = await visible.CountAsync(cancellationToken);
        lock (_lock)
        {
            _last[viewerKey] = (now, total);
        }
        return total;
    }
}
