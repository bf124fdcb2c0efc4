using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Targets;

namespace TomAlerts.Web.Features.Targets;

/// <summary>
/// Keeps the list page's columns on the target — last detection (magnitude, band, time), number of points and the
/// class with its source — so a sorted list reads an index instead of the photometry. Called wherever points are
/// added or removed and when a broker's class arrives.
/// </summary>
public sealed class TargetStats(AppDbContext db, BrokerRegistry brokers)
{
    /// <summary>Recomputes the photometry columns of one target from its points (two indexed reads, one update).</summary>
    public async Task RefreshPhotometryAsync(int targetId, CancellationToken cancellationToken)
    {
        var points = db.Photometry.Where(p => p.TargetId == targetId);
        var count = await points.CountAsync(cancellationToken);
        var last = await points.Where(p => p.Kind == PhotometryKind.Detection && p.Magnitude != null)
            .OrderByDescending(p => p.Timestamp).ThenByDescending(p => p.Id)
            .Select(p => new { p.Magnitude, p.Bandpass, Timestamp = (DateTime?)p.Timestamp })
            .FirstOrDefaultAsync(cancellationToken);
        await db.Targets.Where(t => t.Id == targetId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.PhotometryCount, count)
            .SetProperty(t => t.LastMagnitude, last == null ? null : last.Magnitude)
            .SetProperty(t => t.LastBand, last == null ? null : last.Bandpass)
            .SetProperty(t => t.LastDetection, last == null ? null : last.Timestamp), cancellationToken);
    }

    /// <summary>Recomputes the photometry columns of many targets in one statement (correlated reads on the TargetId index).</summary>
    public async Task RefreshPhotometryAsync(IReadOnlyCollection<int> targetIds, CancellationToken cancellationToken)
    {
        if (targetIds.Count == 0)
        {
            return;
        }
        var ids = targetIds.Distinct().ToList();
        var photometry = db.Photometry;
        await db.Targets.Where(t => EF.Parameter(ids).Contains(t.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.PhotometryCount, t => photometry.Count(p => p.TargetId == t.Id))
            .SetProperty(t => t.LastMagnitude, t => photometry.Where(p => p.TargetId == t.Id && p.Kind == PhotometryKind.Detection && p.Magnitude != null)
                .OrderByDescending(p => p.Timestamp).ThenByDescending(p => p.Id).Select(p => p.Magnitude).FirstOrDefault())
            .SetProperty(t => t.LastBand, t => photometry.Where(p => p.TargetId == t.Id && p.Kind == PhotometryKind.Detection && p.Magnitude != null)
                .OrderByDescending(p => p.Timestamp).ThenByDescending(p => p.Id).Select(p => p.Bandpass).FirstOrDefault())
            .SetProperty(t => t.LastDetection, t => photometry.Where(p => p.TargetId == t.Id && p.Kind == PhotometryKind.Detection && p.Magnitude != null)
                .OrderByDescending(p => p.Timestamp).ThenByDescending(p => p.Id).Select(p => (DateTime?)p.Timestamp).FirstOrDefault()), cancellationToken);
    }

    /// <summary>
    /// Takes <paramref name="broker"/>'s class for the target unless a class from the naming authority (TNS) is there
    /// already and this broker is not it. A blank class changes nothing.
    /// </summary>
    public Task SetClassAsync(int targetId, string broker, string? className, CancellationToken cancellationToken) =>
        SetClassAsync([targetId], broker, className, cancellationToken);

    /// <summary><see cref="SetClassAsync(int, string, string?, CancellationToken)"/> for many targets given the same class, in one statement.</summary>
    public async Task SetClassAsync(IReadOnlyCollection<int> targetIds, string broker, string? className, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(className) || targetIds.Count == 0)
        {
            return;
        }
        var value = className.Trim();
        value = value.Length > 100 ? value[..100] : value;
        var source = broker.Length > 50 ? broker[..50] : broker;
        var ids = targetIds.Distinct().ToList();
        var query = ids.Count == 1 ? db.Targets.Where(t => t.Id == ids[0]) : db.Targets.Where(t => EF.Parameter(ids).Contains(t.Id));
        var authorities = brokers.NamingAuthorities.ToList();
        if (!authorities.Contains(broker, StringComparer.OrdinalIgnoreCase))
        {
            query = query.Where(t => t.ClassSource == null || !authorities.Contains(t.ClassSource));
        }
        await query.ExecuteUpdateAsync(s => s.SetProperty(t => t.ClassName, value).SetProperty(t => t.ClassSource, source), cancellationToken);
    }
}
