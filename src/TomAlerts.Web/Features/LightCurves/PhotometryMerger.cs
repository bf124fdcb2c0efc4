using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.LightCurves;

/// <summary>
/// Merges a broker's light curve into a target. A point is the same point again when it has the same source, band,
/// time (to the millisecond) and is again forced photometry or again not, so fetching the same light curve twice adds
/// nothing, while an LSST visit's detection and its forced flux (same band and time) are both kept. A point another broker already
/// stored for the target with the same survey measurement (<see cref="PhotometryPoint.Survey"/> and
/// <see cref="PhotometryPoint.SourceId"/>, or the same survey, band, time and forced-ness when an id is missing) is not
/// stored twice either: the stored row keeps its first source and lists this
/// broker in <see cref="TomAlerts.Targets.Photometry.OtherSources"/>, so the point reads "ALeRCE, Lasair".
/// </summary>
public sealed class PhotometryMerger(AppDbContext db, TargetStats stats)
{
    private const int OtherSourcesLength = 200;

    /// <summary>Adds the points a target does not have yet from this source; one transaction, idempotent.</summary>
    public async Task<int> MergeAsync(int targetId, string source, string sourceLocation, IReadOnlyList<PhotometryPoint> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
        {
            return 0;
        }
        var added = await MergeManyAsync(source, [new PhotometryBatch(targetId, sourceLocation, points)], single: true, cancellationToken);
        return added;
    }

    /// <summary>
    /// <see cref="MergeAsync"/> for the light curves of many targets from one source: their stored points read in one
    /// statement, the new ones inserted in bulk, the targets' photometry columns refreshed in one statement.
    /// </summary>
    public Task<int> MergeManyAsync(string source, IReadOnlyList<PhotometryBatch> batches, CancellationToken cancellationToken) =>
        MergeManyAsync(source, batches, single: false, cancellationToken);

    private async Task<int> MergeManyAsync(string source, IReadOnlyList<PhotometryBatch> batches, bool single, CancellationToken cancellationToken)
    {
        batches = [.. batches.Where(b => b.Points.Count > 0)];
        if (batches.Count == 0)
        {
            return 0;
        }
        var ids = batches.Select(b => b.TargetId).Distinct().ToList();
        var stored = single
            ? db.Photometry.Where(p => p.TargetId == ids[0] && (p.Source == source || p.Survey != null))
            : db.Photometry.Where(p => EF.Parameter(ids).Contains(p.TargetId) && (p.Source == source || p.Survey != null));
        var existing = (await stored.Select(p => new StoredPoint(p.Id, p.TargetId, p.Source, p.Bandpass, p.Timestamp, p.Kind, p.Survey, p.SourceId, p.OtherSources))
            .ToListAsync(cancellationToken)).ToLookup(p => p.TargetId);
        var rows = new List<TomAlerts.Targets.Photometry>();
        var alsoReported = new Dictionary<long, string?>();
        var changed = new HashSet<int>();
        foreach (var batch in batches)
        {
            var before = rows.Count;
            Collect(batch, source, [.. existing[batch.TargetId]], rows, alsoReported);
            if (rows.Count > before)
            {
                changed.Add(batch.TargetId);
            }
        }
        if (alsoReported.Count == 0)
        {
            await BulkInsert.InsertAsync(db, rows, cancellationToken);
        }
        else
        {
            var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            await using (owned)
            {
                foreach (var group in alsoReported.GroupBy(r => r.Value, r => r.Key))
                {
                    var reported = group.ToList();
                    await db.Photometry.Where(p => reported.Contains(p.Id))
                        .ExecuteUpdateAsync(s => s.SetProperty(p => p.OtherSources, group.Key), cancellationToken);
                }
                await BulkInsert.InsertAsync(db, rows, cancellationToken);
                if (owned is not null)
                {
                    await owned.CommitAsync(cancellationToken);
                }
            }
        }
        // The target's last detection and point count follow its points.
        if (changed.Count == 1)
        {
            await stats.RefreshPhotometryAsync(changed.First(), cancellationToken);
        }
        else
        {
            await stats.RefreshPhotometryAsync(changed, cancellationToken);
        }
        return rows.Count;
    }

