using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Sky;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.ConeSearch;

/// <summary>
/// The cone search's inputs: a position (decimal degrees or sexagesimal) or the name of an existing target, and a radius
/// in arcseconds. Errors are keyed by field, for display beside each.
/// </summary>
public sealed class ConeSearchForm
{
    public const string RaField = "ra";
    public const string DecField = "dec";
    public const string TargetField = "target";
    public const string RadiusField = "radius";

    public string? Ra { get; init; }
    public string? Dec { get; init; }
    public string? Target { get; init; }
    public string? Radius { get; init; }
    public FormErrors Errors { get; } = new();
    public ConePosition? Position { get; private set; }
    /// <summary>The target whose position was searched, when the search was by name.</summary>
    public Target? FoundTarget { get; private set; }

    public bool IsEmpty => Ra is null && Dec is null && Target is null;

    public bool IsValid => Errors.IsEmpty && Position is not null;

    /// <summary>Reads the inputs; a target named must be one <paramref name="user"/> may see.</summary>
    public static async Task<ConeSearchForm> ReadAsync(AppDbContext db, TargetAccess access, ClaimsPrincipal user, string? ra, string? dec, string? target, string? radius,
        ConeSearchOptions options, CancellationToken cancellationToken)
    {
        static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var form = new ConeSearchForm { Ra = Blank(ra), Dec = Blank(dec), Target = Blank(target), Radius = Blank(radius) };
        if (form.IsEmpty)
        {
            return form;
        }

        var radiusArcsec = options.DefaultRadiusArcsec;
        if (form.Radius is not null
            && (!double.TryParse(form.Radius, NumberStyles.Float, CultureInfo.InvariantCulture, out radiusArcsec) || !double.IsFinite(radiusArcsec)
                || radiusArcsec <= 0 || radiusArcsec > options.MaxRadiusArcsec))
        {
            form.Errors.Add(RadiusField, $"Enter a radius greater than 0 and at most {options.MaxRadiusArcsec:0} arcseconds.");
        }

        double raDeg = 0, decDeg = 0;
        if (form.Ra is not null || form.Dec is not null)
        {
            if (form.Target is not null)
            {
                form.Errors.Add(TargetField, "Give either a position or a target name, not both.");
            }
            if (!Angles.TryParseRa(form.Ra, out raDeg))
            {
                form.Errors.Add(RaField, form.Ra is null ? "Give an RA with the Dec." : "Enter an RA in degrees (0 to 360) or as hours, e.g. 10:01:15.78.");
            }
            if (!Angles.TryParseDec(form.Dec, out decDeg))
            {
                form.Errors.Add(DecField, form.Dec is null ? "Give a Dec with the RA." : "Enter a Dec in degrees (-90 to 90) or as ±dd:mm:ss, e.g. +02:12:33.9.");
            }
        }
        else
        {
            var found = await FindTargetAsync(db, access, user, form.Target!, cancellationToken);
            if (found.Error is not null)
            {
                form.Errors.Add(TargetField, found.Error);
            }
            else
            {
                form.FoundTarget = found.Target;
                (raDeg, decDeg) = (found.Target!.Ra!.Value, found.Target.Dec!.Value);
            }
        }
        if (form.Errors.IsEmpty)
        {
            form.Position = new ConePosition(raDeg, decDeg, radiusArcsec);
        }
        return form;
    }

    /// <summary>An exact (normalised) name or alias wins; otherwise the name must pick out a single target.</summary>
    private static async Task<(Target? Target, string? Error)> FindTargetAsync(AppDbContext db, TargetAccess access, ClaimsPrincipal user, string name,
        CancellationToken cancellationToken)
    {
        var keys = TargetNames.MatchKeys(name).ToList();
        var exact = await access.Visible(user).AsNoTracking()
            .Where(t => keys.Contains(t.NormalizedName) || db.TargetNames.Any(a => a.TargetId == t.Id && keys.Contains(a.NormalizedName)))
            .FirstOrDefaultAsync(cancellationToken);
        var matches = exact is not null ? [exact] : await access.Restrict(TargetSearch.ByName(db, name), user).AsNoTracking().OrderBy(t => t.Name).Take(6).ToListAsync(cancellationToken);
        return matches switch
        {
            [] => (null, $"No target is called \"{name}\". Enter its position instead."),
            [{ Ra: null } or { Dec: null }] => (null, $"The target {matches[0].Name} has no position to search around."),
            [var one] => (one, null),
            _ => (null, $"{(matches.Count > 5 ? "More than five" : matches.Count.ToString(CultureInfo.InvariantCulture))} targets match \"{name}\" "
                        + $"({string.Join(", ", matches.Take(5).Select(t => t.Name))}); give the full name."),
        };
    }
}
