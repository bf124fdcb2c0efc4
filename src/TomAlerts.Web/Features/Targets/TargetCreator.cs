using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Sky;
using TomAlerts.Targets;
using TomAlerts.Web.Features.LightCurves;

namespace TomAlerts.Web.Features.Targets;

public enum AlertOutcomeKind
{
    Created,
    Matched,
    Failed,
}

public sealed record AlertOutcome(string AlertId, string AlertName, AlertOutcomeKind Outcome, int? TargetId, string? TargetName, string? Message, string? Warning = null);

/// <summary>
/// One app instance creates targets one at a time, so two requests racing for one object end with one target even when
/// only its position matches; across instances (processes) the unique name index and the retry in
/// <see cref="TargetCreator"/> catch the same race. One per process unless an app registers its own.
/// </summary>
public sealed class TargetCreationLock
{
    internal static readonly TargetCreationLock Process = new();

    internal SemaphoreSlim Gate { get; } = new(1, 1);
}

/// <summary>
/// Turns stored run alerts into targets. Identity matching comes first — the same name, an existing alias, the same
/// normalised name, or a target within Targets:MatchRadiusArcsec — so an object is never created twice; a match gains
/// the alert's names as aliases and its photometry. Photometry failures leave the target and become a warning.
/// Matching looks at every target, seen or not (one object, one target): a match the creator may not see changes
/// nothing and says so. A new target goes to the creator's default groups; without a user (a scheduled or command-line
/// run), to the run's query owner's.
/// </summary>
public sealed class TargetCreator(AppDbContext db, BrokerRegistry brokers, PhotometryMerger photometry, TargetStats stats, TargetNaming naming,
    IOptions<TargetOptions> options, TimeProvider clock, TargetAccess access, ILogger<TargetCreator> logger, TargetCreationLock? creationLock = null)
{
    /// <summary>The most alerts one request may turn into targets, from a page or the API.</summary>
    public const int MaxAlertsAtOnce = 1000;

    private readonly SemaphoreSlim _creationLock = (creationLock ?? TargetCreationLock.Process).Gate;

    public async Task<IReadOnlyList<AlertOutcome>> CreateFromRunAsync(long runId, IReadOnlyList<string> alertIds, string? userId, CancellationToken cancellationToken)
    {
        var run = await db.QueryRuns.AsNoTracking().Include(r => r.Query).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        var outcomes = new List<AlertOutcome>();
        if (run?.Query is null)
        {
            return [.. alertIds.Select(id => new AlertOutcome(id, id, AlertOutcomeKind.Failed, null, null, "The run no longer exists."))];
        }
        if (!brokers.TryGet(run.Query.Broker, out var broker))
        {
            return [.. alertIds.Select(id => new AlertOutcome(id, id, AlertOutcomeKind.Failed, null, null, $"No broker named {run.Query.Broker} is configured."))];
        }
        foreach (var alertId in alertIds.Distinct(StringComparer.Ordinal))
        {
            var stored = await db.RunAlerts.AsNoTracking().FirstOrDefaultAsync(a => a.QueryRunId == runId && a.AlertId == alertId, cancellationToken);
            if (stored is null)
            {
                outcomes.Add(new AlertOutcome(alertId, alertId, AlertOutcomeKind.Failed, null, null, "This alert is not part of the run."));
                continue;
            }
            outcomes.Add(await CreateAsync(broker, stored, runId, userId, cancellationToken));
        }
        return outcomes;
    }

    /// <summary>Creates or matches the target of one stored alert, then merges its photometry.</summary>
    public async Task<AlertOutcome> CreateAsync(IBroker broker, RunAlert stored, long? runId, string? userId, CancellationToken cancellationToken)
    {
        JsonObject raw;
        try
        {
            raw = JsonNode.Parse(stored.Payload) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            return new AlertOutcome(stored.AlertId, stored.Name, AlertOutcomeKind.Failed, null, null, $"The alert could not be read as a target: {e.Message}");
        }
        raw = await FullAlertAsync(broker, raw, stored.AlertId, cancellationToken);
        TargetCandidate candidate;
        try
        {
            candidate = broker.ToTarget(raw);
        }
        catch (Exception e) when (e is BrokerException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return new AlertOutcome(stored.AlertId, stored.Name, AlertOutcomeKind.Failed, null, null, $"The alert could not be read as a target: {e.Message}");
        }
        return await SaveAsync(broker, candidate, raw, stored.AlertId, stored.Name, runId, userId, cancellationToken, stored.Classification);
    }

    /// <summary>
    /// The full alert when the run stored only a broker's list row (its names, light curve and details are on the full
    /// one); the row itself when the broker cannot give more just now, so the target is still made from what is known.
    /// </summary>
    private async Task<JsonObject> FullAlertAsync(IBroker broker, JsonObject raw, string alertId, CancellationToken cancellationToken)
    {
        if (broker is not IListsSummaries lists || !lists.IsSummary(raw))
        {
            return raw;
        }
        try
        {
            return await broker.FetchAlertAsync(alertId, cancellationToken) ?? raw;
        }
        catch (BrokerException e)
        {
            logger.LogWarning("Fetching {AlertId} from {Broker} for its target failed; the stored row is used: {Reason}", alertId, broker.Name, e.Message);
            return raw;
        }
    }

    /// <summary>Creates or matches the target of an alert; <paramref name="classification"/> is the alert's class, which the target shows with the broker as its source.</summary>
    public async Task<AlertOutcome> SaveAsync(IBroker broker, TargetCandidate candidate, JsonObject? raw, string alertId, string alertName,
        long? runId, string? userId, CancellationToken cancellationToken, string? classification = null)
    {
        if (string.IsNullOrWhiteSpace(candidate.Name))
        {
            return new AlertOutcome(alertId, alertName, AlertOutcomeKind.Failed, null, null, "The broker gave this alert no name.");
        }
        if (candidate.Ra is { } ra && (ra < 0 || ra >= 360) || candidate.Dec is { } dec && (dec < -90 || dec > 90))
        {
            return new AlertOutcome(alertId, alertName, AlertOutcomeKind.Failed, null, null, "The broker gave this alert coordinates outside the sky.");
        }

        userId ??= runId is { } id ? await db.QueryRuns.Where(r => r.Id == id).Select(r => r.Query!.OwnerId).FirstOrDefaultAsync(cancellationToken) : null;
        Target? target;
        bool created;
        await _creationLock.WaitAsync(cancellationToken);
        try
        {
            (target, created) = await CreateOrMatchAsync(candidate, broker.Name, alertId, runId, userId, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another process created the same target between our match and our insert: it is a match now.
            db.ChangeTracker.Clear();
            (target, created) = await CreateOrMatchAsync(candidate, broker.Name, alertId, runId, userId, cancellationToken);
        }
        finally
        {
            _creationLock.Release();
        }
        if (target is null)
        {
            return new AlertOutcome(alertId, alertName, AlertOutcomeKind.Failed, null, null, HiddenMatch);
        }
        await stats.SetClassAsync(target.Id, broker.Name, classification, cancellationToken);

        string? warning = null;
        try
        {
            var points = await broker.ProcessReducedDataAsync(alertId, raw, cancellationToken);
            await photometry.MergeAsync(target.Id, broker.Name, alertId, points, cancellationToken);
        }
        catch (Exception e) when (e is BrokerException or DbUpdateException or System.Data.Common.DbException or JsonException or InvalidOperationException or FormatException)
        {
            db.ChangeTracker.Clear();
            warning = $"The target was saved, but its photometry could not be fetched from {broker.Name}: {e.Message}";
            logger.LogWarning("Photometry for target {TargetId} from {Broker} failed: {Reason}", target.Id, broker.Name, e.Message);
        }
        return new AlertOutcome(alertId, alertName, created ? AlertOutcomeKind.Created : AlertOutcomeKind.Matched, target.Id, target.Name,
            created ? null : $"Matched the existing target {target.Name}.", warning);
    }

    /// <summary>The outcome of an alert whose object is a target the creator may not see: nothing is created or changed.</summary>
    public const string HiddenMatch = "This object matches a target you cannot see (it belongs to another group); nothing was created or changed.";

    /// <summary>The new or matched target; null when it matches a target <paramref name="userId"/> may not see (nothing changes then).</summary>
    private async Task<(Target? Target, bool Created)> CreateOrMatchAsync(TargetCandidate candidate, string broker, string alertId,
        long? runId, string? userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var names = new[] { candidate.Name }.Concat(candidate.Aliases).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).Distinct().ToList();
        var known = await NameHitsAsync(names, cancellationToken);
        var match = await FindMatchAsync(names, known, candidate.Ra, candidate.Dec, cancellationToken);
        if (match is not null && userId is not null && !await access.CanChangeAsync(match.Id, userId, cancellationToken))
        {
            db.ChangeTracker.Clear();
            return (null, false);
        }
        var target = match ?? new Target { Name = Truncate(candidate.Name.Trim()), Created = now, Type = candidate.Type };
        if (match is null)
        {
            target.NormalizedName = TargetNames.Normalize(target.Name);
            target.Epoch = candidate.Epoch;
            target.SetPosition(candidate.Ra, candidate.Dec);
            if (candidate.GalacticLng is not null && candidate.GalacticLat is not null)
            {
                (target.GalacticLng, target.GalacticLat) = (candidate.GalacticLng, candidate.GalacticLat);
            }
            db.Targets.Add(target);
            await access.AssignGroupsAsync(target, userId, null, cancellationToken);
        }
        target.Modified = now;

        target.Provenance.Add(new TargetProvenance
        {
            Broker = broker, AlertId = Truncate(alertId), QueryRunId = runId, UserId = userId, At = now,
            Action = match is null ? "created" : "matched",
        });

        // A name any target already carries (in TOM's normalised form) is never added again as an alias.
        var taken = new HashSet<string>(known.Targets.Select(t => t.NormalizedName).Concat(known.Aliases.Select(a => a.NormalizedName)), StringComparer.Ordinal);
        naming.AddAliases(target, names, taken, broker, userId, now);

        // A broker's later value of an extra replaces its earlier one; other sources' values stay beside it.
        var existing = match is null ? [] : await db.TargetExtras.Where(e => e.TargetId == target.Id && e.Source == broker).ToListAsync(cancellationToken);
        foreach (var (key, value) in candidate.Extras)
        {
            var trimmedKey = key.Length > 200 ? key[..200] : key;
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }
            if (existing.FirstOrDefault(e => e.Key == trimmedKey) is { } stored)
            {
                (stored.Value, stored.SetAt) = (value, now);
            }
            else
            {
                target.Extras.Add(new TargetExtra { Key = trimmedKey, Value = value, Source = broker, SetAt = now });
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        // Nothing tracked outlives a creation, so a long batch (a run's worth of alerts) does not slow down as it goes.
        db.ChangeTracker.Clear();
        return (target, match is null);
    }

    /// <summary>Identity matching: exact name or alias, then normalised name or alias, then the nearest target within the match radius.</summary>
    public async Task<Target?> FindMatchAsync(IReadOnlyList<string> names, double? ra, double? dec, CancellationToken cancellationToken) =>
        await FindMatchAsync(names, await NameHitsAsync(names, cancellationToken), ra, dec, cancellationToken);

    private async Task<Target?> FindMatchAsync(IReadOnlyList<string> names, NameHits known, double? ra, double? dec, CancellationToken cancellationToken)
    {
        var targetId = known.Targets.FirstOrDefault(t => names.Contains(t.Name))?.Id
                       ?? known.Aliases.FirstOrDefault(a => names.Contains(a.Name))?.TargetId
                       ?? known.Targets.FirstOrDefault()?.Id
                       ?? known.Aliases.FirstOrDefault()?.TargetId;
        if (targetId is not null)
        {
            return await db.Targets.FirstAsync(t => t.Id == targetId, cancellationToken);
        }
        if (ra is null || dec is null)
        {
            return null;
        }
        var radius = options.Value.MatchRadiusArcsec / 3600;
        var near = await TargetSearch.ConeAsync(db.Targets, ra.Value, dec.Value, radius, cancellationToken);
        return near.Count > 0 ? near[0].Target : null;
    }

    /// <summary>
    /// Every target identity matching could take for these names and position: by name, alias or normalised name (any form
    /// of a TNS designation), and within <paramref name="radiusArcsec"/>; name matches first, then nearest first.
    /// </summary>
    public async Task<IReadOnlyList<TargetMatch>> FindMatchesAsync(IReadOnlyList<string> names, double? ra, double? dec, double radiusArcsec, CancellationToken cancellationToken)
    {
        var known = await NameHitsAsync(names, cancellationToken);
        var ids = known.Targets.Concat(known.Aliases).Select(h => h.TargetId).Distinct().ToList();
        var byName = await db.Targets.AsNoTracking().Where(t => ids.Contains(t.Id)).ToListAsync(cancellationToken);
        var matches = byName.Select(t => new TargetMatch(t.Id, t.Name, Separation(t, ra, dec))).OrderBy(m => m.Id).ToList();
        if (ra is not null && dec is not null)
        {
            var near = await TargetSearch.ConeAsync(db.Targets.AsNoTracking(), ra.Value, dec.Value, radiusArcsec / 3600, cancellationToken);
            matches.AddRange(near.Where(n => !ids.Contains(n.Target.Id)).Select(n => new TargetMatch(n.Target.Id, n.Target.Name, Separation(n.Target, ra, dec))));
        }
        return matches;
    }

    private static double? Separation(Target t, double? ra, double? dec) =>
        t.Ra is { } r && t.Dec is { } d && ra is { } r2 && dec is { } d2 ? Angles.Separation(r, d, r2, d2) * 3600 : null;

    private sealed record NameHit(int Id, int TargetId, string Name, string NormalizedName);

    private sealed record NameHits(IReadOnlyList<NameHit> Targets, IReadOnlyList<NameHit> Aliases);

    /// <summary>Targets and aliases whose normalised name equals one of <paramref name="names"/>' (an exact match is one too).</summary>
    private async Task<NameHits> NameHitsAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        // Every form of a TNS designation too: "AT2023vjq" is the target named "SN 2023vjq".
        var normalized = names.SelectMany(TargetNames.MatchKeys).Distinct().ToList();
        // One statement: both normalised-name index probes in a UNION ALL.
        var hits = await db.Targets.Where(t => normalized.Contains(t.NormalizedName))
            .Select(t => new { IsAlias = false, t.Id, TargetId = t.Id, t.Name, t.NormalizedName })
            .Concat(db.TargetNames.Where(a => normalized.Contains(a.NormalizedName))
                .Select(a => new { IsAlias = true, a.Id, a.TargetId, a.Name, a.NormalizedName }))
            .ToListAsync(cancellationToken);
        return new NameHits(
            [.. hits.Where(h => !h.IsAlias).Select(h => new NameHit(h.Id, h.TargetId, h.Name, h.NormalizedName))],
            [.. hits.Where(h => h.IsAlias).Select(h => new NameHit(h.Id, h.TargetId, h.Name, h.NormalizedName))]);
    }

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100];
}
