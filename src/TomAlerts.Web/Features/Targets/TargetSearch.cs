using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using TomAlerts.Data;
using TomAlerts.Sky;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Web.Features.Targets;

/// <summary>Finding targets by name or alias and by position, through the indexed name and declination-zone columns.</summary>
public static class TargetSearch
{
    /// <summary>Targets within <paramref name="radiusDeg"/> of a position, nearest first, with their separation in degrees (not tracked).</summary>
    public static async Task<List<(Target Target, double Separation)>> ConeAsync(
        IQueryable<Target> targets, double ra, double dec, double radiusDeg, CancellationToken cancellationToken)
    {
        var bounds = SkyZones.Bounds(ra, dec, radiusDeg);
        var zones = Zones(bounds);
        var candidates = new List<Target>();
        foreach (var (minRa, maxRa) in bounds.RaRanges)
        {
            candidates.AddRange(await targets.AsNoTracking()
                .Where(t => zones.Contains(t.DecZone) && t.Ra >= minRa && t.Ra <= maxRa)
                .ToListAsync(cancellationToken));
        }
        return Nearest(candidates, ra, dec, radiusDeg);
    }

    /// <summary>The cone's zones (<see cref="ConeBounds.Zones"/>) as the nullable column compares them.</summary>
    private static List<int?> Zones(ConeBounds bounds) => [.. bounds.Zones.Select(z => (int?)z)];

    /// <summary>
    /// <see cref="ConeAsync(IQueryable{Target}, double, double, double, CancellationToken)"/> over every target, through a
    /// compiled query: no expression tree to translate or look up per call, nothing tracked.
    /// </summary>
    public static async Task<List<(Target Target, double Separation)>> ConeAsync(
        AppDbContext db, double ra, double dec, double radiusDeg, CancellationToken cancellationToken)
    {
        var bounds = SkyZones.Bounds(ra, dec, radiusDeg);
        var zones = Zones(bounds);
        var candidates = new List<Target>();
        foreach (var (minRa, maxRa) in bounds.RaRanges)
        {
            await foreach (var target in ConeBox(db, zones, minRa, maxRa).WithCancellation(cancellationToken))
            {
                candidates.Add(target);
            }
        }
        return Nearest(candidates, ra, dec, radiusDeg);
    }

    private static readonly Func<AppDbContext, List<int?>, double, double, IAsyncEnumerable<Target>> ConeBox =
        EF.CompileAsyncQuery((AppDbContext db, List<int?> zones, double minRa, double maxRa) =>
            db.Targets.AsNoTracking().Where(t => zones.Contains(t.DecZone) && t.Ra >= minRa && t.Ra <= maxRa));

    private static List<(Target Target, double Separation)> Nearest(List<Target> candidates, double ra, double dec, double radiusDeg) =>
        candidates
            .DistinctBy(t => t.Id)
            .Select(t => (Target: t, Separation: Angles.Separation(ra, dec, t.Ra!.Value, t.Dec!.Value)))
            .Where(m => m.Separation <= radiusDeg)
            .OrderBy(m => m.Separation)
            .ToList();

    /// <summary>
    /// The stored targets in the zone-and-RA boxes of many cones, in one statement: each cone's boxes are joined with the
    /// (DecZone, Ra) index (SQLite: a JSON array through json_each; PostgreSQL: arrays through unnest). <c>Item</c> is the
    /// index of the cone in <paramref name="positions"/>; the exact separation is the caller's to check.
    /// </summary>
    public static async Task<List<(int Item, int Id, double Ra, double Dec)>> ConeCandidatesAsync(
        AppDbContext db, IReadOnlyList<(double Ra, double Dec)> positions, double radiusDeg, CancellationToken cancellationToken)
    {
        var found = new List<(int Item, int Id, double Ra, double Dec)>();
        if (positions.Count == 0)
        {
            return found;
        }
        // One box per cone, zone and RA range: each is a short range of the (DecZone, Ra) index (ConeBounds.Zones).
        var boxes = positions.SelectMany((p, i) =>
        {
            var bounds = SkyZones.Bounds(p.Ra, p.Dec, radiusDeg);
            return bounds.Zones.SelectMany(zone => bounds.RaRanges.Select(r => (Item: i, Zone: zone, r.Min, r.Max)));
        }).ToList();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            if (connection is Npgsql.NpgsqlConnection)
            {
                command.CommandText = """
                    SELECT c.i, t."Id", t."Ra", t."Dec"
                    FROM unnest(@i, @z, @lo, @hi) AS c(i, z, lo, hi)
                    JOIN "Targets" AS t ON t."DecZone" = c.z AND t."Ra" >= c.lo AND t."Ra" <= c.hi
                    """;
                Add(command, "@i", boxes.Select(b => b.Item).ToArray());
                Add(command, "@z", boxes.Select(b => b.Zone).ToArray());
                Add(command, "@lo", boxes.Select(b => b.Min).ToArray());
                Add(command, "@hi", boxes.Select(b => b.Max).ToArray());
            }
            else
            {
                command.CommandText = """
                    SELECT json_extract(c.value, '$[0]'), t."Id", t."Ra", t."Dec"
                    FROM json_each(@boxes) AS c
                    JOIN "Targets" AS t ON t."DecZone" = json_extract(c.value, '$[1]')
                        AND t."Ra" >= json_extract(c.value, '$[2]') AND t."Ra" <= json_extract(c.value, '$[3]')
                    """;
                Add(command, "@boxes", System.Text.Json.JsonSerializer.Serialize(boxes.Select(b => new double[] { b.Item, b.Zone, b.Min, b.Max })));
            }
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!reader.IsDBNull(2) && !reader.IsDBNull(3))
                {
                    found.Add((Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetInt32(1), reader.GetDouble(2), reader.GetDouble(3)));
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return found;
    }

    private static void Add(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
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
