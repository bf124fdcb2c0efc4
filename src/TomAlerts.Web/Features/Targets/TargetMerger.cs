using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Targets;

namespace TomAlerts.Web.Features.Targets;

/// <summary>
/// Work another feature does when two targets become one (list memberships, comments, groups …): registered by that
/// feature, run by <see cref="TargetMerger"/> inside the merge's transaction before the merged-away target is deleted.
/// </summary>
public interface ITargetMergeStep
{
    /// <summary>What moves, in a few words for the confirmation ("2 list memberships"); null when nothing does.</summary>
    Task<string?> DescribeAsync(int keptId, int fromId, CancellationToken cancellationToken);

    /// <summary>Moves the step's rows of <paramref name="fromId"/> to <paramref name="keptId"/>; returns a note for the history, or null.</summary>
    Task<string?> MoveAsync(int keptId, int fromId, CancellationToken cancellationToken);
}

/// <summary>What merging <see cref="From"/> into <see cref="Kept"/> moves, for the confirmation page.</summary>
public sealed record MergePreview(Target Kept, Target From, IReadOnlyList<string> Names, IReadOnlyList<TargetExtra> Extras,
    IReadOnlyList<TargetExtra> ConflictingExtras, int PhotometryCount, int DuplicatePoints, int ProvenanceCount, IReadOnlyList<string> Others);

/// <summary>
/// Merges one target into another, in one transaction: the other's name and aliases become aliases (a TNS designation
/// among them renames the kept target, as for any alias), its extras move (the kept target's value wins where both have
/// one from the same source; the other's is written in the history), its photometry moves without the points the kept
/// target has already, its history moves, the steps other features registered run, and the other target is deleted.
/// </summary>
public sealed class TargetMerger(AppDbContext db, TargetNaming naming, TargetStats stats, IEnumerable<ITargetMergeStep> steps, TimeProvider clock)
{
    public const string MergedAction = "merged";

    public async Task<MergePreview> PreviewAsync(int keptId, int fromId, CancellationToken cancellationToken)
    {
        var kept = await LoadAsync(keptId, cancellationToken);
        var from = await LoadAsync(fromId, cancellationToken);
        var (moving, conflicting) = SplitExtras(kept, from);
        var (move, duplicates, _) = await PlanPhotometryAsync(keptId, fromId, cancellationToken);
        var others = new List<string>();
        foreach (var step in steps)
        {
            if (await step.DescribeAsync(keptId, fromId, cancellationToken) is { } description)
            {
                others.Add(description);
            }
        }
        return new MergePreview(kept, from, [from.Name, .. from.Aliases.Select(a => a.Name).Order(StringComparer.Ordinal)], moving, conflicting,
            move.Count, duplicates, await db.TargetProvenance.CountAsync(p => p.TargetId == fromId, cancellationToken), others);
    }

