using TomAlerts.Web.Features.Shared;
using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Exports;
using TomAlerts.Web.Features.Queries;
using TomAlerts.Web.Features.Runs;
using TomAlerts.Web.Hosting;
using TomAlerts.Web.Features.Api;

namespace TomAlerts.Web.Features.Runs;

/// <summary>Runs of saved queries: start one, follow it until it ends, page through or export its alerts.</summary>
[Route("api/v1/runs")]
[Tags("Runs")]
public sealed class RunsApiController(SavedQueries savedQueries, RunStarter starter, RunAlertList alertList, TriageDecisions triage, AppDbContext db) : ApiControllerBase
{
    [HttpPost("/api/v1/queries/{id:int}/runs")]
    [EndpointSummary("Run a saved query in the background")]
    [EndpointDescription("Answers at once; poll GET /api/v1/runs/{id} until status is succeeded, failed or interrupted.")]
    [ProducesResponseType<RunStartedDto>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<ActionResult<RunStartedDto>> Start(int id, CancellationToken cancellationToken)
    {
        var query = await savedQueries.FindVisibleAsync(id, User, cancellationToken);
        if (query is null)
        {
            return NotFoundProblem($"There is no saved query {id} that you can see.");
        }
        try
        {
            var run = await starter.QueueAsync(query, User.UserId(), cancellationToken);
            return Accepted($"/api/v1/runs/{run.Id}", new RunStartedDto(run.Id, StatusName(run.Status)));
        }
        catch (RunQuotaExceededException e)
        {
            return QuotaProblem(e.Refusal);
        }
        catch (StreamQueryRunException e)
        {
            return Problem(statusCode: StatusCodes.Status409Conflict, title: "The query is not run", detail: e.Message);
        }
    }

    [HttpPost("{id:long}/resume")]
    [EndpointSummary("Resume a run that stopped early")]
    [EndpointDescription("For a failed or interrupted run that stored alerts (a broker's rate limit, say): the broker is asked again in the background, "
        + "the stored alerts are kept and new ones appended. Answers at once; poll GET /api/v1/runs/{id}. 409 when the run is not resumable.")]
    [ProducesResponseType<RunStartedDto>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<ActionResult<RunStartedDto>> Resume(long id, CancellationToken cancellationToken)
    {
        var run = await savedQueries.FindVisibleRunAsync(id, User, cancellationToken);
        if (run is null)
        {
            return RunNotFound(id);
        }
        bool resumed;
        try
        {
            resumed = await starter.ResumeAsync(id, User.UserId(), cancellationToken);
        }
        catch (RunQuotaExceededException e)
        {
            return QuotaProblem(e.Refusal);
        }
        if (!resumed)
        {
            return Problem(statusCode: StatusCodes.Status409Conflict, title: "The run cannot be resumed",
                detail: $"Run {id} is {StatusName(run.Status)} with {Plural.Count(run.AlertCount, "alert")}; only a failed or interrupted run that stored alerts can be resumed.");
        }
        return Accepted($"/api/v1/runs/{id}", new RunStartedDto(id, StatusName(RunStatus.Pending)));
    }

    [HttpGet("{id:long}")]
    [EndpointSummary("A run's status and outcome")]
    [EndpointDescription("followUps: the work after a succeeded run (hook NewAlertTargets: targets for new alerts; RunDigests: the email and webhook "
        + "digest), each pending, running, done or failed, with its attempts, its note and the last error.")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<RunDto>> Get(long id, CancellationToken cancellationToken)
    {
        if (await savedQueries.FindVisibleRunAsync(id, User, cancellationToken) is not { } run)
        {
            return RunNotFound(id);
        }
        var followUps = (await RunFollowUpList.OfRunAsync(db, id, cancellationToken))
            .Select(f => new FollowUpDto(f.Hook, f.State.ToString().ToLowerInvariant(), f.Attempts, f.Note, f.LastError, f.Finished)).ToList();
        var (error, technicalDetail) = RunMessages.Split(run.Error);
        return new RunDto(run.Id, run.BrokerQueryId, StatusName(run.Status), run.AlertCount, run.NewAlertCount, run.Progress, run.Feedback, run.Error is null ? null : error,
            run.Created, run.Started, run.Finished, followUps, technicalDetail);
    }

    [HttpGet("{id:long}/alerts")]
    [EndpointSummary("A page of a run's alerts, filtered and sorted")]
    [EndpointDescription("In the broker's order unless sort names a column: time, name, ra, dec, mag, first, last, detections, score, class, decision "
        + "(undecided, interesting, rejected), new or target (not yet a target first); dir=desc sorts descending (default asc); ties keep the broker's order. "
        + "Filters: decision=undecided|interesting|rejected|not-rejected, notTarget=true (objects that are no target yet), className= (the headline class, "
        + "any case), minProbability= (0-1, on the headline score), minMag=, maxMag=, minDetections=, new=true (alerts no earlier run returned). "
        + "decision, decidedBy and decidedAt are the triage decision on the object, shared by everyone and kept across runs; targetId is the target the "
        + "object already is.")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<Paged<AlertDto>>> Alerts(long id, [FromQuery] RunAlertQuery query, int page = 1, int pageSize = DefaultPageSize,
        CancellationToken cancellationToken = default)
    {
        if (CheckPaging(page, pageSize) is { } invalid)
        {
            return invalid;
        }
        var (filter, errors) = query.Read();
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        if (await savedQueries.FindVisibleRunAsync(id, User, cancellationToken) is not { } run)
        {
            return RunNotFound(id);
        }
        var (rows, paging) = await alertList.RowsAsync(run, filter, User, page, pageSize, clamp: false, cancellationToken);
        return Paged<AlertDto>.Of([.. rows.Select(AlertDto.From)], paging);
    }

    [HttpPut("{id:long}/alerts/{alertId}/decision")]
    [EndpointSummary("Decide on an alert's object: interesting, rejected, or null to clear")]
    [EndpointDescription("The decision is on the broker's object, not the run: everyone who can see a run listing it sees it, and a later run of the "
        + "object keeps it until someone changes it. Answers the alert as GET .../alerts lists it.")]
    [ProducesResponseType<AlertDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<AlertDto>> Decide(long id, string alertId, [FromBody] DecisionDto? body,
        CancellationToken cancellationToken)
    {
        if (body is null || !TriageDecisions.TryParse(body.Decision, out var verdict) || body.Decision is "" or "none")
        {
            return Invalid("decision", "decision must be \"interesting\", \"rejected\" or null (to clear).");
        }
        if (await savedQueries.FindVisibleRunAsync(id, User, cancellationToken) is not { } run)
        {
            return RunNotFound(id);
        }
        if (await alertList.FindAsync(run.Id, alertId, cancellationToken) is not { } alert)
        {
            return NotFoundProblem($"Run {id} has no alert {alertId}.");
        }
        await triage.DecideAsync(run.Query!.Broker, alert.AlertId, verdict, User.UserId(), cancellationToken);
        return AlertDto.From((await alertList.WithTriageAsync(run, [alert], User, cancellationToken))[0]);
    }

    [HttpGet("{id:long}/alerts/export")]
    [EndpointSummary("All of a run's alerts as CSV, JSON or VOTable")]
    [EndpointDescription("format: csv (default), json or votable. The file is streamed, whatever the run's size.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/csv", "application/json", "application/x-votable+xml")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Export(long id, [FromServices] ExportService exports, string? format = "csv", CancellationToken cancellationToken = default)
    {
        if (!TableExporter.TryParse(format, out var parsed))
        {
            return BadFormat(format);
        }
        return await exports.RunAlertsAsync(id, parsed, User, cancellationToken) ?? RunNotFound(id);
    }

    /// <summary>pending, running, succeeded, failed or interrupted.</summary>
    internal static string StatusName(RunStatus status) => status.ToString().ToLowerInvariant();

    private ObjectResult RunNotFound(long id) => NotFoundProblem($"There is no run {id} that you can see.");

    private ObjectResult QuotaProblem(RunQuotaExceeded refusal)
    {
        Response.Headers.RetryAfter = ((int)Math.Ceiling(refusal.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many runs", detail: refusal.Message);
    }
}

/// <summary>status: pending (just created).</summary>
public sealed record RunStartedDto(long Id, [property: Description("pending")] string Status);

/// <summary>status: pending, running, succeeded, failed or interrupted. feedback: what the broker said besides its alerts.</summary>
public sealed record RunDto(long Id, int QueryId, [property: Description("pending, running, succeeded, failed or interrupted")] string Status, int AlertCount, int NewAlertCount, string? Progress, [property: Description("What the broker said besides its alerts")] string? Feedback, string? Error,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, IReadOnlyList<FollowUpDto> FollowUps,
    [property: Description("The failure's technical account (status, the broker's own words); error says it in plain words")] string? TechnicalDetail = null);

/// <summary>One piece of work after a succeeded run. state: pending, running, done or failed.</summary>
public sealed record FollowUpDto(string Hook, [property: Description("pending, running, done or failed")] string State, int Attempts, string? Note, string? LastError,
    DateTime? FinishedAt);

/// <summary>
/// An alert as the broker described it. isNew: no earlier run of the same query returned it. decision: the triage decision on the object
/// (interesting, rejected or null), decidedBy (e-mail) and decidedAt; targetId: the target the object already is.
/// </summary>
public sealed record AlertDto(string AlertId, string Name, double? Ra, double? Dec, double? Mag, double? Score, DateTime? Timestamp, string? Url, string? Classification, bool IsNew,
    [property: Description("interesting, rejected or null")] string? Decision, string? DecidedBy, DateTime? DecidedAt, int? TargetId,
    double? LastMagnitude, string? LastBand, DateTime? FirstDetection, DateTime? LastDetection, int? Detections, IReadOnlyList<ClassificationDto> Classifications)
{
    public static AlertDto From(RunAlertRow row)
    {
        var a = row.Alert;
        return new AlertDto(a.AlertId, a.Name, a.Ra, a.Dec, a.Mag, a.Score, a.Timestamp, a.Url, a.Classification, a.IsNew, row.Decision?.Name, row.Decision?.DecidedBy,
            row.Decision?.DecidedAt, row.TargetId, a.Mag, a.Band, a.FirstDetection, a.LastDetection, a.Detections,
            [.. StoredClassifications.Read(a.ClassificationsJson).Select(c => new ClassificationDto(c.Broker, c.Classifier, c.Version, c.ClassName, c.Probability))]);
    }
}

/// <summary>One class a broker's model gives the object; probability 0-1, null for a tag.</summary>
public sealed record ClassificationDto(string Broker, string Classifier, string? Version, string ClassName, double? Probability);

/// <summary>decision: "interesting", "rejected", or null to clear.</summary>
public sealed record DecisionDto([property: Description("interesting, rejected, or null to clear")] string? Decision);
