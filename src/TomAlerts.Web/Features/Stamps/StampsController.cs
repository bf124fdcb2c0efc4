using Microsoft.AspNetCore.Mvc;
using TomAlerts.Brokers;

namespace TomAlerts.Web.Features.Stamps;

/// <summary>Cutout stamps for the pages (cookie login): a run alert's and a target's, always PNG, served by the portal itself.</summary>
public sealed class StampsController(StampService stamps) : Controller
{
    [HttpGet("alerts/run/{runId:long}/alerts/{alertId}/stamps/{kind}")]
    public async Task<IActionResult> RunAlert(long runId, string alertId, string kind, CancellationToken cancellationToken)
    {
        if (!StampService.TryParseKind(kind, out var stampKind))
        {
            return this.NotFoundPage($"There is no cutout '{kind}': use science, template or difference.");
        }
        var source = await stamps.FindInRunAsync(runId, alertId, User, cancellationToken);
        return source is null
            ? this.NotFoundPage($"There is no alert {alertId} in a run {runId} that you can see.")
            : await ServeAsync(source, stampKind, cancellationToken);
    }

    [HttpGet("targets/{id:int}/stamps/{kind}")]
    public async Task<IActionResult> Target(int id, string kind, CancellationToken cancellationToken)
    {
        if (!StampService.TryParseKind(kind, out var stampKind))
        {
            return this.NotFoundPage($"There is no cutout '{kind}': use science, template or difference.");
        }
        var source = await stamps.FindForTargetAsync(id, User, cancellationToken);
        return source is null
            ? this.NotFoundPage($"Target {id} has no alert from a broker that serves cutouts.")
            : await ServeAsync(source, stampKind, cancellationToken);
    }

    private async Task<IActionResult> ServeAsync(StampSource source, StampKind kind, CancellationToken cancellationToken)
    {
        var result = await stamps.GetAsync(source, kind, cancellationToken);
        if (result.Png is { } png)
        {
            StampHeaders.Cache(Response);
            return File(png, "image/png");
        }
        return result.IsNone
            ? this.NotFoundPage($"{source.Broker} has no {kind.ToString().ToLowerInvariant()} cutout for {source.AlertId}.")
            : this.ProblemPage(result.FailureStatus, "The cutout could not be fetched", result.Failure!);
    }
}

/// <summary>How long a browser may keep a stamp: a cutout of an alert never changes, but it is private to signed-in users.</summary>
internal static class StampHeaders
{
    public static void Cache(HttpResponse response) => response.Headers.CacheControl = "private, max-age=86400";
}
