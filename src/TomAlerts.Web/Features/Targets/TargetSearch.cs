using System.Globalization;
using System.Runtime.CompilerServices;
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

/// <summary>One page of a filtered target list; <see cref="TargetRow.SeparationArcsec"/> is set for a cone search.</summary>
public sealed record TargetPage(int Total, int Page, IReadOnlyList<TargetRow> Rows);

/// <summary>
/// The target list's filter, as the list page, its export and the API take it: a name or alias, and a cone when RA or Dec
/// is given (RA and Dec in degrees or sexagesimal, the radius in arcseconds). A cone lists nearest first, otherwise newest first.
/// </summary>
public sealed record TargetFilter(string? Name, string? Ra, string? Dec, string? RadiusArcsec)
{
    public const string DefaultRadiusArcsec = "60";

    public bool IsCone => !string.IsNullOrWhiteSpace(Ra) || !string.IsNullOrWhiteSpace(Dec);

    /// <summary>What is wrong with the filter, by field ("ra", "dec", "radius"); empty when it can be applied.</summary>
    public Dictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (IsCone)
        {
            if (!Angles.TryParseRa(Ra, out _))
            {
                errors["ra"] = "Enter RA in decimal degrees (0 to 360) or as hh:mm:ss.";
            }
            if (!Angles.TryParseDec(Dec, out _))
            {
                errors["dec"] = "Enter Dec in decimal degrees (−90 to 90) or as ±dd:mm:ss.";
            }
            if (!TryParseRadius(out _))
            {
                errors["radius"] = "Enter a radius in arcseconds, greater than 0 and at most 36000 (10°).";
            }
        }
        return errors;
    }

    /// <summary>The page <paramref name="page"/> (from 1) of the list; with <paramref name="clamp"/>, a page past either end shows the nearest one.</summary>
    public async Task<TargetPage> PageAsync(AppDbContext db, int page, int pageSize, bool clamp, CancellationToken cancellationToken)
    {
        if (IsCone)
        {
            var matches = await ConeAsync(db, cancellationToken);
            page = clamp ? Math.Clamp(page, 1, PageCount(matches.Count, pageSize)) : page;
            return new(matches.Count, page, matches.Skip((page - 1) * pageSize).Take(pageSize).ToList());
        }
        var targets = Named(db);
        var total = await targets.CountAsync(cancellationToken);
        page = clamp ? Math.Clamp(page, 1, PageCount(total, pageSize)) : page;
        var rows = await targets.OrderByDescending(t => t.Created).ThenByDescending(t => t.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new(total, page, rows.Select(t => new TargetRow(t, null)).ToList());
    }

    /// <summary>Every target of the list in its order, read a chunk at a time (for exports).</summary>
    public async IAsyncEnumerable<TargetRow> AllAsync(AppDbContext db, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (IsCone)
        {
            foreach (var row in await ConeAsync(db, cancellationToken))
            {
                yield return row;
            }
            yield break;
        }
        const int chunk = 500;
        (DateTime Created, int Id)? last = null;
        while (true)
        {
            var targets = Named(db);
            if (last is { } after)
            {
                targets = targets.Where(t => t.Created < after.Created || (t.Created == after.Created && t.Id < after.Id));
            }
            var rows = await targets.OrderByDescending(t => t.Created).ThenByDescending(t => t.Id).Take(chunk).ToListAsync(cancellationToken);
            foreach (var target in rows)
            {
                yield return new TargetRow(target, null);
            }
            if (rows.Count < chunk)
            {
                yield break;
            }
            last = (rows[^1].Created, rows[^1].Id);
        }
    }

    private IQueryable<Target> Named(AppDbContext db) =>
        string.IsNullOrWhiteSpace(Name) ? db.Targets.AsNoTracking() : TargetSearch.ByName(db, Name).AsNoTracking();

    private async Task<List<TargetRow>> ConeAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        if (!Angles.TryParseRa(Ra, out var ra) || !Angles.TryParseDec(Dec, out var dec) || !TryParseRadius(out var radiusArcsec))
        {
            throw new InvalidOperationException("Validate the filter before applying it.");
        }
        var matches = await TargetSearch.ConeAsync(Named(db), ra, dec, radiusArcsec / 3600, cancellationToken);
        return matches.Select(m => new TargetRow(m.Target, m.Separation * 3600)).ToList();
    }

    private bool TryParseRadius(out double radiusArcsec) =>
        double.TryParse(string.IsNullOrWhiteSpace(RadiusArcsec) ? DefaultRadiusArcsec : RadiusArcsec, NumberStyles.Float, CultureInfo.InvariantCulture, out radiusArcsec)
        && radiusArcsec > 0 && radiusArcsec <= 36000;

    private static int PageCount(int total, int pageSize) => Math.Max(1, (total + pageSize - 1) / pageSize);
}
