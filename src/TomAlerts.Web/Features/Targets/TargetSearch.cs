using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Sky;
using TomAlerts.Targets;

namespace TomAlerts.Web.Features.Targets;

/// <summary>Finding targets by name or alias and by position, through the indexed name and declination-zone columns.</summary>
public static class TargetSearch
{
    /// <summary>Targets within <paramref name="radiusDeg"/> of a position, nearest first, with their separation in degrees.</summary>
    public static async Task<List<(Target Target, double Separation)>> ConeAsync(
        IQueryable<Target> targets, double ra, double dec, double radiusDeg, CancellationToken cancellationToken)
    {
        var bounds = SkyZones.Bounds(ra, dec, radiusDeg);
        var candidates = new List<Target>();
        foreach (var (minRa, maxRa) in bounds.RaRanges)
        {
            candidates.AddRange(await targets
                .Where(t => t.DecZone >= bounds.MinZone && t.DecZone <= bounds.MaxZone && t.Ra >= minRa && t.Ra <= maxRa)
                .ToListAsync(cancellationToken));
        }
        return candidates
            .DistinctBy(t => t.Id)
            .Select(t => (Target: t, Separation: Angles.Separation(ra, dec, t.Ra!.Value, t.Dec!.Value)))
            .Where(m => m.Separation <= radiusDeg)
            .OrderBy(m => m.Separation)
            .ToList();
    }

    /// <summary>Targets whose name or an alias matches <paramref name="text"/> exactly or in TOM's normalised form, or contains it.</summary>
    public static IQueryable<Target> ByName(AppDbContext db, string text)
    {
        var normalized = TargetNames.Normalize(text);
        var pattern = $"%{normalized.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
        return db.Targets.Where(t => EF.Functions.Like(t.NormalizedName, pattern, "\\")
                                     || db.TargetNames.Any(a => a.TargetId == t.Id && EF.Functions.Like(a.NormalizedName, pattern, "\\")));
    }
}
