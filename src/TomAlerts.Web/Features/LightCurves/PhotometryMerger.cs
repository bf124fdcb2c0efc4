using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;

namespace TomAlerts.Web.Features.LightCurves;

/// <summary>
/// Merges a broker's light curve into a target. A point is the same point again when it has the same source, band
/// and time (to the millisecond), so fetching the same light curve twice adds nothing.
/// </summary>
public sealed class PhotometryMerger(AppDbContext db)
{
    /// <summary>Adds the points a target does not have yet from this source; one transaction, idempotent.</summary>
    public async Task<int> MergeAsync(int targetId, string source, string sourceLocation, IReadOnlyList<PhotometryPoint> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
        {
            return 0;
        }
        var existing = await db.Photometry.Where(p => p.TargetId == targetId && p.Source == source)
            .Select(p => new { p.Bandpass, p.Timestamp }).ToListAsync(cancellationToken);
        var keys = existing.Select(p => (p.Bandpass, ToMilliseconds(p.Timestamp))).ToHashSet();
        var rows = new List<TomAlerts.Targets.Photometry>();
        foreach (var point in points)
        {
            var timestamp = ToMilliseconds(point.Timestamp);
            var bandpass = point.Bandpass.Length > 50 ? point.Bandpass[..50] : point.Bandpass;
            if (!keys.Add((bandpass, timestamp)) || (point.Magnitude is null && point.Limit is null))
            {
                continue;
            }
            rows.Add(new TomAlerts.Targets.Photometry
            {
                TargetId = targetId, Source = source, SourceLocation = Truncate(sourceLocation, 100), Timestamp = timestamp,
                Bandpass = bandpass, Magnitude = point.Magnitude, MagnitudeError = point.MagnitudeError, Limit = point.Magnitude is null ? point.Limit : null,
                Telescope = point.Telescope, Flux = point.Flux, FluxError = point.FluxError, FluxUnit = Truncate(point.FluxUnit, 50),
            });
        }
        await BulkInsert.InsertAsync(db, rows, cancellationToken);
        return rows.Count;
    }

    /// <summary>Whole milliseconds: every provider stores that exactly, so a re-fetched point compares equal.</summary>
    private static DateTime ToMilliseconds(DateTime t) =>
        new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
