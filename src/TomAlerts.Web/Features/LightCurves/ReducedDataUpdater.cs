using TomAlerts.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;

namespace TomAlerts.Web.Features.LightCurves;

public sealed record UpdateReport(int Targets, int PointsAdded, IReadOnlyList<string> Errors)
{
    public bool Failed => Errors.Count > 0;

    public string Summary => Errors.Count == 0
        ? $"Update completed successfully: {Plural.Count(PointsAdded, "new photometry point")} on {Plural.Count(Targets, "target")}."
        : $"Update completed with errors ({Plural.Count(PointsAdded, "new point")} on {Plural.Count(Targets, "target")}): {string.Join(" ", Errors)}";
}

/// <summary>
/// "Update broker data" (TOM's updatereduceddata): re-fetches photometry from every broker a target has data from,
/// by the broker's own object id. Idempotent: points already stored are not added again.
/// </summary>
public sealed class ReducedDataUpdater(AppDbContext db, BrokerRegistry brokers, PhotometryMerger merger, ILogger<ReducedDataUpdater> logger)
{
    public async Task<UpdateReport> UpdateAsync(int? targetId, CancellationToken cancellationToken)
    {
        var fromPhotometry = db.Photometry.Select(p => new { p.TargetId, Broker = p.Source, ObjectId = p.SourceLocation });
        var fromProvenance = db.TargetProvenance.Select(p => new { p.TargetId, p.Broker, ObjectId = p.AlertId });
        var sources = fromPhotometry.Union(fromProvenance);
        if (targetId is not null)
        {
            sources = sources.Where(s => s.TargetId == targetId);
        }
        var work = await sources.Distinct().ToListAsync(cancellationToken);
        var errors = new List<string>();
        var added = 0;
        foreach (var source in work)
        {
            if (!brokers.TryGet(source.Broker, out var broker) || broker.IsStub)
            {
                continue;
            }
            try
            {
                var points = await broker.ProcessReducedDataAsync(source.ObjectId, null, cancellationToken);
                added += await merger.MergeAsync(source.TargetId, broker.Name, source.ObjectId, points, cancellationToken);
            }
            catch (Exception e) when (e is BrokerException or DbUpdateException or System.Data.Common.DbException)
            {
                db.ChangeTracker.Clear();
                errors.Add($"{broker.Name} ({source.ObjectId}): {e.Message}");
                logger.LogWarning("Updating {ObjectId} from {Broker} failed: {Reason}", source.ObjectId, broker.Name, e.Message);
            }
        }
        return new UpdateReport(work.Select(w => w.TargetId).Distinct().Count(), added, errors);
    }
}
