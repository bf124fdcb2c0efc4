using Microsoft.AspNetCore.Mvc;
using TomAlerts.Data;
using TomAlerts.Web.Features.Targets;
using TomAlerts.Web.Hosting;

using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Web.Features.ConeSearch;

public sealed class ConeSearchViewModel
{
    public required ConeSearchForm Form { get; init; }
    public ConeResult? Result { get; init; }
    public required IReadOnlyList<string> Brokers { get; init; }
    public double DefaultRadiusArcsec { get; init; }
    public double MaxRadiusArcsec { get; init; }
    public double MergeRadiusArcsec { get; init; }
    /// <summary>Per result row, the target its object already is (by its names), or null.</summary>
    public IReadOnlyList<int?> KnownTargetIds { get; init; } = [];
}

/// <summary>"What do all the brokers know about this position?": one cone asked of every broker, answered on one page.</summary>
public sealed class ConeSearchController(AppDbContext db, ConeSearcher search, KnownTargets knownTargets, TargetAccess access) : Controller
{
    private const string ViewPath = "/Features/ConeSearch/Views/Cone.cshtml";

    [HttpGet("search/cone")]
    [TomAlerts.Web.Features.BrokerHealth.WaitsForBrokers] // the page exists to ask the brokers; it returns within their timeout
    public async Task<IActionResult> Cone(string? ra, string? dec, string? target, string? radius, CancellationToken cancellationToken)
    {
        var form = await ConeSearchForm.ReadAsync(db, access, User, ra, dec, target, radius, search.Options, cancellationToken);
        ConeResult? result = null;
        if (form.IsValid)
        {
            result = await search.SearchAsync(form.Position!, cancellationToken);
        }
        else if (!form.IsEmpty)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        var known = result is null ? [] : await knownTargets.FindAsync([.. result.Rows.Select(r => r.Entries.SelectMany(e => new[] { e.Name, e.AlertId }))], User, cancellationToken);
        return View(ViewPath, new ConeSearchViewModel
        {
            Form = form, Result = result, Brokers = search.ConeBrokers, KnownTargetIds = known,
            DefaultRadiusArcsec = search.Options.DefaultRadiusArcsec, MaxRadiusArcsec = search.Options.MaxRadiusArcsec,
            MergeRadiusArcsec = search.MergeRadiusArcsec,
        });
    }

    [HttpPost("search/cone/create")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> CreateTarget(string[]? alerts, string? back, [FromServices] ConeTargetCreator creator, CancellationToken cancellationToken)
    {
        var backUrl = back is { Length: > 0 } && back.StartsWith("/search/cone", StringComparison.Ordinal) && Url.Local(back) is { } local
            ? local : "/search/cone";
        if (alerts is not { Length: > 0 })
        {
            TempData["Warning"] = "Choose a row to create a target from.";
            return Redirect(backUrl);
        }
        var outcomes = await creator.CreateAsync(alerts, User.UserId(), cancellationToken);
        var saved = outcomes.Where(o => o.TargetId is not null).ToList();
        var problems = outcomes.Where(o => o.Outcome == AlertOutcomeKind.Failed).Select(o => o.Message)
            .Concat(outcomes.Select(o => o.Warning)).Where(m => m is not null).ToList();
        if (saved.Count == 0)
        {
            TempData["Warning"] = "No target was created. " + string.Join(" ", problems);
            return Redirect(backUrl);
        }
        var target = saved[0];
        var others = saved.Select(o => o.TargetName).Distinct().Skip(1).ToList();
        if (others.Count > 0)
        {
            problems.Add($"Some of the alerts matched other existing targets: {string.Join(", ", others)}.");
        }
        TempData["Success"] = (saved[0].Outcome == AlertOutcomeKind.Created ? $"Created the target {target.TargetName}" : $"Updated the target {target.TargetName}")
                              + $" from {saved.Count} broker alert{(saved.Count == 1 ? "" : "s")}: {string.Join(", ", saved.Select(o => o.AlertName))}.";
        if (problems.Count > 0)
        {
            TempData["Warning"] = string.Join(" ", problems);
        }
        return Redirect($"/targets/{target.TargetId}/");
    }
}
