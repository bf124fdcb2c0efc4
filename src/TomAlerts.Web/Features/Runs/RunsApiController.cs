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
public sealed class RunsApiController(SavedQueries savedQueries, RunStarter starter, RunAlertList alertList) : ApiControllerBase
{
    [HttpPost("/api/v1/queries/{id:int}/runs")]
    [EndpointSummary("Run a saved query in the background")]
    [EndpointDescription("Answers at once; poll GET /api/v1/runs/{id} until status is succeeded, failed or interrupted.")]
    [ProducesResponseType<RunStartedDto>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<RunStartedDto>> Start(int id, CancellationToken cancellationToken)
    {
        var query = await savedQueries.FindVisibleAsync(id, User, cancellationToken);
        if (query is null)
        {
            return NotFoundProblem($"There is no saved query {id} that you can see.");
        }
        var run = await starter.QueueAsync(query, User.UserId(), cancellationToken);
        return Accepted($"/api/v1/runs/{run.Id}", new RunStartedDto(run.Id, StatusName(run.Status)));
    }

    [HttpPost("{id:long}/resume")]
    [EndpointSummary("Resume a run that stopped early")]
    [EndpointDescription("For a failed or interrupted run that stored alerts (a broker's rate limit, say): the broker is asked again in the background, "
        + "the stored alerts are kept and new ones appended. Answers at once; poll GET /api/v1/runs/{id}. 409 when the run is not resumable.")]
    [ProducesResponseType<RunStartedDto>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<RunStartedDto>> Resume(long id, CancellationToken cancellationToken)
    {
        var run = await savedQueries.FindVisibleRunAsync(id, User, cancellationToken);
        if (run is null)
        {
            return RunNotFound(id);
        }
        if (!await starter.ResumeAsync(id, cancellationToken))
        {
            return Problem(statusCode: StatusCodes.Status409Conflict, title: "The run cannot be resumed",
                detail: $"Run {id} is {StatusName(run.Status)} with {run.AlertCount} alerts; only a failed or interrupted run that stored alerts can be resumed.");
        }
        return Accepted($"/api/v1/runs/{id}", new RunStartedDto(id, StatusName(RunStatus.Pending)));
    }

    [HttpGet("{id:long}")]
    [EndpointSummary("A run's status and outcome")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<RunDto>> Get(long id, CancellationToken cancellationToken) =>
        await savedQueries.FindVisibleRunAsync(id, User, cancellationToken) is { } run
            ? new RunDto(run.Id, run.BrokerQueryId, StatusName(run.Status), run.AlertCount, run.NewAlertCount, run.Progress, run.Feedback, run.Error,
                run.Created, run.Started, run.Finished)
            : RunNotFound(id);

    [HttpGet("{id:long}/alerts")]
    [EndpointSummary("A page of a run's alerts, in the broker's order")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<Paged<AlertDto>>> Alerts(long id, int page = 1, int pageSize = DefaultPageSize, CancellationToken cancellationToken = default)
    {
        if (CheckPaging(page, pageSize) is { } invalid)
        {
            return invalid;
        }
        if (await savedQueries.FindVisibleRunAsync(id, User, cancellationToken) is null)
        {
            return RunNotFound(id);
        }
        var (items, paging) = await alertList.PageAsync(id, new RunAlertOrder(), page, pageSize, clamp: false,
            a => new AlertDto(a.AlertId, a.Name, a.Ra, a.Dec, a.Mag, a.Score, a.Timestamp, a.Url, a.Classification, a.IsNew), cancellationToken);
        return Paged<AlertDto>.Of(items, paging);
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
}

/// <summary>status: pending (just created).</summary>
public sealed record RunStartedDto(long Id, [property: Description("pending")] string Status);

/// <summary>status: pending, running, succeeded, failed or interrupted. feedback: what the broker said besides its alerts.</summary>
public sealed record RunDto(long Id, int QueryId, [property: Description("pending, running, succeeded, failed or interrupted")] string Status, int AlertCount, int NewAlertCount, string? Progress, [property: Description("What the broker said besides its alerts")] string? Feedback, string? Error,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt);

/// <summary>An alert as the broker described it. isNew: no earlier run of the same query returned it.</summary>
public sealed record AlertDto(string AlertId, string Name, double? Ra, double? Dec, double? Mag, double? Score, DateTime? Timestamp, string? Url, string? Classification, bool IsNew);
