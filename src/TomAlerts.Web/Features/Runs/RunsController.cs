using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Queries;
using TomAlerts.Web.Features.Shared;
using TomAlerts.Web.Features.Targets;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Runs;

/// <summary>Running saved queries, paging through a run's stored alerts, and creating targets from them.</summary>
public sealed class RunsController(AppDbContext db, BrokerRegistry brokers, RunStarter starter, RunAlertList alerts, SavedQueries savedQueries) : Controller
{
    private static readonly int[] PageSizes = [25, 50, 100, 250, 500];

    [HttpPost("alerts/query/{id:int}/run/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Run(int id, CancellationToken cancellationToken)
    {
        var query = await savedQueries.FindVisibleAsync(id, User, cancellationToken);
        if (query is null)
        {
            return this.NotFoundPage($"There is no saved query {id}.");
        }
        var run = await starter.QueueAsync(query, User.UserId(), cancellationToken);
        return Redirect($"/alerts/run/{run.Id}/");
    }

    [HttpGet("alerts/query/{id:int}/runs/")]
    public async Task<IActionResult> History(int id, CancellationToken cancellationToken)
    {
        var query = await savedQueries.FindVisibleAsync(id, User, cancellationToken);
        if (query is null)
        {
            return this.NotFoundPage($"There is no saved query {id}.");
        }
        var runs = await db.QueryRuns.AsNoTracking().Where(r => r.BrokerQueryId == id).OrderByDescending(r => r.Id).Take(200).ToListAsync(cancellationToken);
        return View(new RunHistoryViewModel(query, runs));
    }

    [HttpGet("alerts/run/{id:long}/")]
    public async Task<IActionResult> Results(long id, string? sort, string? dir, int page = 1, int pageSize = 50, string? @new = null, CancellationToken cancellationToken = default)
    {
        var run = await VisibleRunAsync(id, cancellationToken);
        if (run is null)
        {
            return this.NotFoundPage($"There is no run {id}.");
        }
        pageSize = PageSizes.Contains(pageSize) ? pageSize : 50;
        var order = new RunAlertOrder(sort, dir == "desc", @new is "1" or "true");
        var (rows, paging) = await alerts.PageAsync(id, order, page, pageSize, clamp: true, a => a, cancellationToken);
        brokers.TryGet(run.Query!.Broker, out var broker);
        return View(new RunResultsViewModel
        {
            Run = run,
            Alerts = rows,
            Order = order,
            Paging = paging,
            PageSizes = PageSizes,
            ScoreDescription = broker?.ScoreDescription ?? BrokerBase.DefaultScoreDescription,
        });
    }

    [HttpPost("alerts/run/{id:long}/resume/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Resume(long id, CancellationToken cancellationToken)
    {
        var run = await VisibleRunAsync(id, cancellationToken);
        if (run is null)
        {
            return this.NotFoundPage($"There is no run {id}.");
        }
        if (!await starter.ResumeAsync(id, cancellationToken))
        {
            TempData["Warning"] = "This run cannot be resumed: only a run that stopped early after storing alerts can.";
        }
        return Redirect($"/alerts/run/{id}/");
    }

    [HttpGet("alerts/run/{id:long}/status")]
    public async Task<IActionResult> Status(long id, CancellationToken cancellationToken)
    {
        var run = await VisibleRunAsync(id, cancellationToken);
        return run is null
            ? NotFound()
            : Json(new { id = run.Id, status = run.Status.ToString().ToLowerInvariant(), alertCount = run.AlertCount, progress = run.Progress, finished = run.IsFinished });
    }

    [HttpPost("alerts/alert/create/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> CreateTargets(long runId, string[]? alerts, [FromServices] TargetCreator creator, CancellationToken cancellationToken)
    {
        var run = await VisibleRunAsync(runId, cancellationToken);
        if (run is null)
        {
            return this.NotFoundPage($"There is no run {runId}.");
        }
        if (alerts is not { Length: > 0 })
        {
            TempData["Warning"] = "Please select at least one alert from which to create a target.";
            return Redirect($"/alerts/run/{runId}/");
        }
        var outcomes = await creator.CreateFromRunAsync(runId, alerts, User.UserId(), cancellationToken);
        return View("Created", new CreatedTargetsViewModel(run, outcomes));
    }

    private Task<QueryRun?> VisibleRunAsync(long id, CancellationToken cancellationToken) =>
        savedQueries.FindVisibleRunAsync(id, User, cancellationToken);
}

public sealed record RunHistoryViewModel(BrokerQuery Query, IReadOnlyList<QueryRun> Runs);

public sealed record CreatedTargetsViewModel(QueryRun Run, IReadOnlyList<AlertOutcome> Outcomes);

public sealed class RunResultsViewModel
{
    public required QueryRun Run { get; init; }
    public required IReadOnlyList<RunAlert> Alerts { get; init; }
    public required RunAlertOrder Order { get; init; }
    public required Paging Paging { get; init; }
    public required IReadOnlyList<int> PageSizes { get; init; }
    public required string ScoreDescription { get; init; }
    public string? Sort => Order.Sort;
    public bool Descending => Order.Descending;
    /// <summary>Only the alerts no earlier run of the query returned (?new=1).</summary>
    public bool NewOnly => Order.NewOnly;
    public Pager Pager => Paging.Links("Alert pages", page => Url(page));

    public string Url(int? page = null, string? sort = null, bool? descending = null, int? pageSize = null)
    {
        var s = sort ?? Sort;
        var d = descending ?? Descending;
        return $"/alerts/run/{Run.Id}/?page={page ?? Paging.Page}&pageSize={pageSize ?? Paging.PageSize}" + (s is null ? "" : $"&sort={s}&dir={(d ? "desc" : "asc")}")
               + (NewOnly ? "&new=1" : "");
    }

    public string SortUrl(string column) => Url(1, column, Sort == column ? !Descending : column is "time" or "score");
}
