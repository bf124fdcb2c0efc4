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
/// database, by page number, by cursor, or whole. A cone lists nearest first, otherwise newest first. Only the targets
/// the viewer may see (<see cref="TargetAccess.Visible"/>) are listed or counted.
/// </summary>
public sealed class TargetQueries(AppDbContext db, TargetAccess access, TargetListTotal unfilteredTotal)
{
    /// <summary>The page <paramref name="page"/> (from 1) of the list; with <paramref name="clamp"/>, a page past either end shows the nearest one.</summary>
    public async Task<TargetPage> PageAsync(TargetFilter filter, ClaimsPrincipal viewer, int page, int pageSize, bool clamp, CancellationToken cancellationToken)
    {
        if (filter.Cone() is { } cone)
        {
            var matches = await ConeAsync(filter, viewer, cone, cancellationToken);
            var conePaging = Clamp(new Paging(page, pageSize, matches.Count), clamp);
            return new(conePaging, matches.Skip(conePaging.Skip).Take(pageSize).ToList());
        }
        var (targets, total) = await NamedWithTotalAsync(filter, viewer, cancellationToken);
        var paging = Clamp(new Paging(page, pageSize, total), clamp);
        var rows = await Newest(targets).Skip(paging.Skip).Take(pageSize).ToListAsync(cancellationToken);
        return new(paging, rows.Select(t => new TargetRow(t, null)).ToList());
    }

    /// <summary>
    /// A page of the newest-first list next to a cursor — rows after <paramref name="after"/>, or the page before
    /// <paramref name="before"/> — read through the (Created, Id) index, so page 1,000 costs what page 1 costs.
    /// </summary>
    public async Task<TargetKeysetPage> KeysetPageAsync(TargetFilter filter, ClaimsPrincipal viewer, TargetCursor? after, TargetCursor? before, int pageSize, CancellationToken cancellationToken)
    {
        var (targets, total) = await NamedWithTotalAsync(filter, viewer, cancellationToken);
        List<Target> rows;
        bool more;
        if (before is { } b)
        {
            rows = await targets.Where(t => t.Created >= b.Created && (t.Created > b.Created || t.Id > b.Id))
                .OrderBy(t => t.Created).ThenBy(t => t.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
            more = rows.Count > pageSize; // there are newer rows still: a page before this one
            rows = rows.Take(pageSize).Reverse().ToList();
            return new(total, rows.Select(t => new TargetRow(t, null)).ToList(), HasNewer: more, HasOlder: true);
        }
        if (after is { } a)
        {
            targets = OlderThan(targets, a);
        }
        rows = await Newest(targets).Take(pageSize + 1).ToListAsync(cancellationToken);
        more = rows.Count > pageSize;
        return new(total, rows.Take(pageSize).Select(t => new TargetRow(t, null)).ToList(), HasNewer: after is not null, HasOlder: more);
    }

    /// <summary>Every target of the list in its order, read a chunk at a time (for exports).</summary>
    public async IAsyncEnumerable<TargetRow> AllAsync(TargetFilter filter, ClaimsPrincipal viewer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (filter.Cone() is { } cone)
        {
            foreach (var row in await ConeAsync(filter, viewer, cone, cancellationToken))
            {
                yield return row;
            }
            yield break;
        }
        const int chunk = 500;
        var (list, _) = await NamedWithTotalAsync(filter, viewer, cancellationToken);
        TargetCursor? last = null;
        while (true)
        {
            var rows = await Newest(last is { } after ? OlderThan(list, after) : list).Take(chunk).ToListAsync(cancellationToken);
            foreach (var target in rows)
            {
                yield return new TargetRow(target, null);
            }
            if (rows.Count < chunk)
            {
                yield break;
            }
            last = TargetCursor.Of(rows[^1]);
        }
    }

    private static Paging Clamp(Paging paging, bool clamp) => clamp ? paging.Clamped() : paging;

    private static IQueryable<Target> Newest(IQueryable<Target> targets) => targets.OrderByDescending(t => t.Created).ThenByDescending(t => t.Id);

    private static IQueryable<Target> OlderThan(IQueryable<Target> targets, TargetCursor cursor) =>
        targets.Where(t => t.Created <= cursor.Created && (t.Created < cursor.Created || t.Id < cursor.Id));

    private IQueryable<Target> Named(TargetFilter filter, ClaimsPrincipal viewer) =>
        (string.IsNullOrWhiteSpace(filter.Name) ? access.Visible(viewer) : access.Restrict(TargetSearch.ByName(db, filter.Name), viewer)).AsNoTracking();

    /// <summary>
    /// The name filter and how many targets it keeps. A name that starts no name or alias is looked for anywhere
    /// inside them (a scan, so only then).
    /// </summary>
    private async Task<(IQueryable<Target> Targets, int Total)> NamedWithTotalAsync(TargetFilter filter, ClaimsPrincipal viewer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(filter.Name))
        {
            var visible = access.Visible(viewer);
            return (visible.AsNoTracking(), await unfilteredTotal.CountAsync(visible, viewer.IsAdmin() ? "" : viewer.UserId() ?? "", cancellationToken));
        }
        var byName = Named(filter, viewer);
        var count = await byName.CountAsync(cancellationToken);
        if (count > 0)
        {
            return (byName, count);
        }
        var anywhere = access.Restrict(TargetSearch.ByNameAnywhere(db, filter.Name), viewer).AsNoTracking();
        return (anywhere, await anywhere.CountAsync(cancellationToken));
    }

    private async Task<List<TargetRow>> ConeAsync(TargetFilter filter, ClaimsPrincipal viewer, (double Ra, double Dec, double RadiusDeg) cone, CancellationToken cancellationToken)
    {
        var matches = await TargetSearch.ConeAsync(Named(filter, viewer), cone.Ra, cone.Dec, cone.RadiusDeg, cancellationToken);
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
