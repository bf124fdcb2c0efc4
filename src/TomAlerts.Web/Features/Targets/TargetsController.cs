using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Sky;
using TomAlerts.Targets;
using TomAlerts.Web.Features.LightCurves;
using TomAlerts.Web.Features.TargetLists;
using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Web.Features.Targets;

[Route("targets")]
public sealed class TargetsController(AppDbContext db, TargetListPage listPage, TargetAccess access) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> List(string? name, string? ra, string? dec, string? radius, string? sort, string? after, string? before, int page = 1,
        CancellationToken cancellationToken = default)
    {
        var model = new TargetListViewModel { Name = name, RaText = ra, DecText = dec, RadiusText = radius ?? TargetFilter.DefaultRadiusArcsec };
        if (!await listPage.FillAsync(model, new TargetFilter(name, ra, dec, model.RadiusText), sort, after, before, page, User, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        return View(model);
    }

    [HttpGet("{id:int}/")]
    public async Task<IActionResult> Detail(int id, CancellationToken cancellationToken)
    {
        var target = await access.Visible(User).AsNoTracking().AsSplitQuery()
            .Include(t => t.Aliases).Include(t => t.Extras).Include(t => t.Provenance)
            .FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (target is null)
        {
            return this.NotFoundPage($"There is no target {id}.");
        }
        var points = await db.Photometry.CountAsync(p => p.TargetId == id, cancellationToken);
        var groups = (await access.GroupsOfAsync([id], cancellationToken))[id];
        var givable = await access.GivableGroupsAsync(User, cancellationToken);
        return View(new TargetDetailViewModel(target, points) { Groups = groups, GivableGroups = givable });
    }

    /// <summary>
    /// The target's light curve as the plot script reads it (<see cref="LightCurvePlot"/>): the target page asks for it
    /// once it is shown, and the JSON is written to the response as it is made.
    /// </summary>
    [HttpGet("{id:int}/lightcurve/")]
    public async Task<IActionResult> LightCurve(int id, CancellationToken cancellationToken)
    {
        if (!await access.Visible(User).AnyAsync(t => t.Id == id, cancellationToken))
        {
            return this.NotFoundPage($"There is no target {id}.");
        }
        var points = await db.Photometry.AsNoTracking().Where(p => p.TargetId == id).OrderBy(p => p.Timestamp).Select(LightCurvePlot.Columns).ToListAsync(cancellationToken);
        Response.ContentType = "application/json; charset=utf-8";
        await using (var json = new System.Text.Json.Utf8JsonWriter(Response.BodyWriter))
        {
            LightCurvePlot.Write(json, points);
        }
        await Response.BodyWriter.FlushAsync(cancellationToken);
        return new EmptyResult();
    }

    /// <summary>
    /// Every point of the target's light curve as a table: a page of its own, or (<paramref name="partial"/>) the table
    /// alone, which the target page reads when its photometry table is opened.
    /// </summary>
    [HttpGet("{id:int}/photometry/")]
    public async Task<IActionResult> Photometry(int id, string? partial, CancellationToken cancellationToken)
    {
        var target = await access.Visible(User).AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (target is null)
        {
            return this.NotFoundPage($"There is no target {id}.");
        }
        var points = await PointsAsync(id, cancellationToken);
        return partial is "1" or "true" ? PartialView("_PhotometryTable", points) : View(new TargetPhotometryViewModel(target, points));
    }

    /// <summary>The target's light curve, oldest point first, for its table.</summary>
    private async Task<List<Photometry>> PointsAsync(int id, CancellationToken cancellationToken) =>
        await db.Photometry.AsNoTracking().Where(p => p.TargetId == id).OrderBy(p => p.Timestamp).ToListAsync(cancellationToken);

    /// <summary>Which of the groups the user may give the target is in (the target page's groups form).</summary>
    [HttpPost("{id:int}/groups/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> SetGroups(int id, int[]? groups, CancellationToken cancellationToken)
    {
        if (!await access.CanChangeAsync(id, User, cancellationToken))
        {
            return this.NotFoundPage($"There is no target {id}.");
        }
        var refused = await access.SetGroupsAsync(id, groups ?? [], User, cancellationToken);
        if (refused is not null)
        {
            TempData["Warning"] = refused;
        }
        else
        {
            TempData["Success"] = "The target's groups were saved.";
        }
        // The user may have taken the target out of all their groups: then it is gone for them.
        return Redirect(await access.CanChangeAsync(id, User, cancellationToken) ? $"/targets/{id}/" : "/targets/");
    }

    [HttpGet("{id:int}/delete/")]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken)
    {
        var target = await access.FindVisibleAsync(id, User, cancellationToken);
        return target is null ? this.NotFoundPage($"There is no target {id}.") : View(target);
    }

    [HttpPost("{id:int}/delete/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> DeletePost(int id, CancellationToken cancellationToken)
    {
        var deleted = await access.Changeable(User).Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return this.NotFoundPage($"There is no target {id}.");
        }
        TempData["Success"] = "The target was deleted.";
        return Redirect("/targets/");
    }

    [HttpPost("{id:int}/update-data/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> UpdateData(int id, [FromServices] ReducedDataUpdater updater, CancellationToken cancellationToken)
    {
        if (!await access.CanChangeAsync(id, User, cancellationToken))
        {
            return this.NotFoundPage($"There is no target {id}.");
        }
        var report = await updater.UpdateAsync(id, cancellationToken);
        TempData[report.Failed ? "Warning" : "Success"] = report.Summary;
        return Redirect($"/targets/{id}/");
    }
}

public sealed record TargetRow(Target Target, double? SeparationArcsec);

public sealed class TargetListViewModel
{
    /// <summary>The page the list is on: the target list, or a target list's own page.</summary>
    public string BasePath { get; init; } = "/targets/";
    /// <summary>The target list shown (its own page); null on the target list.</summary>
    public TargetListSummary? List { get; init; }
    public string? Name { get; init; }
    public string? RaText { get; init; }
    public string? DecText { get; init; }
    public string? RadiusText { get; init; }
    public TargetSort Sort { get; set; } = TargetSort.Default;
    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<TargetRow> Rows { get; set; } = [];
    public Paging Paging { get; set; } = new(1, 1, 0);
    /// <summary>The sorted list pages by cursor (keyset); a cone search pages by number.</summary>
    public bool Keyset { get; set; }
    public bool HasPrevious { get; set; }
    public bool HasNext { get; set; }
    /// <summary>The lists each row's target is in (those the reader sees).</summary>
    public IReadOnlyDictionary<int, List<TargetList>> Lists { get; set; } = new Dictionary<int, List<TargetList>>();
    /// <summary>The lists the reader may put targets in.</summary>
    public IReadOnlyList<TargetList> ChangeableLists { get; set; } = [];

    private string Filter => $"{BasePath}?name={Uri.EscapeDataString(Name ?? "")}&ra={Uri.EscapeDataString(RaText ?? "")}&dec={Uri.EscapeDataString(DecText ?? "")}&radius={Uri.EscapeDataString(RadiusText ?? "")}";

    private string Sorted => $"{Filter}&sort={Uri.EscapeDataString(Sort.ToString())}";

    /// <summary>This page sorted by <paramref name="column"/>: ascending first, the other way when it is sorted so already.</summary>
    public string SortUrl(string column) =>
        $"{Filter}&sort={Uri.EscapeDataString(new TargetSort(column, Sort.Column == column && !Sort.Descending).ToString())}";

    /// <summary>"ascending", "descending" or "none", for the column headers' aria-sort.</summary>
    public string AriaSort(string column) => Sort.Column != column ? "none" : Sort.Descending ? "descending" : "ascending";

    /// <summary>The sorted list pages by cursor; a cone search by page number.</summary>
    public Pager Pager => !Keyset ? Paging.Links("Target pages", page => $"{Sorted}&page={page}")
        : Pager.Cursor("Target pages", $"Page {Paging.Page} of {Paging.PageCount}",
            HasPrevious ? Sorted : null,
            HasPrevious && Rows.Count > 0 ? $"{Sorted}&before={Uri.EscapeDataString(Sort.CursorOf(Rows[0].Target).ToString())}&page={Paging.Page - 1}" : null,
            HasNext && Rows.Count > 0 ? $"{Sorted}&after={Uri.EscapeDataString(Sort.CursorOf(Rows[^1].Target).ToString())}&page={Paging.Page + 1}" : null);
}

public sealed record TargetPhotometryViewModel(Target Target, IReadOnlyList<Photometry> Points);

public sealed record TargetDetailViewModel(Target Target, int PointCount)
{
    /// <summary>The groups whose members see and change the target.</summary>
    public IReadOnlyList<TomAlerts.Web.Features.Groups.GroupRef> Groups { get; init; } = [];
    /// <summary>The groups the viewer may put the target in or take it out of (theirs; an admin's: all).</summary>
    public IReadOnlyList<TomAlerts.Web.Features.Groups.GroupRef> GivableGroups { get; init; } = [];
}
