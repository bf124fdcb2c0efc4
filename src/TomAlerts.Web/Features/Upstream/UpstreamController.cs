using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;

namespace TomAlerts.Web.Features.Upstream;

/// <summary>
/// TOM's upstream submission: sends a target and/or an observation record back to a broker. Fields other than
/// target, observation_record and redirect_url are passed on to the broker. The answer is a message on the page
/// the user came from (redirect_url when it is local, else the referring page), never an error page.
/// </summary>
public sealed class UpstreamController(AppDbContext db, BrokerRegistry brokers, ILogger<UpstreamController> logger) : Controller
{
    public const string MissingSubject = "Must provide either Target or ObservationRecord to be submitted upstream.";

    private static readonly HashSet<string> OwnFields = ["target", "observation_record", "redirect_url", "__RequestVerificationToken"];

    [HttpPost("alerts/{broker}/submit/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Submit(string broker, CancellationToken cancellationToken)
    {
        if (!brokers.TryGet(broker, out var found))
        {
            return this.ProblemPage(StatusCodes.Status404NotFound, "Broker not found", $"No broker named {broker} is configured.");
        }
        var form = Request.Form;
        var targetId = ParseId(form["target"]);
        var observationId = ParseId(form["observation_record"]);
        if (targetId is null && observationId is null)
        {
            TempData["Warning"] = $"{MissingSubject} Unable to submit one or more alerts to {found.Name}.";
            return Back();
        }
        if (targetId is { } id && !await db.Targets.AnyAsync(t => t.Id == id, cancellationToken))
        {
            TempData["Warning"] = $"There is no target {id}. Unable to submit one or more alerts to {found.Name}.";
            return Back();
        }
        var extra = form.Keys.Where(k => !OwnFields.Contains(k)).ToDictionary(k => k, k => form[k].ToString(), StringComparer.Ordinal);
        UpstreamResult result;
        try
        {
            result = await found.SubmitUpstreamAlertAsync(new UpstreamSubmission(targetId, observationId, extra), cancellationToken);
        }
        catch (BrokerException e)
        {
            logger.LogWarning("Submitting to {Broker} failed: {Reason}", found.Name, e.Message);
            result = new UpstreamResult(false, e.Message);
        }
        if (result.Succeeded)
        {
            TempData["Success"] = $"Successfully submitted alerts to {found.Name}!";
        }
        else
        {
            TempData["Warning"] = $"Unable to submit one or more alerts to {found.Name}. {result.Message}";
        }
        return Back();
    }

    private static int? ParseId(string? text) => int.TryParse(text, out var id) && id > 0 ? id : null;

    /// <summary>redirect_url when it stays on this site, else the referring page when it does, else home.</summary>
    private IActionResult Back()
    {
        var requested = Request.Form["redirect_url"].ToString();
        if (!string.IsNullOrEmpty(requested) && Url.IsLocalUrl(requested))
        {
            return LocalRedirect(requested);
        }
        if (Uri.TryCreate(Request.Headers.Referer.ToString(), UriKind.Absolute, out var referer)
            && string.Equals(referer.Authority, Request.Host.Value, StringComparison.OrdinalIgnoreCase)
            && Url.IsLocalUrl(referer.PathAndQuery))
        {
            return LocalRedirect(referer.PathAndQuery);
        }
        return LocalRedirect("/");
    }
}
