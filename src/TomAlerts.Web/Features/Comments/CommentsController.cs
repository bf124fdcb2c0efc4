using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Web.Features.Queries;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.Comments;

/// <summary>The comment forms of the target page and of a run's alert panel.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class CommentsController(TargetComments comments, TargetAccess access) : Controller
{
    [HttpPost("targets/{id:int}/comments/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> AddToTarget(int id, string? text, CancellationToken cancellationToken)
    {
        if (await access.FindVisibleAsync(id, User, cancellationToken) is null)
        {
            return this.NotFoundPage($"There is no target {id}.");
        }
        if (!await access.CanChangeAsync(id, User, cancellationToken))
        {
            return this.ProblemPage(StatusCodes.Status403Forbidden, "Not allowed", "You may not comment on this target.", $"/targets/{id}/", "Back to the target");
        }
        if (TargetComments.Check(text) is { } error)
        {
            TempData["Warning"] = error;
            return Redirect($"/targets/{id}/#comments");
        }
        await comments.AddAsync(id, null, null, text!, User, cancellationToken);
        return Redirect($"/targets/{id}/#comments");
    }

    [HttpPost("targets/{id:int}/comments/{commentId:long}/edit/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Edit(int id, long commentId, string? text, CancellationToken cancellationToken)
    {
        var comment = await comments.FindOnTargetAsync(id, commentId, User, cancellationToken);
        if (comment is null)
        {
            return this.NotFoundPage($"There is no comment {commentId} on target {id}.");
        }
        if (!TargetComments.CanChange(comment, User))
        {
            return NotYours($"/targets/{id}/");
        }
        if (TargetComments.Check(text) is { } error)
        {
            TempData["Warning"] = error;
        }
        else
        {
            await comments.EditAsync(comment, text!, cancellationToken);
        }
        return Redirect($"/targets/{id}/#comments");
    }

    [HttpPost("targets/{id:int}/comments/{commentId:long}/delete/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Delete(int id, long commentId, CancellationToken cancellationToken)
    {
        var comment = await comments.FindOnTargetAsync(id, commentId, User, cancellationToken);
        if (comment is null)
        {
            return this.NotFoundPage($"There is no comment {commentId} on target {id}.");
        }
        if (!TargetComments.CanChange(comment, User))
        {
            return NotYours($"/targets/{id}/");
        }
        await comments.DeleteAsync(comment, cancellationToken);
        TempData["Success"] = "The comment was deleted.";
        return Redirect($"/targets/{id}/#comments");
    }

    [HttpPost("alerts/run/{runId:long}/alerts/{alertId}/comments/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> AddToAlert(long runId, string alertId, string? text, string? back, [FromServices] SavedQueries queries, [FromServices] AppDbContext db,
        CancellationToken cancellationToken)
    {
        var run = await queries.FindVisibleRunAsync(runId, User, cancellationToken);
        if (run?.Query is null || !await db.RunAlerts.AnyAsync(a => a.QueryRunId == runId && a.AlertId == alertId, cancellationToken))
        {
            return this.NotFoundPage($"There is no alert {alertId} in run {runId}.");
        }
        if (TargetComments.Check(text) is { } error)
        {
            TempData["Warning"] = error;
        }
        else
        {
            await comments.AddAsync(null, run.Query.Broker, alertId, text!, User, cancellationToken);
            TempData["Success"] = $"Your comment on {alertId} was saved.";
        }
        return Redirect(back is { Length: > 0 } && Url.IsLocalUrl(back) ? back : $"/alerts/run/{runId}/");
    }

    [HttpPost("alerts/run/{runId:long}/alerts/{alertId}/comments/{commentId:long}/delete/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> DeleteOnAlert(long runId, string alertId, long commentId, string? back, [FromServices] SavedQueries queries,
        CancellationToken cancellationToken)
    {
        var run = await queries.FindVisibleRunAsync(runId, User, cancellationToken);
        var comment = run?.Query is null ? null : await comments.FindOnAlertAsync(run.Query.Broker, alertId, commentId, cancellationToken);
        if (comment is null)
        {
            return this.NotFoundPage($"There is no comment {commentId} on alert {alertId}.");
        }
        if (!TargetComments.CanChange(comment, User))
        {
            return NotYours($"/alerts/run/{runId}/");
        }
        await comments.DeleteAsync(comment, cancellationToken);
        TempData["Success"] = "The comment was deleted.";
        return Redirect(back is { Length: > 0 } && Url.IsLocalUrl(back) ? back : $"/alerts/run/{runId}/");
    }

    private ViewResult NotYours(string back) =>
        this.ProblemPage(StatusCodes.Status403Forbidden, "Not allowed", "Only the author of a comment (or an admin) can change or delete it.", back, "Back");
}

/// <summary>The comments block of a target page.</summary>
public sealed class TargetCommentsViewComponent(TargetComments comments) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(int targetId)
    {
        var views = await comments.ForTargetAsync(targetId, UserClaimsPrincipal, HttpContext.RequestAborted) ?? [];
        return View("/Features/Comments/Views/_Comments.cshtml", new CommentsViewModel(views, $"/targets/{targetId}/comments/", null));
    }
}

/// <summary>The comments block of a run's alert panel (comments on the broker's object, from every run listing it).</summary>
public sealed class AlertCommentsViewComponent(TargetComments comments) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long runId, string broker, string alertId)
    {
        var views = await comments.ForAlertAsync(broker, alertId, UserClaimsPrincipal, HttpContext.RequestAborted);
        var action = $"/alerts/run/{runId}/alerts/{Uri.EscapeDataString(alertId)}/comments/";
        return View("/Features/Comments/Views/_Comments.cshtml", new CommentsViewModel(views, action, $"/alerts/run/{runId}/"));
    }
}

/// <summary>Comments and where the form posts; <see cref="Back"/> is the page to return to (the run page for an alert).</summary>
public sealed record CommentsViewModel(IReadOnlyList<CommentView> Comments, string Action, string? Back)
{
    /// <summary>Editing in place is offered on the target page; an alert comment can be deleted and written anew.</summary>
    public bool Editable => Back is null;
}
