using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Targets;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Targets;

/// <summary>Targets by hand: the create, edit and merge pages (TOM's /targets/create/, /targets/{id}/update/, /targets/{id}/merge/).</summary>
[Route("targets")]
public sealed class TargetEditController(AppDbContext db, TargetAccess access, TargetEditor editor) : Controller
{
    [HttpGet("create/")]
    public IActionResult Create() => View("/Features/Targets/Views/Create.cshtml", new TargetEditViewModel { Form = new TargetForm() });

    [HttpPost("create/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> CreatePost([FromForm] TargetForm form, CancellationToken cancellationToken)
    {
        var readErrors = new Dictionary<string, FieldError>();
        var change = form.Read(readErrors);
        var result = await editor.CreateAsync(change, readErrors, form.CreateAnyway, null, User, cancellationToken);
        if (result.Target is { } target)
        {
            TempData["Success"] = $"Created the target {target.Name}.";
            return Redirect($"/targets/{target.Id}/");
        }
        if (result.Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        return View("/Features/Targets/Views/Create.cshtml", new TargetEditViewModel { Form = form, Errors = result.Errors, Matches = result.Matches });
    }

    [HttpGet("{id:int}/update/")]
    public async Task<IActionResult> Edit(int id, CancellationToken cancellationToken)
    {
        if (await EditableAsync(id, cancellationToken) is not { } target)
        {
            return NotFoundTarget(id);
        }
        return View("/Features/Targets/Views/Edit.cshtml", Model(target, TargetForm.From(target, UserSource)));
    }

    [HttpPost("{id:int}/update/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> EditPost(int id, [FromForm] TargetForm form, CancellationToken cancellationToken)
    {
        var readErrors = new Dictionary<string, FieldError>();
        var change = form.Read(readErrors);
        var result = await editor.EditAsync(id, change, readErrors, User, cancellationToken);
        if (result is null)
        {
            return NotFoundTarget(id);
        }
        if (result.Succeeded)
        {
            TempData["Success"] = "The target was saved.";
            return Redirect($"/targets/{id}/");
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        var target = await EditableAsync(id, cancellationToken);
        return View("/Features/Targets/Views/Edit.cshtml", Model(target!, form) with { Errors = result.Errors });
    }

    [HttpGet("{id:int}/merge/")]
    public async Task<IActionResult> Merge(int id, string? from, [FromServices] TargetMerger merger, CancellationToken cancellationToken)
    {
        if (await EditableAsync(id, cancellationToken) is not { } target)
        {
            return NotFoundTarget(id);
        }
        var model = new TargetMergeViewModel { Target = target, From = from };
        if (string.IsNullOrWhiteSpace(from))
        {
            return View("/Features/Targets/Views/Merge.cshtml", model);
        }
        var other = await FindByNameAsync(from, cancellationToken);
        if (other is null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("/Features/Targets/Views/Merge.cshtml", model with { Error = $"There is no target named {from.Trim()} that you can change." });
        }
        if (other.Id == id)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("/Features/Targets/Views/Merge.cshtml", model with { Error = "A target cannot be merged into itself: choose another target." });
        }
        return View("/Features/Targets/Views/Merge.cshtml", model with { Preview = await merger.PreviewAsync(id, other.Id, cancellationToken) });
    }

    [HttpPost("{id:int}/merge/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> MergePost(int id, [FromForm] int fromId, [FromServices] TargetMerger merger, CancellationToken cancellationToken)
    {
        if (!await access.CanChangeAsync(id, User, cancellationToken))
        {
            return NotFoundTarget(id);
        }
        if (fromId == id)
        {
            TempData["Warning"] = "A target cannot be merged into itself.";
            return Redirect($"/targets/{id}/merge/");
        }
        if (!await access.CanChangeAsync(fromId, User, cancellationToken))
        {
            return NotFoundTarget(fromId);
        }
        await merger.MergeAsync(id, fromId, User.UserId(), cancellationToken);
        TempData["Success"] = "The targets were merged.";
        return Redirect($"/targets/{id}/");
    }

    private string? UserSource => User.UserId() is { } userId ? TargetExtra.UserSource(userId) : null;

    private async Task<Target?> EditableAsync(int id, CancellationToken cancellationToken) =>
        await access.CanChangeAsync(id, User, cancellationToken)
            ? await db.Targets.AsNoTracking().AsSplitQuery().Include(t => t.Aliases).Include(t => t.Extras).FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            : null;

    /// <summary>The target the user may change with this name or alias (in TOM's normalised form too).</summary>
    private async Task<Target?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        var normalized = TargetNames.Normalize(name);
        var id = await access.Visible(User).Where(t => t.NormalizedName == normalized).Select(t => (int?)t.Id).FirstOrDefaultAsync(cancellationToken)
                 ?? await db.TargetNames.Where(a => a.NormalizedName == normalized).Select(a => (int?)a.TargetId).FirstOrDefaultAsync(cancellationToken);
        return id is { } found && await access.CanChangeAsync(found, User, cancellationToken)
            ? await db.Targets.AsNoTracking().FirstAsync(t => t.Id == found, cancellationToken)
            : null;
    }

    private TargetEditViewModel Model(Target target, TargetForm form) => new()
    {
        Form = form, TargetId = target.Id, TargetName = target.Name,
        OtherExtras = [.. target.Extras.Where(e => e.Source != UserSource).OrderBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.Key, StringComparer.Ordinal)],
    };

    private ViewResult NotFoundTarget(int id) => this.NotFoundPage($"There is no target {id} that you can change.");
}

public sealed record TargetEditViewModel
{
    public required TargetForm Form { get; init; }
    public IReadOnlyDictionary<string, FieldError> Errors { get; init; } = new Dictionary<string, FieldError>();
    public IReadOnlyList<TargetMatch> Matches { get; init; } = [];
    public int? TargetId { get; init; }
    public string? TargetName { get; init; }
    /// <summary>Extras other sources set, shown beside the form (only the person's own are edited there).</summary>
    public IReadOnlyList<TargetExtra> OtherExtras { get; init; } = [];
}

public sealed record TargetMergeViewModel
{
    public required Target Target { get; init; }
    public string? From { get; init; }
    public string? Error { get; init; }
    public MergePreview? Preview { get; init; }
}
