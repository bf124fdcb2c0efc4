using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Queries;
using TomAlerts.Web.Features.Shared;
using TomAlerts.Web.Features.TargetLists;
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
        try
        {
            var run = await starter.QueueAsync(query, User.UserId(), cancellationToken);
            return Redirect($"/alerts/run/{run.Id}/");
        }
        catch (Exception e) when (e is RunQuotaExceededException or StreamQueryRunException)
        {
            TempData["Warning"] = e.Message;
            return Redirect("/alerts/query/list/");
        }
    }

    [HttpGet("alerts/query/{id:int}/runs/")]
    public async Task<IActionResult> History(int id, CancellationToken cancellationToken)
    {
        var query = await savedQueries.FindVisibleAsync(id, User, cancellationToken, streams: true);
        if (query is null)
        {
            return this.NotFoundPage($"There is no saved query {id}.");
        }
        var runs = await db.QueryRuns.AsNoTracking().Where(r => r.BrokerQueryId == id).OrderByDescending(r => r.Id).Take(200).ToListAsync(cancellationToken);
        return View(new RunHistoryViewModel(query, runs));
    }

    [HttpGet("alerts/run/{id:long}/")]
    public async Task<IActionResult> Results(long id, [FromQuery] RunAlertQuery query, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        var run = await VisibleRunAsync(id, cancellationToken);
        if (run is null)
        {
            return this.NotFoundPage($"There is no run {id}.");
        }
        pageSize = PageSizes.Contains(pageSize) ? pageSize : 50;
        var (filter, errors) = query.Read();
        var (rows, paging) = await alerts.RowsAsync(run, filter, User, page, pageSize, clamp: true, cancellationToken);
        brokers.TryGet(run.Query!.Broker, out var broker);
        return View(new RunResultsViewModel
        {
            Run = run,
            Rows = rows,
            Order = filter,
            Query = query,
            Errors = errors,
            Paging = paging,
            PageSizes = PageSizes,
            ScoreDescription = broker?.ScoreDescription ?? BrokerBase.DefaultScoreDescription,
            DescribesAlerts = broker is IDescribesAlerts,
            FollowUps = await RunFollowUpList.OfRunAsync(db, run.Id, cancellationToken),
            Listening = await StreamListeningAsync(run, cancellationToken),
            LastPosition = rows.Count == 0 ? -1 : rows.Max(r => r.Alert.Position),
            Filters = await QueryFilters.DescribeAsync(broker, run.Query.ReadParameters(), cancellationToken),
        });
    }

    /// <summary>For an open stream run: "Listening to &lt;topics&gt; — N messages, last at …"; null for any other run.</summary>
    private async Task<string?> StreamListeningAsync(QueryRun run, CancellationToken cancellationToken)
    {
        if (run.Query?.IsStream != true || run.IsFinished)
        {
            return null;
        }
        var stream = await db.StreamSubscriptions.AsNoTracking().Where(s => s.BrokerQueryId == run.BrokerQueryId)
            .Select(s => new { s.Topics, s.MessagesConsumed, s.LastMessageAt }).FirstOrDefaultAsync(cancellationToken);
        if (stream is null)
        {
            return null;
        }
        var topics = string.Join(", ", stream.Topics.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var messages = stream.MessagesConsumed == 1 ? "1 message" : $"{stream.MessagesConsumed:N0} messages";
        return $"Listening to {topics} — {messages}" + (stream.LastMessageAt is { } last ? $", last at {last:yyyy-MM-dd HH:mm:ss} UTC" : ", none yet");
    }

    /// <summary>Records a triage decision on an alert's object (shared, ADR-008); JSON for the page's script, a redirect for a plain form.</summary>
    [HttpPost("alerts/run/{id:long}/decision")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Decide(long id, string? alertId, string? decision, string? back, [FromServices] TriageDecisions triage,
        CancellationToken cancellationToken)
    {
        var run = await VisibleRunAsync(id, cancellationToken);
        var json = Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);
        if (run is null)
        {
            return json ? NotFound() : this.NotFoundPage($"There is no run {id}.");
        }
        if (!TriageDecisions.TryParse(decision, out var verdict))
        {
            return json ? BadRequest(new { error = "decision must be interesting, rejected or empty." }) : BadRequest();
        }
        if (alertId is null || !await db.RunAlerts.AnyAsync(a => a.QueryRunId == id && a.AlertId == alertId, cancellationToken))
        {
            return json ? NotFound() : this.NotFoundPage($"Run {id} has no alert {alertId}.");
        }
        var decided = await triage.DecideAsync(run.Query!.Broker, alertId, verdict, User.UserId(), cancellationToken);
        if (json)
        {
            return Json(new { alertId, decision = decided?.Name, decidedBy = decided?.DecidedBy, decidedAt = decided?.DecidedAt });
        }
        return Redirect(Url.Local(back) ?? $"/alerts/run/{id}/");
    }

    /// <summary>
    /// The classification and stamps panel of one alert, its details fetched from the broker the first time (?partial=1:
    /// the panel alone; ?format=json: the results row's last magnitude, for the page's script).
    /// </summary>
    [HttpGet("alerts/run/{id:long}/alerts/{alertId}/details")]
    public async Task<IActionResult> Details(long id, string alertId, string? partial, string? format, [FromServices] AlertDescriber describer,
        CancellationToken cancellationToken)
    {
        var run = await VisibleRunAsync(id, cancellationToken);
        if (run is null)
        {
            return this.NotFoundPage($"There is no run {id}.");
        }
        var described = await describer.DescribeAsync(run, alertId, cancellationToken);
        if (described is null)
        {
            return this.NotFoundPage($"Run {id} has no alert {alertId}.");
        }
        if (format == "json")
        {
            var a = described.Alert;
            return Json(new
            {
                lastMagnitude = a.Mag is { } mag ? mag.ToString("0.000", CultureInfo.InvariantCulture) + (a.Band is { } band ? " " + band : "") : "—",
                problem = described.Problem,
            });
        }
        var model = new AlertPanelViewModel(run, described.Alert, described.Problem);
        return partial is "1" or "true"
            ? PartialView("/Features/Runs/Views/_AlertPanel.cshtml", model)
            : View("/Features/Runs/Views/AlertDetails.cshtml", model);
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
        try
        {
            if (!await starter.ResumeAsync(id, User.UserId(), cancellationToken))
            {
                TempData["Warning"] = "This run cannot be resumed: only a run that stopped early after storing alerts can.";
            }
        }
        catch (RunQuotaExceededException e)
        {
            TempData["Warning"] = e.Message;
        }
        return Redirect($"/alerts/run/{id}/");
    }

    /// <summary>
    /// A stream run's alerts after <paramref name="after"/> (a position), in order, with the run's count and the
    /// subscription's "listening" line; at most 200 at a time. The live page asks with <c>format=html</c> and gets the
    /// table rows the page itself renders (<c>_AlertRows</c>), with the counts as attributes of their <c>tbody</c>.
    /// </summary>
    [HttpGet("alerts/run/{id:long}/live")]
    public async Task<IActionResult> Live(long id, int after = -1, string? format = null, CancellationToken cancellationToken = default)
    {
        var run = await VisibleRunAsync(id, cancellationToken);
        if (run is null)
        {
            return NotFound();
        }
        var rows = await db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == id && a.Position > after).OrderBy(a => a.Position).Take(200)
            .ToListAsync(cancellationToken);
        var listening = await StreamListeningAsync(run, cancellationToken);
        if (format == "html")
        {
            var describes = brokers.TryGet(run.Query!.Broker, out var broker) && broker is IDescribesAlerts;
            return PartialView("/Features/Runs/Views/_LiveRows.cshtml",
                new LiveRowsView(run, listening, await alerts.WithTriageAsync(run, rows, User, cancellationToken), describes));
        }
        return Json(new
        {
            id = run.Id, status = run.Status.ToString().ToLowerInvariant(), finished = run.IsFinished, alertCount = run.AlertCount, listening,
            alerts = rows.Select(a => new { a.Position, a.AlertId, a.Name, a.Ra, a.Dec, a.Mag, a.Band, a.Timestamp, a.FirstDetection, a.LastDetection, a.Detections, a.Score, a.Classification, a.IsNew }),
        });
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
    public async Task<IActionResult> CreateTargets(long runId, string[]? alerts, int? list, [FromServices] TargetCreator creator, [FromServices] SavedTargetLists lists,
        CancellationToken cancellationToken)
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
        if (alerts.Length > TargetCreator.MaxAlertsAtOnce)
        {
            TempData["Warning"] = $"You selected {alerts.Length:N0} alerts; targets are created from at most {TargetCreator.MaxAlertsAtOnce:N0} at a time. "
                                  + "Nothing was created: select fewer, or narrow the run with its filters.";
            return Redirect($"/alerts/run/{runId}/");
        }
        var into = list is { } listId ? await lists.FindVisibleAsync(listId, User, cancellationToken) : null;
        if (list is not null && (into is null || !SavedTargetLists.CanChange(into, User)))
        {
            TempData["Warning"] = "Choose one of your lists to put the targets in.";
            return Redirect($"/alerts/run/{runId}/");
        }
        var outcomes = await creator.CreateFromRunAsync(runId, alerts, User.UserId(), cancellationToken);
        if (into is not null)
        {
            var made = outcomes.Where(o => o.TargetId is not null).Select(o => o.TargetId!.Value).ToList();
            var change = await lists.AddAsync(into, made, User, cancellationToken);
            TempData["Success"] = $"{change.Added.Count + change.AlreadyIn.Count} of these targets are in the list {into.Name}.";
        }
        return View("Created", new CreatedTargetsViewModel(run, outcomes));
    }

    private Task<QueryRun?> VisibleRunAsync(long id, CancellationToken cancellationToken) =>
        savedQueries.FindVisibleRunAsync(id, User, cancellationToken);
}

