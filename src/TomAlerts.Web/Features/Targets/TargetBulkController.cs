using TomAlerts.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Web.Features.Exports;
using TomAlerts.Web.Features.LightCurves;
using TomAlerts.Web.Features.TargetLists;

namespace TomAlerts.Web.Features.Targets;

/// <summary>The target list's bulk actions on the selected rows: add to a list, remove from this list, delete, export, update broker data.</summary>
[Route("targets/bulk")]
public sealed class TargetBulkController(AppDbContext db, TargetAccess access, SavedTargetLists lists) : Controller
{
    [HttpPost("")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Bulk(string? action, [FromForm] int[]? targetIds, int? list, int? fromList, string? back,
        [FromServices] ExportService exports, [FromServices] ReducedDataUpdater updater, CancellationToken cancellationToken)
    {
        var returnTo = LocalOr(back);
        if (targetIds is not { Length: > 0 })
        {
            TempData["Warning"] = "Select at least one target first.";
            return Redirect(returnTo);
        }
        var ids = targetIds.Distinct().ToList();
        switch (action)
        {
            case "add":
                var into = list is { } listId ? await lists.FindVisibleAsync(listId, User, cancellationToken) : null;
                if (into is null || !SavedTargetLists.CanChange(into, User))
                {
                    TempData["Warning"] = "Choose one of your lists to add the targets to.";
                    return Redirect(returnTo);
                }
                var change = await lists.AddAsync(into, ids, User, cancellationToken);
                TempData["Success"] = $"{Targets(change.Added.Count)} added to {into.Name}" + (change.AlreadyIn.Count > 0 ? $"; {change.AlreadyIn.Count} were in it already." : ".");
                return Redirect(returnTo);
            case "remove":
                var from = fromList is { } fromId ? await lists.FindVisibleAsync(fromId, User, cancellationToken) : null;
                if (from is null || !SavedTargetLists.CanChange(from, User))
                {
                    TempData["Warning"] = "Only the owner of a list (or an admin) can take targets out of it.";
                    return Redirect(returnTo);
                }
                var removed = await lists.RemoveAsync(from, ids, User, cancellationToken);
                TempData["Success"] = $"{Targets(removed)} removed from {from.Name}.";
                return Redirect(returnTo);
            case "delete":
                var deletable = new List<int>();
                foreach (var id in ids)
                {
                    if (await access.CanChangeAsync(id, User, cancellationToken))
                    {
                        deletable.Add(id);
                    }
                }
                var deleted = await db.Targets.Where(t => deletable.Contains(t.Id)).ExecuteDeleteAsync(cancellationToken);
                TempData[deleted == ids.Count ? "Success" : "Warning"] = deleted == ids.Count
                    ? $"{Targets(deleted)} deleted."
                    : $"{Targets(deleted)} deleted; {ids.Count - deleted} you may not change were kept.";
                return Redirect(returnTo);
            case "export":
                return exports.Targets(new TargetFilter(null, null, null, null) { Ids = ids }, ExportFormat.Csv, User, "targets-selected");
            case "update":
                var visible = await access.Visible(User).Where(t => ids.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
                var added = 0;
                var errors = new List<string>();
                foreach (var id in visible)
                {
                    var report = await updater.UpdateAsync(id, cancellationToken);
                    added += report.PointsAdded;
                    errors.AddRange(report.Errors);
                }
                var summary = new UpdateReport(visible.Count, added, errors);
                TempData[summary.Failed ? "Warning" : "Success"] = summary.Summary;
                return Redirect(returnTo);
            default:
                TempData["Warning"] = "Choose what to do with the selected targets.";
                return Redirect(returnTo);
        }
    }

    private static string Targets(int n) => Plural.Count(n, "target");

    private string LocalOr(string? back) => back is { Length: > 0 } && Url.IsLocalUrl(back) ? back : "/targets/";
}
