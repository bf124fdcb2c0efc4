using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Data;
using TomAlerts.Sky;
using TomAlerts.Targets;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Targets;

/// <summary>
/// What a person sets on a target by hand (page or API), already read: null means "not given" (left as it is when
/// editing). <see cref="Extras"/> are the person's own extras, which replace the ones they set before.
/// </summary>
public sealed record TargetChange
{
    public string? Name { get; init; }
    public TargetType? Type { get; init; }
    public double? Ra { get; init; }
    public double? Dec { get; init; }
    public double? Epoch { get; init; }
    public OrbitalElements? Elements { get; init; }
    public IReadOnlyList<string>? Aliases { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>>? Extras { get; init; }
}

/// <summary>A problem with one field; <see cref="TargetId"/> names the existing target a duplicate name belongs to (when the user may see it).</summary>
public sealed record FieldError(string Message, int? TargetId = null, string? TargetName = null);

/// <summary>An existing target that may be the object being created: by name, or within the match radius (<see cref="SeparationArcsec"/>).</summary>
public sealed record TargetMatch(int Id, string Name, double? SeparationArcsec);

public sealed record TargetEditResult(Target? Target, IReadOnlyDictionary<string, FieldError> Errors, IReadOnlyList<TargetMatch> Matches)
{
    public bool Succeeded => Target is not null;
}

/// <summary>
/// Creating and editing targets by hand: the fields checked (coordinates on the sky, the elements a non-sidereal scheme
/// needs, no name or alias another target has), identity matching as for alerts (a list of possible matches unless the
/// person creates anyway), and every edit written to the target's history with the old and new values.
/// </summary>
public sealed class TargetEditor(AppDbContext db, TargetCreator creator, TargetAccess access, IOptions<TargetOptions> options, TimeProvider clock)
{
    public const string EditedAction = "edited";
    public const string ManualSource = "manual";