public sealed record RunHistoryViewModel(BrokerQuery Query, IReadOnlyList<QueryRun> Runs);

public sealed record CreatedTargetsViewModel(QueryRun Run, IReadOnlyList<AlertOutcome> Outcomes);

/// <summary>The classification panel and stamps of one run alert; <see cref="Problem"/> says why the broker's details are missing.</summary>
public sealed record AlertPanelViewModel(QueryRun Run, RunAlert Alert, string? Problem)
{
    public IReadOnlyList<AlertClassification> Classifications => StoredClassifications.Read(Alert.ClassificationsJson);

    public string StampUrl(string kind) => $"/alerts/run/{Run.Id}/alerts/{Uri.EscapeDataString(Alert.AlertId)}/stamps/{kind}";
}

/// <summary>One row of a run's results table.</summary>
public sealed record AlertRowsView(IReadOnlyList<RunAlertRow> Rows, long RunId, bool DescribesAlerts);

/// <summary>The rows a live stream run's page appends, with the run's count and listening line.</summary>
public sealed record LiveRowsView(QueryRun Run, string? Listening, IReadOnlyList<RunAlertRow> Rows, bool DescribesAlerts);

public sealed class RunResultsViewModel
{
    public required QueryRun Run { get; init; }
    public required IReadOnlyList<RunAlertRow> Rows { get; init; }
    public required RunAlertFilter Order { get; init; }
    public required RunAlertQuery Query { get; init; }
    public required IReadOnlyDictionary<string, string[]> Errors { get; init; }
    public required Paging Paging { get; init; }
    public required IReadOnlyList<int> PageSizes { get; init; }
    public required string ScoreDescription { get; init; }
    /// <summary>The broker fills in details on demand, so a panel without classes is worth opening.</summary>
    public bool DescribesAlerts { get; init; }
    /// <summary>The work after the run (targets for new alerts, digests) and how far each got.</summary>
    public IReadOnlyList<RunFollowUp> FollowUps { get; init; } = [];
    /// <summary>An open stream run's line ("Listening to … — N messages, last at …"); the page then adds new alerts as they arrive.</summary>
    public string? Listening { get; init; }
    /// <summary>The highest position among the alerts shown; the live page asks for those after it.</summary>
    public int LastPosition { get; init; } = -1;
    /// <summary>New alerts are appended to the table as they arrive: an open stream run shown in the broker's order, unfiltered, on its last page.</summary>
    public bool AppendsLive => Listening is not null && Sort is null && !Order.IsFiltered && Paging.Page >= Paging.PageCount;
    /// <summary>The query's saved filters, as its form labels them.</summary>
    public IReadOnlyList<QueryFilter> Filters { get; init; } = [];
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
               + FilterQuery;
    }

    /// <summary>The filters as query-string parameters (each starting with &amp;), so paging and sorting keep them.</summary>
    public string FilterQuery
    {
        get
        {
            var f = Order;
            var parts = new List<string>();
            void Add(string name, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    parts.Add($"&{name}={Uri.EscapeDataString(value)}");
                }
            }
            string? N(double? v) => v?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Add("new", f.NewOnly ? "1" : null);
            Add("className", f.ClassName);
            Add("minProbability", N(f.MinProbability));
            Add("minMag", N(f.MinMag));
            Add("maxMag", N(f.MaxMag));
            Add("minDetections", f.MinDetections?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Add("notTarget", f.NotTarget ? "true" : null);
            Add("decision", RunAlertFilter.DecisionName(f.Decision));
            return string.Concat(parts);
        }
    }

    public string SortUrl(string column) => Url(1, column, Sort == column ? !Descending : column is "time" or "score" or "new" or "last" or "detections");
}
