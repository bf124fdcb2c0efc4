using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Sky;
using TomAlerts.Targets;

namespace TomAlerts.Web.Features.Targets;

[Route("targets")]
public sealed class TargetsController(AppDbContext db) : Controller
{
    private const int PageSize = 50;

    [HttpGet("")]
    public async Task<IActionResult> List(string? name, string? ra, string? dec, string? radius, int page = 1, CancellationToken cancellationToken = default)
    {
        var model = new TargetListViewModel { Name = name, RaText = ra, DecText = dec, RadiusText = radius ?? "60" };
        var targets = string.IsNullOrWhiteSpace(name) ? db.Targets.AsNoTracking() : TargetSearch.ByName(db, name).AsNoTracking();

        var coneRequested = !string.IsNullOrWhiteSpace(ra) || !string.IsNullOrWhiteSpace(dec);
        if (coneRequested)
        {
            if (!Angles.TryParseRa(ra, out var raDeg))
            {
                model.Errors["ra"] = "Enter RA in decimal degrees (0 to 360) or as hh:mm:ss.";
            }
            if (!Angles.TryParseDec(dec, out var decDeg))
            {
                model.Errors["dec"] = "Enter Dec in decimal degrees (−90 to 90) or as ±dd:mm:ss.";
            }
            if (!double.TryParse(model.RadiusText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var radiusArcsec)
                || radiusArcsec <= 0 || radiusArcsec > 36000)
            {
                model.Errors["radius"] = "Enter a radius in arcseconds, greater than 0 and at most 36000 (10°).";
            }
            if (model.Errors.Count > 0)
            {
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                return View(model);
            }
            var matches = await TargetSearch.ConeAsync(targets, raDeg, decDeg, radiusArcsec / 3600, cancellationToken);
            model.Total = matches.Count;
            model.Page = Math.Clamp(page, 1, Math.Max(1, (matches.Count + PageSize - 1) / PageSize));
            model.Rows = matches.Skip((model.Page - 1) * PageSize).Take(PageSize)
                .Select(m => new TargetRow(m.Target, m.Separation * 3600)).ToList();
            return View(model);
        }

        model.Total = await targets.CountAsync(cancellationToken);
        model.Page = Math.Clamp(page, 1, Math.Max(1, (model.Total + PageSize - 1) / PageSize));
        model.Rows = (await targets.OrderByDescending(t => t.Created).ThenByDescending(t => t.Id)
                .Skip((model.Page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken))
            .Select(t => new TargetRow(t, null)).ToList();
        return View(model);
    }

    [HttpGet("{id:int}/")]
    public async Task<IActionResult> Detail(int id, CancellationToken cancellationToken)
    {
        var target = await db.Targets.AsNoTracking().AsSplitQuery()
            .Include(t => t.Aliases).Include(t => t.Extras).Include(t => t.Provenance)
            .FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (target is null)
        {
            return this.NotFoundPage($"There is no target {id}.");
        }
        var photometry = await db.Photometry.AsNoTracking().Where(p => p.TargetId == id).OrderBy(p => p.Timestamp).ToListAsync(cancellationToken);
        return View(new TargetDetailViewModel(target, photometry));
    }

    [HttpGet("{id:int}/delete/")]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken)
    {
        var target = await db.Targets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        return target is null ? this.NotFoundPage($"There is no target {id}.") : View(target);
    }

    [HttpPost("{id:int}/delete/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> DeletePost(int id, CancellationToken cancellationToken)
    {
        var deleted = await db.Targets.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);
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
        if (!await db.Targets.AnyAsync(t => t.Id == id, cancellationToken))
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
    public string? Name { get; init; }
    public string? RaText { get; init; }
    public string? DecText { get; init; }
    public string? RadiusText { get; init; }
    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<TargetRow> Rows { get; set; } = [];
    public int Total { get; set; }
    public int Page { get; set; } = 1;
    public int PageCount => Math.Max(1, (Total + 49) / 50);

    public string PageUrl(int page) =>
        $"/targets/?name={Uri.EscapeDataString(Name ?? "")}&ra={Uri.EscapeDataString(RaText ?? "")}&dec={Uri.EscapeDataString(DecText ?? "")}&radius={Uri.EscapeDataString(RadiusText ?? "")}&page={page}";
}

public sealed record TargetDetailViewModel(Target Target, IReadOnlyList<Photometry> Photometry)
{
    /// <summary>The light curve as JSON for the plot script: detections and limits per band.</summary>
    public string PlotJson => System.Text.Json.JsonSerializer.Serialize(
        Photometry.GroupBy(p => p.Bandpass).Select(g => new
        {
            band = g.Key,
            detections = g.Where(p => p.Magnitude is not null).Select(p => new { t = p.Timestamp.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"), m = p.Magnitude, e = p.MagnitudeError, s = p.Source }),
            limits = g.Where(p => p.Magnitude is null && p.Limit is not null).Select(p => new { t = p.Timestamp.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"), m = p.Limit, s = p.Source }),
        }));
}