    /// <summary>
    /// Creates the target unless a field is wrong (<paramref name="readErrors"/> are those found reading the input) or,
    /// without <paramref name="createAnyway"/>, identity matching finds targets it may be (then returned as matches).
    /// </summary>
    public async Task<TargetEditResult> CreateAsync(TargetChange change, IReadOnlyDictionary<string, FieldError> readErrors, bool createAnyway,
        IReadOnlyList<int>? groups, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, FieldError>(readErrors);
        if (string.IsNullOrWhiteSpace(change.Name))
        {
            errors["name"] = new FieldError("Give the target a name.");
        }
        var type = change.Type ?? TargetType.Sidereal;
        if (type == TargetType.Sidereal)
        {
            if (change.Ra is null)
            {
                errors.TryAdd("ra", new FieldError("A sidereal target needs its RA."));
            }
            if (change.Dec is null)
            {
                errors.TryAdd("dec", new FieldError("A sidereal target needs its Dec."));
            }
        }
        await CheckAsync(change, type, null, errors, user, cancellationToken);
        if (await access.CheckGroupsAsync(groups, user.UserId(), cancellationToken) is { } refusedGroups)
        {
            errors["groups"] = new FieldError(refusedGroups);
        }
        if (errors.Count > 0)
        {
            return new TargetEditResult(null, errors, []);
        }
        var names = new[] { change.Name! }.Concat(change.Aliases ?? []).ToList();
        if (!createAnyway)
        {
            var matches = await MatchesAsync(names, change.Ra, change.Dec, user, cancellationToken);
            if (matches.Count > 0)
            {
                return new TargetEditResult(null, errors, matches);
            }
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var userId = user.UserId();
        var target = new Target { Name = change.Name!.Trim(), Type = type, Created = now, Modified = now, Epoch = change.Epoch };
        target.NormalizedName = TargetNames.Normalize(target.Name);
        target.SetPosition(change.Ra, change.Dec);
        target.Elements = type == TargetType.NonSidereal ? change.Elements : null;
        foreach (var alias in Distinct(change.Aliases ?? []).Where(a => TargetNames.Normalize(a) != target.NormalizedName))
        {
            target.Aliases.Add(new TargetName { Name = alias, NormalizedName = TargetNames.Normalize(alias), Survey = SurveyIds.SurveyOf(alias), Created = now });
        }
        foreach (var (key, value) in change.Extras ?? [])
        {
            target.Extras.Add(new TargetExtra { Key = key, Value = value, Source = SourceOf(userId), SetAt = now });
        }
        target.Provenance.Add(new TargetProvenance { Broker = ManualSource, AlertId = "", UserId = userId, At = now, Action = "created", Note = "Created by hand." });
        db.Targets.Add(target);
        await access.AssignGroupsAsync(target, userId, groups, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new TargetEditResult(target, errors, []);
    }

    /// <summary>Applies <paramref name="change"/> to target <paramref name="id"/> (which the caller may change); null when it is not theirs to change.</summary>
    public async Task<TargetEditResult?> EditAsync(int id, TargetChange change, IReadOnlyDictionary<string, FieldError> readErrors, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!await access.CanChangeAsync(id, user, cancellationToken))
        {
            return null;
        }
        var target = await db.Targets.Include(t => t.Aliases).Include(t => t.Extras).AsSplitQuery().FirstAsync(t => t.Id == id, cancellationToken);
        var errors = new Dictionary<string, FieldError>(readErrors);
        if (change.Name is not null && string.IsNullOrWhiteSpace(change.Name))
        {
            errors["name"] = new FieldError("A target needs a name.");
        }
        var type = change.Type ?? target.Type;
        await CheckAsync(change with { Elements = change.Elements ?? (type == TargetType.NonSidereal ? target.Elements : null) }, type, id, errors, user, cancellationToken);
        if (errors.Count > 0)
        {
            return new TargetEditResult(null, errors, []);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var userId = user.UserId();
        var changes = new List<string>();
        void Note<T>(string field, T old, T @new)
        {
            if (!EqualityComparer<T>.Default.Equals(old, @new))
            {
                changes.Add($"{field}: {Show(old)} → {Show(@new)}");
            }
        }
        if (change.Name is { } name && name.Trim() != target.Name)
        {
            Note("name", target.Name, name.Trim());
            (target.Name, target.NormalizedName) = (name.Trim(), TargetNames.Normalize(name));
            // An alias that is now the name is not kept twice.
            foreach (var same in target.Aliases.Where(a => a.NormalizedName == target.NormalizedName).ToList())
            {
                target.Aliases.Remove(same);
                db.TargetNames.Remove(same);
            }
        }
        Note("type", target.Type, type);
        target.Type = type;
        if (change.Ra is not null || change.Dec is not null)
        {
            Note("ra", target.Ra, change.Ra ?? target.Ra);
            Note("dec", target.Dec, change.Dec ?? target.Dec);
            target.SetPosition(change.Ra ?? target.Ra, change.Dec ?? target.Dec);
        }
        if (change.Epoch is not null)
        {
            Note("epoch", target.Epoch, change.Epoch);
            target.Epoch = change.Epoch;
        }
        var elements = type == TargetType.NonSidereal ? change.Elements ?? target.Elements : null;
        foreach (var property in typeof(OrbitalElements).GetProperties())
        {
            var (old, @new) = (target.Elements is null ? null : property.GetValue(target.Elements), elements is null ? null : property.GetValue(elements));
            if (!Equals(old, @new))
            {
                changes.Add($"{property.Name}: {Show(old)} → {Show(@new)}");
            }
        }
        target.Elements = elements is null ? null : Copy(elements);
        if (change.Aliases is { } aliases)
        {
            var wanted = Distinct(aliases).Where(a => TargetNames.Normalize(a) != target.NormalizedName).ToList();
            var removed = target.Aliases.Where(a => !wanted.Contains(a.Name, StringComparer.Ordinal)).ToList();
            var added = wanted.Where(w => target.Aliases.All(a => a.Name != w)).ToList();
            foreach (var alias in removed)
            {
                target.Aliases.Remove(alias);
                db.TargetNames.Remove(alias);
            }
            foreach (var alias in added)
            {
                target.Aliases.Add(new TargetName { Name = alias, NormalizedName = TargetNames.Normalize(alias), Survey = SurveyIds.SurveyOf(alias), Created = now });
            }
            if (removed.Count + added.Count > 0)
            {
                changes.Add("aliases: " + string.Join(", ", added.Select(a => "+" + a).Concat(removed.Select(a => "−" + a.Name))));
            }
        }
        if (change.Extras is { } extras)
        {
            var source = SourceOf(userId);
            var mine = target.Extras.Where(e => e.Source == source).ToDictionary(e => e.Key, StringComparer.Ordinal);
            foreach (var (key, value) in extras)
            {
                if (mine.Remove(key, out var stored))
                {
                    if (stored.Value != value)
                    {
                        changes.Add($"extra {key}: {Show(stored.Value)} → {Show(value)}");
                        (stored.Value, stored.SetAt) = (value, now);
                    }
                }
                else
                {
                    changes.Add($"extra {key}: (none) → {Show(value)}");
                    target.Extras.Add(new TargetExtra { Key = key, Value = value, Source = source, SetAt = now });
                }
            }
            foreach (var gone in mine.Values)
            {
                changes.Add($"extra {gone.Key}: {Show(gone.Value)} → (none)");
                target.Extras.Remove(gone);
                db.TargetExtras.Remove(gone);
            }
        }
        if (changes.Count > 0)
        {
            target.Modified = now;
            var note = string.Join("; ", changes);
            db.TargetProvenance.Add(new TargetProvenance
            {
                TargetId = target.Id, Broker = ManualSource, AlertId = "", UserId = userId, At = now, Action = EditedAction,
                Note = note.Length > 2000 ? note[..1999] + "…" : note,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        return new TargetEditResult(target, errors, []);
    }

    /// <summary>Targets the person may see that identity matching would take for these names or this position, nearest first.</summary>
    public async Task<IReadOnlyList<TargetMatch>> MatchesAsync(IReadOnlyList<string> names, double? ra, double? dec, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var found = await creator.FindMatchesAsync(names, ra, dec, options.Value.MatchRadiusArcsec, cancellationToken);
        var ids = found.Select(m => m.Id).ToList();
        var visible = await access.Visible(user).Where(t => ids.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        return [.. found.Where(m => visible.Contains(m.Id))];
    }

    /// <summary>The field checks that need the database or the type: names no other target has, the scheme's elements.</summary>
    private async Task CheckAsync(TargetChange change, TargetType type, int? editing, Dictionary<string, FieldError> errors, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (change.Name is { } name && !string.IsNullOrWhiteSpace(name) && !errors.ContainsKey("name"))
        {
            if (name.Trim().Length > 100)
            {
                errors["name"] = new FieldError("A name has at most 100 characters.");
            }
            else if (await OwnerAsync(name, editing, user, cancellationToken) is { } owner)
            {
                errors["name"] = owner;
            }
        }
        foreach (var alias in Distinct(change.Aliases ?? []))
        {
            if (errors.ContainsKey("aliases"))
            {
                break;
            }
            if (alias.Length > 100)
            {
                errors["aliases"] = new FieldError($"An alias has at most 100 characters: {alias[..20]}….");
            }
            else if (await OwnerAsync(alias, editing, user, cancellationToken) is { } owner)
            {
                errors["aliases"] = owner;
            }
        }
        if (type == TargetType.NonSidereal)
        {
            var elements = change.Elements;
            if (elements is null)
            {
                errors.TryAdd("scheme", new FieldError("A non-sidereal target needs its orbital elements: choose a scheme and fill in its elements."));
                return;
            }
            if (!OrbitalSchemes.All.Contains(elements.Scheme))
            {
                errors.TryAdd("scheme", new FieldError($"Choose a scheme: {string.Join(", ", OrbitalSchemes.All)}."));
                return;
            }
            foreach (var required in OrbitalSchemes.Required(elements.Scheme))
            {
                if (typeof(OrbitalElements).GetProperty(required)!.GetValue(elements) is null)
                {
                    errors.TryAdd(JsonName(required), new FieldError($"{Label(required)} is needed for the scheme {elements.Scheme}."));
                }
            }
            if (elements.Eccentricity is < 0)
            {
                errors.TryAdd("eccentricity", new FieldError("Eccentricity cannot be negative."));
            }
        }
    }

    /// <summary>The error naming the target (other than <paramref name="editing"/>) that already has <paramref name="name"/> as its name or an alias.</summary>
    private async Task<FieldError?> OwnerAsync(string name, int? editing, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var normalized = TargetNames.Normalize(name);
        var ownerId = await db.Targets.Where(t => t.NormalizedName == normalized && t.Id != editing).Select(t => (int?)t.Id).FirstOrDefaultAsync(cancellationToken)
                      ?? await db.TargetNames.Where(a => a.NormalizedName == normalized && a.TargetId != editing).Select(a => (int?)a.TargetId).FirstOrDefaultAsync(cancellationToken);
        if (ownerId is null)
        {
            return null;
        }
        var owner = await access.FindVisibleAsync(ownerId.Value, user, cancellationToken);
        return owner is null
            ? new FieldError($"{name.Trim()} is already a name of another target.")
            : new FieldError($"{name.Trim()} is already a name of the target {owner.Name} (id {owner.Id}).", owner.Id, owner.Name);
    }

    private static string SourceOf(string? userId) => userId is null ? ManualSource : TargetExtra.UserSource(userId);

    private static List<string> Distinct(IEnumerable<string> names) =>
        [.. names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).DistinctBy(TargetNames.Normalize)];

    private static OrbitalElements Copy(OrbitalElements e) => new()
    {
        Scheme = e.Scheme, EpochOfElements = e.EpochOfElements, MeanAnomaly = e.MeanAnomaly, ArgOfPerihelion = e.ArgOfPerihelion,
        Eccentricity = e.Eccentricity, LongAscendingNode = e.LongAscendingNode, Inclination = e.Inclination, SemimajorAxis = e.SemimajorAxis,
        MeanDailyMotion = e.MeanDailyMotion, PerihelionDistance = e.PerihelionDistance, EpochOfPerihelion = e.EpochOfPerihelion,
    };

    private static string Show(object? value) => value switch
    {
        null => "(none)",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        TargetType t => TargetSummaryDto.TypeName(t),
        _ => value.ToString() ?? "",
    };

    /// <summary>The API and form key of an element ("ArgOfPerihelion" → "argOfPerihelion").</summary>
    public static string JsonName(string property) => char.ToLowerInvariant(property[0]) + property[1..];

    public static string Label(string property) => property switch
    {
        nameof(OrbitalElements.EpochOfElements) => "Epoch of elements (MJD)",
        nameof(OrbitalElements.MeanAnomaly) => "Mean anomaly (°)",
        nameof(OrbitalElements.ArgOfPerihelion) => "Argument of perihelion (°)",
        nameof(OrbitalElements.Eccentricity) => "Eccentricity",
        nameof(OrbitalElements.LongAscendingNode) => "Longitude of ascending node (°)",
        nameof(OrbitalElements.Inclination) => "Inclination (°)",
        nameof(OrbitalElements.SemimajorAxis) => "Mean distance / semimajor axis (AU)",
        nameof(OrbitalElements.MeanDailyMotion) => "Mean daily motion (°/day)",
        nameof(OrbitalElements.PerihelionDistance) => "Perihelion distance (AU)",
        nameof(OrbitalElements.EpochOfPerihelion) => "Epoch of perihelion (MJD)",
        _ => property,
    };

    /// <summary>The element properties in form order.</summary>
    public static IReadOnlyList<string> ElementFields { get; } =
    [
        nameof(OrbitalElements.EpochOfElements), nameof(OrbitalElements.MeanAnomaly), nameof(OrbitalElements.ArgOfPerihelion),
        nameof(OrbitalElements.Eccentricity), nameof(OrbitalElements.LongAscendingNode), nameof(OrbitalElements.Inclination),
        nameof(OrbitalElements.SemimajorAxis), nameof(OrbitalElements.MeanDailyMotion), nameof(OrbitalElements.PerihelionDistance),
        nameof(OrbitalElements.EpochOfPerihelion),
    ];

    /// <summary>Reads RA and Dec as typed (degrees or sexagesimal) into <paramref name="errors"/>-checked values.</summary>
    public static (double? Ra, double? Dec) ReadPosition(string? ra, string? dec, IDictionary<string, FieldError> errors)
    {
        double? r = null, d = null;
        if (!string.IsNullOrWhiteSpace(ra))
        {
            if (Angles.TryParseRa(ra, out var value))
            {
                r = value;
            }
            else
            {
                errors["ra"] = new FieldError("RA must be 0 to 360 degrees, or hours as hh:mm:ss (under 24h).");
            }
        }
        if (!string.IsNullOrWhiteSpace(dec))
        {
            if (Angles.TryParseDec(dec, out var value))
            {
                d = value;
            }
            else
            {
                errors["dec"] = new FieldError("Dec must be −90 to +90 degrees, or ±dd:mm:ss.");
            }
        }
        return (r, d);
    }
}
