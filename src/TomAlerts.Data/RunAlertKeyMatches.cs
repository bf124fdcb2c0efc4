using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using TomAlerts.Queries;
using TomAlerts.Targets;

namespace TomAlerts.Data;

/// <summary>
/// Keeps <see cref="RunAlertKey.Matched"/> true whenever some target or alias has the key as its normalised name:
/// keys are marked when they are stored (<see cref="MarkAsync"/>), and every save through <see cref="AppDbContext"/>
/// that adds, renames or removes a target or an alias marks the names it gives before it saves
/// (<see cref="MatchAsync"/>) and re-matches the names it takes away after (<see cref="RematchAsync"/>), so no feature
/// that writes targets has to remember it. A key left matched by a save that failed, or by a target deleted in SQL,
/// costs nothing but a look: readers check every matched key's name against the targets the viewer sees, so "matched"
/// only has to be true whenever it should be.
/// </summary>
public static class RunAlertKeyMatches
{
    private const int Chunk = 500;

    /// <summary>Sets <see cref="RunAlertKey.Matched"/> on keys about to be stored, with one query per 500 names.</summary>
    public static async Task MarkAsync(AppDbContext db, IReadOnlyCollection<RunAlertKey> keys, CancellationToken cancellationToken)
    {
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in keys.Select(k => k.Key).Distinct(StringComparer.Ordinal).Chunk(Chunk))
        {
            var names = chunk.ToList();
            matched.UnionWith(await db.Targets.Where(t => EF.Parameter(names).Contains(t.NormalizedName)).Select(t => t.NormalizedName)
                .Concat(db.TargetNames.Where(n => EF.Parameter(names).Contains(n.NormalizedName)).Select(n => n.NormalizedName))
                .ToListAsync(cancellationToken));
        }
        foreach (var key in keys)
        {
            key.Matched = matched.Contains(key.Key);
        }
    }

    /// <summary>Marks every stored key equal to one of <paramref name="names"/> matched (a target or alias is about to go by it).</summary>
    public static async Task MatchAsync(AppDbContext db, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        foreach (var chunk in names.Chunk(Chunk))
        {
            var list = chunk.ToList();
            await db.RunAlertKeys.Where(k => list.Contains(k.Key) && !k.Matched).ExecuteUpdateAsync(s => s.SetProperty(k => k.Matched, true), cancellationToken);
        }
    }

    /// <summary>Re-matches every stored key equal to one of <paramref name="names"/> against the names the targets have now.</summary>
    public static async Task RematchAsync(AppDbContext db, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        foreach (var chunk in names.Chunk(Chunk))
        {
            var list = chunk.ToList();
            await db.RunAlertKeys.Where(k => list.Contains(k.Key) && k.Matched).ExecuteUpdateAsync(s => s.SetProperty(k => k.Matched,
                k => db.Targets.Any(t => t.NormalizedName == k.Key) || db.TargetNames.Any(n => n.NormalizedName == k.Key)), cancellationToken);
        }
    }

    /// <summary>
    /// The normalised names a save is about to give (<c>Added</c>) and take away (<c>Removed</c>: before a rename, or of a
    /// deleted target or alias), from the change tracker.
    /// </summary>
    public static (IReadOnlyCollection<string> Added, IReadOnlyCollection<string> Removed) NamesChangedBy(ChangeTracker changes)
    {
        var added = new HashSet<string>(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in changes.Entries())
        {
            if (entry.Entity is not (Target or TargetName) || entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            var name = entry.Property(nameof(Target.NormalizedName));
            if (entry.State == EntityState.Modified && (!name.IsModified || Equals(name.OriginalValue, name.CurrentValue)))
            {
                continue;
            }
            if (entry.State != EntityState.Deleted && name.CurrentValue is string current and not "")
            {
                added.Add(current);
            }
            if (entry.State != EntityState.Added && name.OriginalValue is string original and not "")
            {
                removed.Add(original);
            }
        }
        removed.ExceptWith(added);
        return (added, removed);
    }
}
