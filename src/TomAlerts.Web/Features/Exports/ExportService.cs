using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Queries;
using TomAlerts.Web.Features.Runs;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.Exports;

/// <summary>
/// The downloads of the pages and the API, one implementation: a run's alerts, the target list with its filter and a
/// target's photometry. Rows are read from the database a chunk at a time while the response is written.
/// </summary>
public sealed class ExportService(AppDbContext db, SavedQueries savedQueries, TargetQueries targets, TargetAccess access, TriageDecisions decisions)
{
    private const int Chunk = 1000;

    /// <summary>The run's alerts in the broker's order; null when the user cannot see the run.</summary>
    public async Task<IActionResult?> RunAlertsAsync(long runId, ExportFormat format, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var run = await savedQueries.FindVisibleRunAsync(runId, user, cancellationToken);
        return run is null ? null : new ExportResult<ExportedAlert>($"run-{run.Id}-alerts", format, ExportTables.RunAlerts(run), ct => RunAlertRowsAsync(run.Id, run.Query!.Broker, ct));
    }

    /// <summary>The target list with its filter (a target list's own, a selection), in its order, as <paramref name="user"/> sees it.</summary>
    public IActionResult Targets(TargetFilter filter, ExportFormat format, ClaimsPrincipal user, string fileStem = "targets") =>
        new ExportResult<TargetRow>(fileStem, format, ExportTables.Targets, ct => targets.AllAsync(filter, user, ct));

    /// <summary>The target's light curve in time order; null when there is no such target that <paramref name="user"/> may see.</summary>
    public async Task<IActionResult?> PhotometryAsync(int targetId, ExportFormat format, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var target = await access.Visible(user).AsNoTracking().FirstOrDefaultAsync(t => t.Id == targetId, cancellationToken);
        return target is null ? null : new ExportResult<Photometry>($"target-{target.Id}-photometry", format, ExportTables.Photometry(target), ct => PhotometryRowsAsync(target.Id, ct));
    }

    private async IAsyncEnumerable<ExportedAlert> RunAlertRowsAsync(long runId, string broker, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = -1;
        while (true)
        {
            // Everything but the raw payload, which can be large and is not exported.
            var chunk = await db.RunAlerts.AsNoTracking()
                .Where(a => a.QueryRunId == runId && a.Position > after)
                .OrderBy(a => a.Position)
                .Take(Chunk)
                .Select(a => new RunAlert
                {
                    Position = a.Position, AlertId = a.AlertId, Name = a.Name, Ra = a.Ra, Dec = a.Dec, Mag = a.Mag, Score = a.Score,
                    Timestamp = a.Timestamp, Url = a.Url, Classification = a.Classification, IsNew = a.IsNew, Payload = "",
                })
                .ToListAsync(cancellationToken);
            var decided = await decisions.ForAsync(broker, [.. chunk.Select(a => a.AlertId)], cancellationToken);
            foreach (var alert in chunk)
            {
                yield return new ExportedAlert(alert, decided.GetValueOrDefault(alert.AlertId));
            }
            if (chunk.Count < Chunk)
            {
                yield break;
            }
            after = chunk[^1].Position;
        }
    }

    private async IAsyncEnumerable<Photometry> PhotometryRowsAsync(int targetId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        (DateTime Timestamp, long Id)? last = null;
        while (true)
        {
            var points = db.Photometry.AsNoTracking().Where(p => p.TargetId == targetId);
            if (last is { } after)
            {
                points = points.Where(p => p.Timestamp > after.Timestamp || (p.Timestamp == after.Timestamp && p.Id > after.Id));
            }
            var chunk = await points.OrderBy(p => p.Timestamp).ThenBy(p => p.Id).Take(Chunk).ToListAsync(cancellationToken);
            foreach (var point in chunk)
            {
                yield return point;
            }
            if (chunk.Count < Chunk)
            {
                yield break;
            }
            last = (chunk[^1].Timestamp, chunk[^1].Id);
        }
    }
}

/// <summary>A download: headers first, then the table streamed into the response as its rows are read.</summary>
public sealed class ExportResult<T>(string fileStem, ExportFormat format, ExportTable<T> table, Func<CancellationToken, IAsyncEnumerable<T>> rows) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = TableExporter.ContentType(format);
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
        {
            FileName = $"{fileStem}.{TableExporter.Extension(format)}",
        }.ToString();
        http.Response.Headers.CacheControl = "no-store";
        await TableExporter.WriteAsync(http.Response.Body, format, table, rows(http.RequestAborted), http.RequestAborted);
    }
}
