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

/// <summary>An alert ready to become a target: the broker's reading of it and the alert itself.</summary>
public sealed record AlertTarget(TargetCandidate Candidate, JsonObject? Raw, string AlertId, string AlertName, string? Classification = null);

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
        var wanted = alertIds.Distinct(StringComparer.Ordinal).ToList();
        var stored = (await db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == runId && EF.Parameter(wanted).Contains(a.AlertId)).ToListAsync(cancellationToken))
            .DistinctBy(a => a.AlertId).ToDictionary(a => a.AlertId, StringComparer.Ordinal);
        var alerts = new List<RunAlert>();
        var slots = new List<int>();
        foreach (var alertId in wanted)
        {
            if (stored.TryGetValue(alertId, out var alert))
            {
                slots.Add(outcomes.Count);
                alerts.Add(alert);
            }
            outcomes.Add(new AlertOutcome(alertId, alertId, AlertOutcomeKind.Failed, null, null, "This alert is not part of the run."));
        }
        var saved = await CreateManyAsync(broker, alerts, runId, userId, cancellationToken);
        for (var i = 0; i < slots.Count; i++)
        {
            outcomes[slots[i]] = saved[i];
        }
        return outcomes;
    }

    /// <summary>Creates or matches the targets of stored alerts of one broker (a page of a run), as one batch.</summary>
    public async Task<IReadOnlyList<AlertOutcome>> CreateManyAsync(IBroker broker, IReadOnlyList<RunAlert> alerts, long? runId, string? userId, CancellationToken cancellationToken)
    {
        var outcomes = new AlertOutcome[alerts.Count];
        var prepared = new List<AlertTarget>();
        var slots = new List<int>();
        for (var i = 0; i < alerts.Count; i++)
        {
            var (ready, failure) = await PrepareAsync(broker, alerts[i], cancellationToken);
            if (ready is null)
            {
                outcomes[i] = failure!;
                continue;
            }
            slots.Add(i);
            prepared.Add(ready);
        }
        var saved = prepared.Count == 0 ? [] : await SaveManyAsync(broker, prepared, runId, userId, cancellationToken);
        for (var i = 0; i < slots.Count; i++)
        {
            outcomes[slots[i]] = saved[i];
        }
        return outcomes;
    }

    /// <summary>Creates or matches the target of one stored alert, then merges its photometry.</summary>
    public async Task<AlertOutcome> CreateAsync(IBroker broker, RunAlert stored, long? runId, string? userId, CancellationToken cancellationToken) =>
        (await CreateManyAsync(broker, [stored], runId, userId, cancellationToken))[0];

    /// <summary>The stored alert read as the broker's target candidate, or the reason it cannot be (a failed outcome).</summary>
    private async Task<(AlertTarget? Ready, AlertOutcome? Failure)> PrepareAsync(IBroker broker, RunAlert stored, CancellationToken cancellationToken)
    {
        JsonObject raw;
        try
        {
            raw = JsonNode.Parse(stored.Payload) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            return (null, new AlertOutcome(stored.AlertId, stored.Name, AlertOutcomeKind.Failed, null, null, $"The alert could not be read as a target: {e.Message}"));
        }
        raw = await FullAlertAsync(broker, raw, stored.AlertId, cancellationToken);
        try
        {
            return (new AlertTarget(broker.ToTarget(raw), raw, stored.AlertId, stored.Name, stored.Classification), null);
        }
        catch (Exception e) when (e is BrokerException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return (null, new AlertOutcome(stored.AlertId, stored.Name, AlertOutcomeKind.Failed, null, null, $"The alert could not be read as a target: {e.Message}"));
        }
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
        long? runId, string? userId, CancellationToken cancellationToken, string? classification = null) =>
        (await SaveManyAsync(broker, [new AlertTarget(candidate, raw, alertId, alertName, classification)], runId, userId, cancellationToken))[0];

    /// <summary>
    /// Creates or matches the targets of many alerts of one broker, in order, as the one-at-a-time path would: the
    /// batch's names and aliases are matched in one statement and its positions in another, alerts of one object within
    /// the batch share one target, and the new targets, aliases and provenance are stored in one transaction; then the
    /// classes and photometry of all of them in bulk. One outcome per alert, in the same order.
    /// </summary>
    public async Task<IReadOnlyList<AlertOutcome>> SaveManyAsync(IBroker broker, IReadOnlyList<AlertTarget> alerts, long? runId, string? userId, CancellationToken cancellationToken)
    {
        var outcomes = new AlertOutcome?[alerts.Count];
        var valid = new List<int>();
        for (var i = 0; i < alerts.Count; i++)
        {
            var (candidate, alertId, alertName) = (alerts[i].Candidate, alerts[i].AlertId, alerts[i].AlertName);
            if (string.IsNullOrWhiteSpace(candidate.Name))
            {
                outcomes[i] = new AlertOutcome(alertId, alertName, AlertOutcomeKind.Failed, null, null, "The broker gave this alert no name.");
            }
            else if (candidate.Ra is { } ra && (ra < 0 || ra >= 360) || candidate.Dec is { } dec && (dec < -90 || dec > 90))
            {
                outcomes[i] = new AlertOutcome(alertId, alertName, AlertOutcomeKind.Failed, null, null, "The broker gave this alert coordinates outside the sky.");
            }
            else
            {
                valid.Add(i);
            }
        }
        if (valid.Count == 0)
        {
            return outcomes!;
        }

        userId ??= runId is { } id ? await db.QueryRuns.Where(r => r.Id == id).Select(r => r.Query!.OwnerId).FirstOrDefaultAsync(cancellationToken) : null;
        var items = valid.Select(i => alerts[i]).ToList();
        IReadOnlyList<(Target? Target, bool Created)> resolved;
        await _creationLock.WaitAsync(cancellationToken);
        try
        {
            resolved = await CreateOrMatchAsync(items, broker.Name, runId, userId, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another process created one of these targets between our match and our insert: it is a match now.
            db.ChangeTracker.Clear();
            resolved = await CreateOrMatchAsync(items, broker.Name, runId, userId, cancellationToken);
        }
        finally
        {
            _creationLock.Release();
        }

        foreach (var byClass in items.Select((item, k) => (item.Classification, resolved[k].Target)).Where(r => r.Target is not null && !string.IsNullOrWhiteSpace(r.Classification))
                     .GroupBy(r => r.Classification!.Trim(), StringComparer.Ordinal))
        {
            await stats.SetClassAsync([.. byClass.Select(r => r.Target!.Id)], broker.Name, byClass.Key, cancellationToken);
        }

        var warnings = new string?[items.Count];
        var curves = new List<PhotometryBatch>();
        var withCurves = new List<int>();
        for (var k = 0; k < items.Count; k++)
        {
            if (resolved[k].Target is not { } target)
            {
                continue;
            }
            try
            {
                curves.Add(new PhotometryBatch(target.Id, items[k].AlertId, await broker.ProcessReducedDataAsync(items[k].AlertId, items[k].Raw, cancellationToken)));
                withCurves.Add(k);
            }
            catch (Exception e) when (IsPhotometryFailure(e))
            {
                warnings[k] = PhotometryWarning(broker, target, e);
            }
        }
        try
        {
            await photometry.MergeManyAsync(broker.Name, curves, cancellationToken);
        }
        catch (Exception e) when (IsPhotometryFailure(e))
        {
            db.ChangeTracker.Clear();
            foreach (var k in withCurves)
            {
                warnings[k] = PhotometryWarning(broker, resolved[k].Target!, e);
            }
        }

        for (var k = 0; k < items.Count; k++)
        {
            var (alertId, alertName) = (items[k].AlertId, items[k].AlertName);
            var (target, created) = resolved[k];
            outcomes[valid[k]] = target is null
                ? new AlertOutcome(alertId, alertName, AlertOutcomeKind.Failed, null, null, HiddenMatch)
                : new AlertOutcome(alertId, alertName, created ? AlertOutcomeKind.Created : AlertOutcomeKind.Matched, target.Id, target.Name,
                    created ? null : $"Matched the existing target {target.Name}.", warnings[k]);
        }
        return outcomes!;
    }

    private static bool IsPhotometryFailure(Exception e) =>
        e is BrokerException or DbUpdateException or System.Data.Common.DbException or JsonException or InvalidOperationException or FormatException;

    private string PhotometryWarning(IBroker broker, Target target, Exception e)
    {
        logger.LogWarning("Photometry for target {TargetId} from {Broker} failed: {Reason}", target.Id, broker.Name, e.Message);
        return $"The target was saved, but its photometry could not be fetched from {broker.Name}: {e.Message}";
    }

    /// <summary>The outcome of an alert whose object is a target the creator may not see: nothing is created or changed.</summary>
    public const string HiddenMatch = "This object matches a target you cannot see (it belongs to another group); nothing was created or changed.";

    /// <summary>Where an alert of the batch goes: an existing target, or a target new in this batch.</summary>
    private sealed class Destination
    {
        public int? ExistingId { get; init; }

        public Target? New { get; init; }

        public double? Ra { get; init; }

        public double? Dec { get; init; }
    }

    /// <summary>
    /// The new or matched target of each alert, in order; null for an alert matching a target <paramref name="userId"/>
    /// may not see (nothing changes for it). One statement for the names, one for the positions, one SaveChanges.
    /// </summary>
    private async Task<IReadOnlyList<(Target? Target, bool Created)>> CreateOrMatchAsync(IReadOnlyList<AlertTarget> items, string broker,
        long? runId, string? userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var namesOf = items.Select(item => new[] { item.Candidate.Name }.Concat(item.Candidate.Aliases)
            .Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).Distinct().ToList()).ToList();
        var known = await NameHitsAsync([.. namesOf.SelectMany(n => n).Distinct()], cancellationToken);
        var targetHits = known.Targets.ToLookup(h => h.NormalizedName, StringComparer.Ordinal);
        var aliasHits = known.Aliases.ToLookup(h => h.NormalizedName, StringComparer.Ordinal);
        var keysOf = namesOf.Select(names => names.SelectMany(TargetNames.MatchKeys).Distinct(StringComparer.Ordinal).ToList()).ToList();

        var radius = options.Value.MatchRadiusArcsec / 3600;
        var needCone = Enumerable.Range(0, items.Count)
            .Where(k => items[k].Candidate is { Ra: not null, Dec: not null } && !keysOf[k].Any(key => targetHits.Contains(key) || aliasHits.Contains(key))).ToList();
        var near = (await TargetSearch.ConeCandidatesAsync(db, [.. needCone.Select(k => (items[k].Candidate.Ra!.Value, items[k].Candidate.Dec!.Value))], radius, cancellationToken))
            .ToLookup(c => needCone[c.Item]);

        // Matching, alert by alert: what an earlier alert of the batch created or matched is known to the later ones.
        var byName = new Dictionary<string, Destination>(StringComparer.Ordinal);
        var created = new List<Destination>();
        var destinations = new Destination?[items.Count];
        var existing = new Dictionary<int, Destination>();
        for (var k = 0; k < items.Count; k++)
        {
            var (names, keys, candidate) = (namesOf[k], keysOf[k], items[k].Candidate);
            var tHits = keys.SelectMany(key => targetHits[key]).ToList();
            var aHits = keys.SelectMany(key => aliasHits[key]).ToList();
            var targetId = tHits.FirstOrDefault(t => names.Contains(t.Name))?.TargetId
                           ?? aHits.FirstOrDefault(a => names.Contains(a.Name))?.TargetId
                           ?? tHits.FirstOrDefault()?.TargetId
                           ?? aHits.FirstOrDefault()?.TargetId;
            var destination = targetId is { } hit ? Existing(hit)
                : keys.Select(key => byName.GetValueOrDefault(key)).FirstOrDefault(d => d is not null)
                  ?? Nearest(k, candidate);
            if (destination is null)
            {
                var target = new Target { Name = Truncate(candidate.Name.Trim()), Created = now, Type = candidate.Type };
                target.NormalizedName = TargetNames.Normalize(target.Name);
                target.Epoch = candidate.Epoch;
                target.SetPosition(candidate.Ra, candidate.Dec);
                if (candidate.GalacticLng is not null && candidate.GalacticLat is not null)
                {
                    (target.GalacticLng, target.GalacticLat) = (candidate.GalacticLng, candidate.GalacticLat);
                }
                destination = new Destination { New = target, Ra = target.Ra, Dec = target.Dec };
                created.Add(destination);
            }
            destinations[k] = destination;
            foreach (var name in names)
            {
                byName.TryAdd(TargetNames.Normalize(name), destination);
            }
        }

        var ids = existing.Keys.ToList();
        var tracked = ids.Count == 0 ? [] : await db.Targets.Where(t => EF.Parameter(ids).Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        var changeable = userId is null ? null : await access.ChangeableAmongAsync(ids, userId, cancellationToken);
        // Loaded tracked, so each matched target's Extras holds its values from this broker.
        if (ids.Count > 0)
        {
            await db.TargetExtras.Where(e => EF.Parameter(ids).Contains(e.TargetId) && e.Source == broker).LoadAsync(cancellationToken);
        }
        var groups = created.Count == 0 ? [] : await access.DefaultGroupsAsync(userId, cancellationToken);

        // A name any target already carries (in TOM's normalised form) is never added again as an alias.
        var taken = new HashSet<string>(known.Targets.Select(t => t.NormalizedName).Concat(known.Aliases.Select(a => a.NormalizedName)), StringComparer.Ordinal);
        var added = new HashSet<Target>(ReferenceEqualityComparer.Instance);
        var results = new (Target? Target, bool Created)[items.Count];
        for (var k = 0; k < items.Count; k++)
        {
            var destination = destinations[k]!;
            var isNew = destination.New is not null && added.Add(destination.New);
            if (destination.ExistingId is { } id && (!tracked.ContainsKey(id) || changeable?.Contains(id) == false))
            {
                results[k] = (null, false);
                continue;
            }
            var target = destination.New ?? tracked[destination.ExistingId!.Value];
            if (isNew)
            {
                db.Targets.Add(target);
                access.AssignGroups(target, groups);
            }
            target.Modified = now;
            target.Provenance.Add(new TargetProvenance
            {
                Broker = broker, AlertId = Truncate(items[k].AlertId), QueryRunId = runId, UserId = userId, At = now,
                Action = isNew ? "created" : "matched",
            });
            naming.AddAliases(target, namesOf[k], taken, broker, userId, now);

            // A broker's later value of an extra replaces its earlier one; other sources' values stay beside it.
            foreach (var (key, value) in items[k].Candidate.Extras)
            {
                var trimmedKey = key.Length > 200 ? key[..200] : key;
                if (string.IsNullOrEmpty(value))
                {
                    continue;
                }
                if (target.Extras.FirstOrDefault(e => e.Source == broker && e.Key == trimmedKey) is { } stored)
                {
                    (stored.Value, stored.SetAt) = (value, now);
                }
                else
                {
                    target.Extras.Add(new TargetExtra { Key = trimmedKey, Value = value, Source = broker, SetAt = now });
                }
            }
            results[k] = (target, isNew);
        }
        await db.SaveChangesAsync(cancellationToken);
        // Nothing tracked outlives a creation, so a long batch (a run's worth of alerts) does not slow down as it goes.
        db.ChangeTracker.Clear();
        return results;

        Destination Existing(int id)
        {
            if (!existing.TryGetValue(id, out var destination))
            {
                existing[id] = destination = new Destination { ExistingId = id };
            }
            return destination;
        }

        // The nearest target within the match radius: a stored one, or one this batch creates.
        Destination? Nearest(int k, TargetCandidate candidate)
        {
            if (candidate.Ra is not { } ra || candidate.Dec is not { } dec)
            {
                return null;
            }
            var stored = near[k].Select(c => (Separation: Angles.Separation(ra, dec, c.Ra, c.Dec), Destination: (Func<Destination>)(() => Existing(c.Id))));
            var fresh = created.Where(d => d.Ra is not null && d.Dec is not null && Math.Abs(d.Dec.Value - dec) <= radius)
                .Select(d => (Separation: Angles.Separation(ra, dec, d.Ra!.Value, d.Dec!.Value), Destination: (Func<Destination>)(() => d)));
            var best = stored.Concat(fresh).Where(c => c.Separation <= radius).OrderBy(c => c.Separation).FirstOrDefault();
            return best.Destination?.Invoke();
        }
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
        var near = await TargetSearch.ConeAsync(db, ra.Value, dec.Value, radius, cancellationToken);
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
            var near = await TargetSearch.ConeAsync(db, ra.Value, dec.Value, radiusArcsec / 3600, cancellationToken);
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
        var hits = await db.Targets.Where(t => EF.Parameter(normalized).Contains(t.NormalizedName))
            .Select(t => new { IsAlias = false, t.Id, TargetId = t.Id, t.Name, t.NormalizedName })
            .Concat(db.TargetNames.Where(a => EF.Parameter(normalized).Contains(a.NormalizedName))
                .Select(a => new { IsAlias = true, a.Id, a.TargetId, a.Name, a.NormalizedName }))
            .ToListAsync(cancellationToken);
        return new NameHits(
            [.. hits.Where(h => !h.IsAlias).Select(h => new NameHit(h.Id, h.TargetId, h.Name, h.NormalizedName))],
            [.. hits.Where(h => h.IsAlias).Select(h => new NameHit(h.Id, h.TargetId, h.Name, h.NormalizedName))]);
    }

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100];
}
