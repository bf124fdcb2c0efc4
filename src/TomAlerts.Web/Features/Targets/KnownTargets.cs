using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Targets;

namespace TomAlerts.Web.Features.Targets;

/// <summary>
/// Which objects are targets already, by the names identity matching looks up (<see cref="TargetNames.MatchKeys"/>
/// against the targets' and aliases' normalised names), for marking alerts on a page and filtering them in SQL. Only
/// targets the viewer may see count: an object that is someone else's hidden target is shown as no target.
/// </summary>
public sealed class KnownTargets(AppDbContext db, TargetAccess access)
{
    /// <summary>
    /// For each object (given by its names: name, alert id, aliases), the target it already is, or null; one query for all.
    /// A target's own name wins over an alias, the object's first name over its others.
    /// </summary>
    public async Task<IReadOnlyList<int?>> FindAsync(IReadOnlyList<IEnumerable<string>> objects, ClaimsPrincipal viewer, CancellationToken cancellationToken)
    {
        var keysPerObject = objects.Select(names => names.Where(n => !string.IsNullOrWhiteSpace(n)).SelectMany(TargetNames.MatchKeys)
            .Distinct(StringComparer.Ordinal).ToList()).ToList();
        var keys = keysPerObject.SelectMany(k => k).Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            return [.. objects.Select(_ => (int?)null)];
        }
        var hits = await Targets(viewer).Where(t => EF.Parameter(keys).Contains(t.NormalizedName)).Select(t => new { Key = t.NormalizedName, TargetId = t.Id, Alias = false })
            .Concat(Aliases(viewer).Where(a => EF.Parameter(keys).Contains(a.NormalizedName)).Select(a => new { Key = a.NormalizedName, a.TargetId, Alias = true }))
            .ToListAsync(cancellationToken);
        var byKey = hits.OrderBy(h => h.Alias).ThenBy(h => h.TargetId).GroupBy(h => h.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return [.. keysPerObject.Select(objectKeys =>
            objectKeys.Select(k => byKey.GetValueOrDefault(k)).Where(h => h is not null).OrderBy(h => h!.Alias).Select(h => (int?)h!.TargetId).FirstOrDefault())];
    }

    /// <summary>
    /// The positions of run <paramref name="runId"/>'s alerts whose object is a target <paramref name="viewer"/> sees, as SQL:
    /// read from the run's matched keys (<see cref="RunAlertKey.Matched"/>), whose names alone are checked against the
    /// targets and aliases the viewer sees, so the question costs the run's matches, not a probe per alert.
    /// </summary>
    public IQueryable<int> PositionsOfTargets(long runId, ClaimsPrincipal viewer)
    {
        var targets = Targets(viewer);
        var aliases = Aliases(viewer);
        return db.RunAlertKeys
            .Where(k => k.QueryRunId == runId && k.Matched && (targets.Any(t => t.NormalizedName == k.Key) || aliases.Any(n => n.NormalizedName == k.Key)))
            .Join(db.RunAlerts.Where(a => a.QueryRunId == runId), k => k.AlertId, a => a.AlertId, (k, a) => a.Position);
    }

    private IQueryable<Target> Targets(ClaimsPrincipal viewer) => access.Visible(viewer);

    private IQueryable<TargetName> Aliases(ClaimsPrincipal viewer)
    {
        if (TomAlerts.Web.Hosting.IdentityExtensions.IsAdmin(viewer))
        {
            return db.TargetNames;
        }
        var visible = access.Visible(viewer);
        return db.TargetNames.Where(n => visible.Any(t => t.Id == n.TargetId));
    }
}
