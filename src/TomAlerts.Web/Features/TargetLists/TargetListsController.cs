using Microsoft.AspNetCore.Mvc;
using TomAlerts.Queries;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Exports;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.TargetLists;

[Route("targets/lists")]
public sealed class TargetListsController(SavedTargetLists lists) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(new TargetListsViewModel(await lists.SummariesAsync(User, cancellationToken), null, null, null));

    [HttpPost("")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Create(string? name, string? visibility, CancellationToken cancellationToken)
    {
        var error = SavedTargetLists.CheckName(name);
        var parsed = SavedTargetLists.ParseVisibility(visibility);
        if (error is not null || parsed is null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", new TargetListsViewModel(await lists.SummariesAsync(User, cancellationToken), name, error ?? "Choose shared or private.", visibility));
        }
        var list = await lists.CreateAsync(name!, parsed.Value, User, cancellationToken);
        TempData["Success"] = $"The list {list.Name} was created.";
        return Redirect($"/targets/lists/{list.Id}/");
    }

    [HttpGet("{id:int}/")]
    public async Task<IActionResult> Show(int id, string? sort, string? after, string? before, int page, [FromServices] TargetListPage listPage,
        CancellationToken cancellationToken)
    {
        var list = await lists.FindVisibleAsync(id, User, cancellationToken);
        if (list is null)
        {
            return this.NotFoundPage($"There is no target list {id}.");
        }
        var model = new TargetListViewModel { BasePath = $"/targets/lists/{id}/", List = await lists.SummaryAsync(list, User, cancellationToken) };
        await listPage.FillAsync(model, new TargetFilter(null, null, null, null) { ListId = id }, sort, after, before, Math.Max(1, page), User, cancellationToken);
        return View(model);
    }

    [HttpGet("{id:int}/export")]
    public async Task<IActionResult> Export(int id, string? format, string? sort, [FromServices] ExportService exports, CancellationToken cancellationToken)
    {
        if (!TableExporter.TryParse(format, out var parsed))
        {
            return this.ProblemPage(StatusCodes.Status400BadRequest, "Unknown download format", $"'{format}' is not a download format: use csv, json or votable.");
        }
        var list = await lists.FindVisibleAsync(id, User, cancellationToken);
        return list is null
            ? this.NotFoundPage($"There is no target list {id}.")
            : exports.Targets(new TargetFilter(null, null, null, null) { ListId = id, Sort = TargetSort.Parse(sort) }, parsed, User, $"targetlist-{id}");
    }

    [HttpPost("{id:int}/rename/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Rename(int id, string? name, string? visibility, CancellationToken cancellationToken)
    {
        var (list, refusal) = await ChangeableAsync(id, cancellationToken);
        if (list is null)
        {
            return refusal!;
        }
        var error = SavedTargetLists.CheckName(name);
        if (error is not null)
        {
            TempData["Warning"] = error;
            return Redirect($"/targets/lists/{id}/");
        }
        await lists.UpdateAsync(list, name, string.IsNullOrWhiteSpace(visibility) ? null : SavedTargetLists.ParseVisibility(visibility), cancellationToken);
        TempData["Success"] = $"The list is now called {list.Name}.";
        return Redirect($"/targets/lists/{id}/");
    }

    [HttpPost("{id:int}/delete/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken)
    {
        var (list, refusal) = await ChangeableAsync(id, cancellationToken);
        if (list is null)
        {
            return refusal!;
        }
        await lists.DeleteAsync(list, cancellationToken);
        TempData["Success"] = $"The list {list.Name} was deleted; its targets were kept.";
        return Redirect("/targets/lists/");
    }

    /// <summary>The target page's "add to list" (and any form posting target ids to a list).</summary>
    [HttpPost("{id:int}/targets/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Add(int id, [FromForm] int[]? targetIds, string? back, CancellationToken cancellationToken)
    {
        var (list, refusal) = await ChangeableAsync(id, cancellationToken);
        if (list is null)
        {
            return refusal!;
        }
        var change = await lists.AddAsync(list, targetIds ?? [], User, cancellationToken);
        TempData[change.NotFound.Count > 0 ? "Warning" : "Success"] = change.NotFound.Count > 0
            ? $"There is no target {string.Join(", ", change.NotFound)} that you can see."
            : change.Added.Count > 0 ? $"Added to {list.Name}." : $"Already in {list.Name}.";
        return Redirect(back is { Length: > 0 } && Url.IsLocalUrl(back) ? back : $"/targets/lists/{id}/");
    }

    private async Task<(TargetList? List, IActionResult? Refusal)> ChangeableAsync(int id, CancellationToken cancellationToken)
    {
        var list = await lists.FindVisibleAsync(id, User, cancellationToken);
        if (list is null)
        {
            return (null, this.NotFoundPage($"There is no target list {id}."));
        }
        return SavedTargetLists.CanChange(list, User)
            ? (list, null)
            : (null, this.ProblemPage(StatusCodes.Status403Forbidden, "Not allowed", "Only the owner of this list (or an admin) can change it.", $"/targets/lists/{id}/", "Back to the list"));
    }
}

public sealed record TargetListsViewModel(IReadOnlyList<TargetListSummary> Lists, string? Name, string? NameError, string? Visibility)
{
    public static string VisibilityName(QueryVisibility visibility) => visibility == QueryVisibility.Private ? "private" : "shared";
}
