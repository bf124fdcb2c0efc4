using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Web.Hosting;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Targets;

using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Web.Features.Upstream;

/// <summary>
/// TOM's upstream submission: sends a target to a broker that takes submissions (<see cref="ISubmitsTargets"/>).
/// GET shows the broker's form pre-filled from the target; POST (TOM's <c>target</c>, <c>redirect_url</c> and the
/// form's fields) validates it, sends it, and records the answer on the target's history, where the target page shows
/// it; names the broker gave become aliases. Then it goes back to redirect_url when local, else the referring page.
/// </summary>
public sealed class UpstreamController(AppDbContext db, TomAlerts.Web.Features.Targets.TargetAccess access, BrokerRegistry brokers, TargetNaming naming, TimeProvider time,
    ILogger<UpstreamController> logger) : Controller
{
    public const string MissingSubject = "Must provide either Target or ObservationRecord to be submitted upstream.";
    public const string SubmittedAction = "submitted";
    public const string FailedAction = "submit failed";
    /// <summary>Accepted, not processed yet (<see cref="IChecksSubmissions"/>): the target page offers to ask again.</summary>
    public const string PendingAction = "submitted, pending";

    [HttpGet("alerts/{broker}/submit/")]
    public async Task<IActionResult> Form(string broker, int? target, CancellationToken cancellationToken)
    {
        if (!brokers.TryGet(broker, out var found))
        {
            return this.ProblemPage(StatusCodes.Status404NotFound, "Broker not found", $"No broker named {broker} is configured.");
        }
        if (found is not ISubmitsTargets submits)
        {
            return this.ProblemPage(StatusCodes.Status404NotFound, "Not supported", NotSupported(found));
        }
        if (submits.SubmissionStatus is { IsConfigured: false } status)
        {
            return this.ProblemPage(StatusCodes.Status409Conflict, "Not set up for submissions",
                $"{found.Name} cannot take a submission from this portal yet. An administrator must set {string.Join(", ", status.MissingSettings)}.");
        }
        var subject = target is { } id ? await SubjectAsync(id, cancellationToken) : null;
        if (subject is null)
        {
            return this.NotFoundPage($"There is no target {target}.");
        }
        var form = await submits.GetSubmissionFormAsync(subject, cancellationToken);
        return View("Form", new SubmissionFormViewModel(found, subject, form, form.InitialValues(), new FormErrors(), RedirectUrl(subject.TargetId)));
    }

    [HttpPost("alerts/{broker}/submit/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Submit(string broker, CancellationToken cancellationToken)
    {
        if (!brokers.TryGet(broker, out var found))
        {
            return this.ProblemPage(StatusCodes.Status404NotFound, "Broker not found", $"No broker named {broker} is configured.");
        }
        var input = Request.Form;
        var targetId = int.TryParse(input["target"], out var parsed) && parsed > 0 ? parsed : (int?)null;
        if (targetId is null)
        {
            TempData["Warning"] = $"{(string.IsNullOrEmpty(input["observation_record"]) ? MissingSubject : "Only targets can be submitted.")} Unable to submit one or more alerts to {found.Name}.";
            return Back();
        }
        if (found is not ISubmitsTargets submits)
        {
            TempData["Warning"] = $"Unable to submit one or more alerts to {found.Name}. {NotSupported(found)}";
            return Back();
        }
        var subject = await SubjectAsync(targetId.Value, cancellationToken);
        if (subject is null)
        {
            TempData["Warning"] = $"There is no target {targetId}. Unable to submit one or more alerts to {found.Name}.";
            return Back();
        }

        var form = await submits.GetSubmissionFormAsync(subject, cancellationToken);
        var redirectUrl = input["redirect_url"].ToString();
        if (!form.Fields.Any(f => input.ContainsKey(f.Name)))
        {
            // A post of the target alone (TOM's submit button): the broker's form, pre-filled, for the user to complete.
            return View("Form", new SubmissionFormViewModel(found, subject, form, form.InitialValues(), new FormErrors(), redirectUrl));
        }
        var values = form.Fields.ToDictionary(f => f.Name, f => (string?)input[f.Name].ToString(), StringComparer.Ordinal);
        var cleaned = form.CleanFields(values);
        if (!cleaned.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Form", new SubmissionFormViewModel(found, subject, form, values, cleaned.Errors, redirectUrl));
        }

        SubmissionResult result;
        try
        {
            result = await submits.SubmitAsync(subject, cleaned.Parameters, cancellationToken);
        }
        catch (BrokerException e)
        {
            logger.LogWarning("Submitting target {Target} to {Broker} failed: {Reason}", subject.TargetId, found.Name, e.Message);
            result = new SubmissionResult(false, e.Message);
        }
        await RecordAsync(found.Name, subject.TargetId, result, cancellationToken);
        if (result.Succeeded)
        {
            TempData["Success"] = $"Sent to {found.Name}. {result.Message}";
        }
        else
        {
            TempData["Warning"] = $"{found.Name} did not accept the submission. {result.Message}";
        }
        return Back();
    }

    /// <summary>Asks the broker again for the outcome of a submission it had not processed (TNS's name for a report).</summary>
    [HttpPost("alerts/{broker}/submit/check/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Check(string broker, int target, string? reference, CancellationToken cancellationToken)
    {
        if (!brokers.TryGet(broker, out var found) || found is not IChecksSubmissions checks)
        {
            return this.ProblemPage(StatusCodes.Status404NotFound, "Not supported", $"{broker} cannot be asked about a submission.");
        }
        var pending = await access.CanChangeAsync(target, User, cancellationToken) && await db.TargetProvenance.AnyAsync(p => p.TargetId == target && p.Broker == found.Name && p.Action == PendingAction
                                                              && p.AlertId == (reference ?? ""), cancellationToken);
        if (!pending || string.IsNullOrEmpty(reference))
        {
            return this.NotFoundPage($"Target {target} has no pending submission {reference} to {found.Name}.");
        }
        SubmissionResult result;
        try
        {
            result = await checks.CheckSubmissionAsync(reference, cancellationToken);
        }
        catch (BrokerException e)
        {
            logger.LogWarning("Asking {Broker} about submission {Reference} failed: {Reason}", found.Name, reference, e.Message);
            TempData["Warning"] = $"{found.Name} could not be asked just now: {e.Message} Try again later.";
            return LocalRedirect(RedirectUrl(target));
        }
        if (result.Pending)
        {
            TempData["Warning"] = result.Message + " Ask again later.";
            return LocalRedirect(RedirectUrl(target));
        }
        await RecordAsync(found.Name, target, result, cancellationToken);
        TempData[result.Succeeded ? "Success" : "Warning"] = result.Message;
        return LocalRedirect(RedirectUrl(target));
    }

    private static string NotSupported(IBroker broker) => $"Submitting alerts upstream is not supported by the {broker.Name} broker.";

    private static string RedirectUrl(int targetId) => $"/targets/{targetId}/";

    private async Task<SubmissionSubject?> SubjectAsync(int id, CancellationToken cancellationToken)
    {
        // Submitting changes the target (its history, its aliases): the same rule as editing it.
        var target = await access.Changeable(User).AsNoTracking().Include(t => t.Aliases).FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (target is null)
        {
            return null;
        }
        var points = await db.Photometry.AsNoTracking().Where(p => p.TargetId == id).OrderBy(p => p.Timestamp).ToListAsync(cancellationToken);
        return new SubmissionSubject(target.Id, target.Name, target.Aliases.Select(a => a.Name).ToList(), target.Ra, target.Dec,
            points.Select(p => new PhotometryPoint
            {
                Timestamp = p.Timestamp, Bandpass = p.Bandpass, Magnitude = p.Magnitude, MagnitudeError = p.MagnitudeError, Limit = p.Limit,
                Telescope = p.Telescope, Flux = p.Flux, FluxError = p.FluxError, FluxUnit = p.FluxUnit, Kind = p.Kind, Survey = p.Survey, SourceId = p.SourceId,
            }).ToList());
    }

    /// <summary>The answer as a history row of the target, and the names the broker gave as its aliases (unless a target already has them).</summary>
    private async Task RecordAsync(string broker, int targetId, SubmissionResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        db.TargetProvenance.Add(new TargetProvenance
        {
            TargetId = targetId, Broker = broker, AlertId = Truncate(result.Reference ?? "", 200), UserId = User.UserId(), At = now,
            Action = !result.Succeeded ? FailedAction : result.Pending ? PendingAction : SubmittedAction, Note = Truncate(result.Message, 2000),
        });
        await naming.AddAliasesAsync(targetId, result.Names, broker, User.UserId(), now, cancellationToken);
    }

    private static string Truncate(string text, int length) => text.Length > length ? text[..length] : text;

    /// <summary>redirect_url when it stays on this site, else the referring page when it does, else home.</summary>
    private IActionResult Back()
    {
        if (Url.Local(Request.Form["redirect_url"].ToString()) is { } requested)
        {
            return LocalRedirect(requested);
        }
        if (Uri.TryCreate(Request.Headers.Referer.ToString(), UriKind.Absolute, out var referer)
            && string.Equals(referer.Authority, Request.Host.Value, StringComparison.OrdinalIgnoreCase)
            && Url.Local(referer.PathAndQuery) is { } back)
        {
            return LocalRedirect(back);
        }
        return LocalRedirect("/");
    }
}

public sealed record SubmissionFormViewModel(IBroker Broker, SubmissionSubject Subject, BrokerForm Form,
    IReadOnlyDictionary<string, string?> Values, FormErrors Errors, string RedirectUrl)
{
    public string? Value(string field) => Values.GetValueOrDefault(field);
}
