using Microsoft.AspNetCore.Mvc;
using TomAlerts.Web.Features.Api;

namespace TomAlerts.Web.Features.Stamps;

/// <summary>A run alert's cutout stamps as PNG.</summary>
[Route("api/v1/runs")]
[Tags("Runs")]
public sealed class StampsApiController(StampService stamps) : ApiControllerBase
{
    [HttpGet("{runId:long}/alerts/{alertId}/stamps/{kind}")]
    [EndpointSummary("A cutout stamp of a run's alert, as PNG")]
    [EndpointDescription("kind: science, template or difference. alertId is the broker's alert id (URL-encoded). FITS stamps are "
        + "rendered with a zscale stretch, north up. 404 when the run is not one you can see, the alert is not in it, or the broker "
        + "has no such cutout; 502 or 503 when the broker failed.")]
    [ProducesResponseType<byte[]>(StatusCodes.Status200OK, "image/png")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IActionResult> Get(long runId, string alertId, string kind, CancellationToken cancellationToken)
    {
        if (!StampService.TryParseKind(kind, out var stampKind))
        {
            return NotFoundProblem($"There is no cutout '{kind}': use science, template or difference.");
        }
        if (await stamps.FindInRunAsync(runId, alertId, User, cancellationToken) is not { } source)
        {
            return NotFoundProblem($"There is no alert {alertId} in a run {runId} that you can see.");
        }
        var result = await stamps.GetAsync(source, stampKind, cancellationToken);
        if (result.Png is { } png)
        {
            StampHeaders.Cache(Response);
            return File(png, "image/png");
        }
        return result.IsNone
            ? NotFoundProblem($"{source.Broker} has no {kind.ToLowerInvariant()} cutout for {alertId}.")
            : Problem(detail: result.Failure, statusCode: result.FailureStatus, title: "The broker did not give the cutout");
    }
}
