using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Sky;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Shared;

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

    /// <summary>
    /// Targets whose name or an alias starts with <paramref name="text"/> in TOM's normalised form (an exact match is
    /// one too), through the normalised-name indexes: a range on the column, so no row outside it is read.
    /// </summary>
    public static IQueryable<Target> ByName(AppDbContext db, string text)
    {
        var (low, high) = PrefixRange(text);
        // A UNION of the two index ranges: an OR of them is planned by PostgreSQL as a walk over every target.
        var ids = db.Targets.Where(t => t.NormalizedName.CompareTo(low) >= 0 && t.NormalizedName.CompareTo(high) < 0).Select(t => t.Id)
            .Union(db.TargetNames.Where(a => a.NormalizedName.CompareTo(low) >= 0 && a.NormalizedName.CompareTo(high) < 0).Select(a => a.TargetId));
        return db.Targets.Where(t => ids.Contains(t.Id));
    }

    /// <summary>Targets whose name or an alias contains <paramref name="text"/> anywhere: a full scan, for when <see cref="ByName"/> finds nothing.</summary>
    public static IQueryable<Target> ByNameAnywhere(AppDbContext db, string text)
    {
        var normalized = TargetNames.Normalize(text);
        var pattern = SqlLike.Containing(normalized);
        return db.Targets.Where(t => EF.Functions.Like(t.NormalizedName, pattern, SqlLike.Escape)
                                     || db.TargetNames.Any(a => a.TargetId == t.Id && EF.Functions.Like(a.NormalizedName, pattern, SqlLike.Escape)));
    }

    /// <summary>The normalised names that start with <paramref name="text"/> lie in [low, high) when compared ordinally.</summary>
    public static (string Low, string High) PrefixRange(string text)
    {
        var normalized = TargetNames.Normalize(text);
        return (normalized, normalized + char.MaxValue);
    }
}

/// <summary>One page of a filtered target list; <see cref="TargetRow.SeparationArcsec"/> is set for a cone search.</summary>
public sealed record TargetPage(Paging Paging, IReadOnlyList<TargetRow> Rows);

/// <summary>A page of the sorted list, and whether pages before and after it exist.</summary>
public sealed record TargetKeysetPage(int Total, IReadOnlyList<TargetRow> Rows, bool HasPrevious, bool HasNext);

/// <summary>
/// The target list's filter, as the list page, its export and the API take it: a name or alias, and a cone when RA or Dec
/// is given (RA and Dec in degrees or sexagesimal, the radius in arcseconds). A cone lists nearest first, otherwise newest first.
/// </summary>
public sealed record TargetFilter(string? Name, string? Ra, string? Dec, string? RadiusArcsec)
{
    public const string DefaultRadiusArcsec = "60";

    /// <summary>The order of the list (a cone ignores it: nearest first); null for the default, newest first.</summary>
    public TargetSort? Sort { get; init; }

    /// <summary>Only the targets of this target list (the caller has checked the user may see it).</summary>
    public int? ListId { get; init; }

    /// <summary>Only these targets (an export of the rows selected on a page).</summary>
    public IReadOnlyList<int>? Ids { get; init; }

    public TargetSort SortOrDefault => Sort ?? TargetSort.Default;

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

    /// <summary>The cone of a valid filter, the radius in degrees; null when the filter is by name only.</summary>
    public (double Ra, double Dec, double RadiusDeg)? Cone()
    {
        if (!IsCone)
        {
            return null;
        }
        if (!Angles.TryParseRa(Ra, out var ra) || !Angles.TryParseDec(Dec, out var dec) || !TryParseRadius(out var radiusArcsec))
        {
            throw new InvalidOperationException("Validate the filter before applying it.");
        }
        return (ra, dec, radiusArcsec / 3600);
    }

    private bool TryParseRadius(out double radiusArcsec) =>
        double.TryParse(string.IsNullOrWhiteSpace(RadiusArcsec) ? DefaultRadiusArcsec : RadiusArcsec, NumberStyles.Float, CultureInfo.InvariantCulture, out radiusArcsec)
        && radiusArcsec > 0 && radiusArcsec <= 36000;
}