    /// <summary>Merges <paramref name="fromId"/> into <paramref name="keptId"/> (both checked by the caller, and different).</summary>
    public async Task MergeAsync(int keptId, int fromId, string? userId, CancellationToken cancellationToken)
    {
        if (keptId == fromId)
        {
            throw new InvalidOperationException("A target cannot be merged into itself.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var kept = await db.Targets.Include(t => t.Aliases).Include(t => t.Extras).AsSplitQuery().FirstAsync(t => t.Id == keptId, cancellationToken);
        var from = await db.Targets.AsNoTracking().Include(t => t.Aliases).Include(t => t.Extras).AsSplitQuery().FirstAsync(t => t.Id == fromId, cancellationToken);
        var notes = new List<string> { $"Merged {from.Name} (id {from.Id}) into this target." };

        var (moving, conflicting) = SplitExtras(kept, from);
        var movingIds = moving.Select(e => e.Id).ToList();
        await db.TargetExtras.Where(e => movingIds.Contains(e.Id)).ExecuteUpdateAsync(s => s.SetProperty(e => e.TargetId, keptId), cancellationToken);
        if (conflicting.Count > 0)
        {
            notes.Add("Kept this target's extras; the merged target had " + string.Join(", ", conflicting.Select(e => $"{e.Key} = {e.Value} ({SourceName(e.Source)})")) + ".");
        }

        var (move, duplicates, alsoReported) = await PlanPhotometryAsync(keptId, fromId, cancellationToken);
        foreach (var chunk in move.Chunk(500))
        {
            await db.Photometry.Where(p => chunk.Contains(p.Id)).ExecuteUpdateAsync(s => s.SetProperty(p => p.TargetId, keptId), cancellationToken);
        }
        foreach (var (id, others) in alsoReported)
        {
            await db.Photometry.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.OtherSources, others), cancellationToken);
        }
        notes.Add($"{move.Count} photometry points moved" + (duplicates > 0 ? $", {duplicates} already here left out." : "."));

        var history = await db.TargetProvenance.Where(p => p.TargetId == fromId).ExecuteUpdateAsync(s => s.SetProperty(p => p.TargetId, keptId), cancellationToken);
        notes.Add($"{history} history entries moved.");
        foreach (var step in steps)
        {
            if (await step.MoveAsync(keptId, fromId, cancellationToken) is { } note)
            {
                notes.Add(note);
            }
        }

        // The other target goes first, so its names are free to become the kept target's aliases (or its name).
        await db.Targets.Where(t => t.Id == fromId).ExecuteDeleteAsync(cancellationToken);
        var names = new[] { from.Name }.Concat(from.Aliases.OrderBy(a => a.Created).Select(a => a.Name)).ToList();
        var taken = new HashSet<string>(kept.Aliases.Select(a => a.NormalizedName).Append(kept.NormalizedName), StringComparer.Ordinal);
        naming.AddAliases(kept, names, taken, MergedAction, userId, now);
        kept.Modified = now;
        if (kept.Ra is null && from.Ra is not null)
        {
            kept.SetPosition(from.Ra, from.Dec);
        }
        var text = string.Join(" ", notes);
        kept.Provenance.Add(new TargetProvenance
        {
            Broker = TargetEditor.ManualSource, AlertId = from.Name, UserId = userId, At = now, Action = MergedAction,
            Note = text.Length > 2000 ? text[..1999] + "…" : text,
        });
        await db.SaveChangesAsync(cancellationToken);
        await stats.RefreshPhotometryAsync(keptId, cancellationToken); // the list columns: points count, last detection
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private async Task<Target> LoadAsync(int id, CancellationToken cancellationToken) =>
        await db.Targets.AsNoTracking().Include(t => t.Aliases).Include(t => t.Extras).AsSplitQuery().FirstAsync(t => t.Id == id, cancellationToken);

    private static (List<TargetExtra> Moving, List<TargetExtra> Conflicting) SplitExtras(Target kept, Target from)
    {
        var keys = kept.Extras.Select(e => (e.Source, e.Key)).ToHashSet();
        var moving = from.Extras.Where(e => !keys.Contains((e.Source, e.Key))).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var conflicting = from.Extras.Where(e => keys.Contains((e.Source, e.Key)) && kept.Extras.First(k => k.Source == e.Source && k.Key == e.Key).Value != e.Value)
            .OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        return (moving, conflicting);
    }

    /// <summary>
    /// Which of the other target's points move: not those the kept target has under the same unique key (source, band,
    /// time, kind) nor the same survey measurement from another broker (that broker is then listed on the kept point, as
    /// <see cref="LightCurves.PhotometryMerger"/> does).
    /// </summary>
    private async Task<(List<long> Move, int Duplicates, Dictionary<long, string> AlsoReported)> PlanPhotometryAsync(int keptId, int fromId, CancellationToken cancellationToken)
    {
        var kept = await db.Photometry.AsNoTracking().Where(p => p.TargetId == keptId)
            .Select(p => new { p.Id, p.Source, p.Bandpass, p.Timestamp, p.Kind, p.Survey, p.SourceId, p.OtherSources }).ToListAsync(cancellationToken);
        var from = await db.Photometry.AsNoTracking().Where(p => p.TargetId == fromId)
            .Select(p => new { p.Id, p.Source, p.Bandpass, p.Timestamp, p.Kind, p.Survey, p.SourceId, p.OtherSources }).ToListAsync(cancellationToken);
        var keys = kept.Select(p => (p.Source, p.Bandpass, p.Timestamp, p.Kind)).ToHashSet();
        var measured = kept.Where(p => p.Survey is not null && p.SourceId is not null).GroupBy(p => (p.Survey!, p.SourceId!)).ToDictionary(g => g.Key, g => g.First());
        var move = new List<long>();
        var alsoReported = new Dictionary<long, string>();
        var duplicates = 0;
        foreach (var point in from)
        {
            if (point.Survey is not null && point.SourceId is not null && measured.TryGetValue((point.Survey, point.SourceId), out var same))
            {
                var listed = (alsoReported.TryGetValue(same.Id, out var pending) ? pending : same.OtherSources)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
                var all = listed.Concat(new[] { point.Source }.Concat(point.OtherSources?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? []))
                    .Where(s => s != same.Source).Distinct().ToList();
                if (all.Count > 0)
                {
                    var joined = string.Join(", ", all);
                    alsoReported[same.Id] = joined.Length > 200 ? joined[..200] : joined;
                }
                duplicates++;
            }
            else if (keys.Add((point.Source, point.Bandpass, point.Timestamp, point.Kind)))
            {
                move.Add(point.Id);
            }
            else
            {
                duplicates++;
            }
        }
        return (move, duplicates, alsoReported);
    }

    /// <summary>An extra's source as a person reads it.</summary>
    public static string SourceName(string source) =>
        source.Length == 0 ? "source not recorded" : source.StartsWith(TargetExtra.UserSourcePrefix, StringComparison.Ordinal) ? "entered by hand" : source;
}
