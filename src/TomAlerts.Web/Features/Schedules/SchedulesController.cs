using Microsoft.AspNetCore.Mvc;
using TomAlerts.Data;
using TomAlerts.Web.Features.Queries;

namespace TomAlerts.Web.Features.Schedules;

/// <summary>Pausing and resuming a saved query's schedule from the query list.</summary>
public sealed class SchedulesController(AppDbContext db, QuerySchedules schedules) : Controller
{
    [HttpPost("alerts/query/{id:int}/schedule/pause/")]
    [ValidateAntiForgeryToken]
    public Task<IActionResult> Pause(int id, CancellationToken cancellationToken) => SetPausedAsync(id, true, cancellationToken);

    [HttpPost("alerts/query/{id:int}/schedule/resume/")]
    [ValidateAntiForgeryToken]
    public Task<IActionResult> Resume(int id, CancellationToken cancellationToken) => SetPausedAsync(id, false, cancellationToken);

    private async Task<IActionResult> SetPausedAsync(int id, bool paused, CancellationToken cancellationToken)
    {
        var query = await db.BrokerQueries.FindAsync([id], cancellationToken);
        if (query is null || !SavedQueries.CanEdit(query, User))
        {
            return this.ProblemPage(StatusCodes.Status404NotFound, "Query not found", $"There is no saved query {id} that you can change.",
                "/alerts/query/list/", "Back to the query list");
        }
        if (!query.IsScheduled)
        {
            TempData["Warning"] = $"The query \"{query.Name}\" has no schedule to {(paused ? "pause" : "resume")}.";
            return Redirect("/alerts/query/list/");
        }
        query.SchedulePaused = paused;
        await db.SaveChangesAsync(cancellationToken);
        await schedules.SyncAsync(query, cancellationToken);
        TempData["Success"] = paused ? $"Paused the schedule of \"{query.Name}\"." : $"Resumed the schedule of \"{query.Name}\".";
        return Redirect("/alerts/query/list/");
    }
}