    private sealed record StoredPoint(long Id, int TargetId, string Source, string Bandpass, DateTime Timestamp, PhotometryKind Kind, string? Survey, string? SourceId, string? OtherSources);

    /// <summary>The rows of <paramref name="batch"/> its target does not have yet, and the stored points this source reports too.</summary>
    private static void Collect(PhotometryBatch batch, string source, List<StoredPoint> existing, List<TomAlerts.Targets.Photometry> rows, Dictionary<long, string?> alsoReported)
    {
        var (targetId, sourceLocation, points) = (batch.TargetId, batch.SourceLocation, batch.Points);
        var keys = existing.Where(p => p.Source == source).Select(p => (p.Bandpass, ToMilliseconds(p.Timestamp), p.Kind == PhotometryKind.Forced)).ToHashSet();
        var measured = existing.Where(p => p.Survey is not null && p.SourceId is not null)
            .GroupBy(p => (p.Survey!, p.SourceId!)).ToDictionary(g => g.Key, g => g.First());
        // One survey's visit in one band is one point too, for points without a measurement id (Lasair's forced fluxes).
        var visits = existing.Where(p => p.Survey is not null)
            .GroupBy(p => (p.Survey!, p.Bandpass, ToMilliseconds(p.Timestamp), p.Kind == PhotometryKind.Forced)).ToDictionary(g => g.Key, g => g.First());
        foreach (var point in points)
        {
            var timestamp = ToMilliseconds(point.Timestamp);
            var bandpass = point.Bandpass.Length > 50 ? point.Bandpass[..50] : point.Bandpass;
            var survey = Truncate(point.Survey, 16);
            var sourceId = Truncate(point.SourceId, 50);
            var forced = point.Kind == PhotometryKind.Forced;
            if (survey is not null && ((sourceId is not null && measured.TryGetValue((survey, sourceId), out var stored))
                    || visits.TryGetValue((survey, bandpass, timestamp, forced), out stored)) && stored.Source != source)
            {
                var others = alsoReported.TryGetValue(stored.Id, out var pending) ? pending : stored.OtherSources;
                if (!Split(others).Contains(source))
                {
                    alsoReported[stored.Id] = Truncate(others is null ? source : $"{others}, {source}", OtherSourcesLength);
                }
                continue;
            }
            var kind = point.Magnitude is null && point.Kind == PhotometryKind.Detection ? PhotometryKind.Limit : point.Kind;
            var limit = point.Magnitude is null ? point.Limit : null;
            if (!keys.Add((bandpass, timestamp, kind == PhotometryKind.Forced)) || (point.Magnitude is null && limit is null && point.Flux is null))
            {
                continue;
            }
            rows.Add(new TomAlerts.Targets.Photometry
            {
                TargetId = targetId, Source = source, SourceLocation = Truncate(sourceLocation, 100), Timestamp = timestamp,
                Bandpass = bandpass, Magnitude = point.Magnitude, MagnitudeError = point.MagnitudeError, Limit = limit,
                Telescope = point.Telescope, Flux = point.Flux, FluxError = point.FluxError, FluxUnit = Truncate(point.FluxUnit, 50),
                Kind = kind, Survey = survey, SourceId = sourceId,
            });
        }
    }

    private static string[] Split(string? sources) =>
        sources?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>Whole milliseconds: every provider stores that exactly, so a re-fetched point compares equal.</summary>
    private static DateTime ToMilliseconds(DateTime t) =>
        new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}

/// <summary>One target's light curve from a source, for <see cref="PhotometryMerger.MergeManyAsync"/>.</summary>
public sealed record PhotometryBatch(int TargetId, string SourceLocation, IReadOnlyList<PhotometryPoint> Points);
