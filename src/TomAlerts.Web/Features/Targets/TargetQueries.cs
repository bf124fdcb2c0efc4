using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Web.Features.Targets;

/// <summary>
/// The target list as the list page, its export and the API read it: a <see cref="TargetFilter"/> applied to the
/// database, by page number, by cursor, or whole. A cone lists nearest first, otherwise newest first.
/// </summary>
public sealed class TargetQueries(AppDbContext db, TargetListTotal unfilteredTotal)
{
    /// <summary>The page <paramref name="page"/> (from 1) of the list; with <paramref name="clamp"/>, a page past either end shows the nearest one.</summary>
    public async Task<TargetPage> PageAsync(TargetFilter filter, int page, int pageSize, bool clamp, CancellationToken cancellationToken)
    {
        if (filter.Cone() is { } cone)
        {
            var matches = await ConeAsync(filter, cone, cancellationToken);
            var conePaging = Clamp(new Paging(page, pageSize, matches.Count), clamp);
            return new(conePaging, matches.Skip(conePaging.Skip).Take(pageSize).ToList());
        }
        var (targets, total) = await NamedWithTotalAsync(filter, cancellationToken);
        var paging = Clamp(new Paging(page, pageSize, total), clamp);
        var rows = await Newest(targets).Skip(paging.Skip).Take(pageSize).ToListAsync(cancellationToken);
        return new(paging, rows.Select(t => new TargetRow(t, null)).ToList());
    }

    /// <summary>
    /// A page of the newest-first list next to a cursor — rows after <paramref name="after"/>, or the page before
    /// <paramref name="before"/> — read through the (Created, Id) index, so page 1,000 costs what page 1 costs.
    /// </summary>
    public async Task<TargetKeysetPage> KeysetPageAsync(TargetFilter filter, TargetCursor? after, TargetCursor? before, int pageSize, CancellationToken cancellationToken)
    {
        var (targets, total) = await NamedWithTotalAsync(filter, cancellationToken);
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
    public async IAsyncEnumerable<TargetRow> AllAsync(TargetFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (filter.Cone() is { } cone)
        {
            foreach (var row in await ConeAsync(filter, cone, cancellationToken))
            {
                yield return row;
            }
            yield break;
        }
        const int chunk = 500;
        var (list, _) = await NamedWithTotalAsync(filter, cancellationToken);
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

    private IQueryable<Target> Named(TargetFilter filter) =>
        string.IsNullOrWhiteSpace(filter.Name) ? db.Targets.AsNoTracking() : TargetSearch.ByName(db, filter.Name).AsNoTracking();

    /// <summary>
    /// The name filter and how many targets it keeps. A name that starts no name or alias is looked for anywhere
    /// inside them (a scan, so only then).
    /// </summary>
    private async Task<(IQueryable<Target> Targets, int Total)> NamedWithTotalAsync(TargetFilter filter, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(filter.Name))
        {
            return (db.Targets.AsNoTracking(), await unfilteredTotal.CountAsync(db, cancellationToken));
        }
        var byName = Named(filter);
        var count = await byName.CountAsync(cancellationToken);
        if (count > 0)
        {
            return (byName, count);
        }
        var anywhere = TargetSearch.ByNameAnywhere(db, filter.Name).AsNoTracking();
        return (anywhere, await anywhere.CountAsync(cancellationToken));
    }

    private async Task<List<TargetRow>> ConeAsync(TargetFilter filter, (double Ra, double Dec, double RadiusDeg) cone, CancellationToken cancellationToken)
    {
        var matches = await TargetSearch.ConeAsync(Named(filter), cone.Ra, cone.Dec, cone.RadiusDeg, cancellationToken);
        return matches.Select(m => new TargetRow(m.Target, m.Separation * 3600)).ToList();
    }
}

/// <summary>
/// How many targets there are in all. Counting a million rows would be the slowest part of a list page, so a large
/// total (over 100,000) is reused for ten seconds; a small one is counted every time.
/// </summary>
public sealed class TargetListTotal(TimeProvider clock)
{
    private const int LargeList = 100_000;
    private static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(10);
    private readonly Lock _lock = new();
    private (DateTimeOffset At, int Total)? _last;

    public async Task<int> CountAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_last is { Total: >= LargeList } last && now - last.At <= ReuseFor)
            {
                return last.Total;
            }
        }
        var total = await db.Targets.CountAsync(cancellationToken);
        lock (_lock)
        {
            _last = (now, total);
        }
        return total;
    }
}
