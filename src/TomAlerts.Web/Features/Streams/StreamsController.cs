using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Streams;
using TomAlerts.Web.Features.Schedules;
using TomAlerts.Web.Features.Shared;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Streams;

/// <summary>Stream subscriptions: list, create, edit, details with dead letters, start, stop and delete.</summary>
[Route("streams")]
public sealed class StreamsController(StreamSubscriptions subscriptions, BrokerRegistry brokers, QuerySchedules schedules, AppDbContext db) : Controller
{
    public const string FilterPrefix = "filter.";
    private const int LatestDeadLetters = 50;

    [HttpGet("")]
    public async Task<IActionResult> List(CancellationToken cancellationToken)
    {
        var rows = await subscriptions.ListVisibleAsync(User, cancellationToken);
        return View(new StreamListViewModel(rows, await subscriptions.OwnerNamesAsync(rows, cancellationToken), User));
    }

    [HttpGet("create/")]
    public async Task<IActionResult> Create(string? source, string? broker, CancellationToken cancellationToken)
    {
        if (StreamSubscriptions.ParseSource(source) is not { } chosen)
        {
            return View("Choose", new StreamChooseViewModel(
                [.. StreamSourceInfo.All.Select(i => (i, subscriptions.Missing(i.Source, [], null)))], brokers.Names.Where(n => brokers.TryGet(n, out var b) && !b.IsStub).ToList()));
        }
        var model = await FormAsync(chosen, broker, new Dictionary<string, string?> { ["visibility"] = "Shared", ["start"] = "true" }, new Dictionary<string, string[]>(), null, cancellationToken);
        return model is null ? SourceBrokerProblem(chosen, broker) : View("Form", model);
    }

    [HttpPost("create/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> CreatePost(CancellationToken cancellationToken)
    {
        var (input, values) = ReadForm();
        var saved = await subscriptions.CreateAsync(input, User.UserId(), cancellationToken);
        if (saved.Subscription is { } subscription)
        {
            TempData[subscription.State == StreamState.Failing ? "Warning" : "Success"] = subscription.State == StreamState.Failing
                ? $"Saved the subscription \"{subscription.Name}\". {subscription.StateMessage}"
                : $"Saved the subscription \"{subscription.Name}\".";
            return Redirect("/streams/");
        }
        var source = StreamSubscriptions.ParseSource(input.Source);
        var model = source is { } s ? await FormAsync(s, input.Broker, values, saved.Errors, null, cancellationToken) : null;
        if (model is null)
        {
            return this.ProblemPage(StatusCodes.Status400BadRequest, "The form could not be saved",
                string.Join(" ", saved.Errors.SelectMany(e => e.Value)), "/streams/create/", "Choose a source");
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Form", model);
    }

    [HttpGet("{id:int}/update/")]
    public async Task<IActionResult> Update(int id, CancellationToken cancellationToken)
    {
        if (await ChangeableAsync(id, cancellationToken) is not { } subscription)
        {
            return StreamNotFound(id);
        }
        var query = subscription.Query!;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["name"] = subscription.Name, ["topics"] = subscription.Topics, ["visibility"] = subscription.Visibility.ToString(),
            ["autoCreateTargets"] = query.AutoCreateTargets ? "true" : null, ["notifyEmail"] = query.NotifyEmail ? "true" : null, ["webhookUrl"] = query.WebhookUrl,
        };
        if (query.ReadParameters() is { } parameters)
        {
            foreach (var (field, value) in BrokerForm.ToInput(parameters))
            {
                values[FilterPrefix + field] = value;
            }
        }
        var model = await FormAsync(subscription.Source, query.Broker, values, new Dictionary<string, string[]>(), subscription, cancellationToken);
        return model is null ? SourceBrokerProblem(subscription.Source, query.Broker) : View("Form", model);
    }

    [HttpPost("{id:int}/update/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> UpdatePost(int id, CancellationToken cancellationToken)
    {
        if (await ChangeableAsync(id, cancellationToken) is not { } subscription)
        {
            return StreamNotFound(id);
        }
        var (input, values) = ReadForm();
        input = input with { Source = subscription.Source.ToString(), Broker = subscription.Query!.Broker };
        var forget = values.GetValueOrDefault("forgetCredentials") is "true" or "on";
        var saved = await subscriptions.UpdateAsync(subscription, input, forget, cancellationToken);
        if (saved.Subscription is not null)
        {
            TempData[subscription.State == StreamState.Failing ? "Warning" : "Success"] = subscription.State == StreamState.Failing
                ? $"Saved the subscription \"{subscription.Name}\". {subscription.StateMessage}"
                : $"Saved the subscription \"{subscription.Name}\".";
            return Redirect($"/streams/{id}/");
        }
        var model = await FormAsync(subscription.Source, subscription.Query.Broker, values, saved.Errors, subscription, cancellationToken);
        if (model is null)
        {
            return SourceBrokerProblem(subscription.Source, subscription.Query.Broker);
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Form", model);
    }

    /// <summary>The posted form as a submission, and the values to show again (never the secrets).</summary>
    private (StreamInput Input, Dictionary<string, string?> Values) ReadForm()
    {
        var form = Request.Form;
        string? Text(string key) => form.TryGetValue(key, out var value) ? value.ToString() : null;
        bool Checked(string key) => Text(key) is "true" or "on" or "True";
        var values = form.Keys.Where(k => k != "__RequestVerificationToken" && !k.StartsWith("credentials.", StringComparison.Ordinal) && k != "webhookSecret")
            .ToDictionary(k => k, k => Text(k), StringComparer.Ordinal);
        var filter = form.Keys.Where(k => k.StartsWith(FilterPrefix, StringComparison.Ordinal))
            .ToDictionary(k => k[FilterPrefix.Length..], k => Text(k), StringComparer.Ordinal);
        var input = new StreamInput(Text("name"), Text("source"), [Text("topics") ?? ""], Text("broker"), filter, Text("visibility"),
            Checked("autoCreateTargets"), Checked("notifyEmail"), Text("webhookUrl"), Text("webhookSecret"),
            new StreamCredentials(Text("credentials.username"), Text("credentials.password"), Text("credentials.clientId"), Text("credentials.clientSecret")),
            Checked("start"));
        return (input, values);
    }

    [HttpGet("{id:int}/")]
    public async Task<IActionResult> Details(int id, CancellationToken cancellationToken)
    {
        if (await subscriptions.FindVisibleAsync(id, User, cancellationToken) is not { } subscription)
        {
            return StreamNotFound(id);
        }
        var (count, latest) = await subscriptions.DeadLettersAsync(id, LatestDeadLetters, cancellationToken);
        var runs = await db.QueryRuns.AsNoTracking().Where(r => r.BrokerQueryId == subscription.BrokerQueryId).OrderByDescending(r => r.Id).Take(10).ToListAsync(cancellationToken);
        var owners = await subscriptions.OwnerNamesAsync([subscription], cancellationToken);
        return View(new StreamDetailsViewModel(subscription, StreamSubscriptions.CanChange(subscription, User), count, latest, runs,
            subscription.OwnerId is { } owner ? owners.GetValueOrDefault(owner) : null, subscriptions.Missing(subscription)));
    }

    [HttpPost("{id:int}/start/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Start(int id, string? back, CancellationToken cancellationToken)
    {
        if (await ChangeableAsync(id, cancellationToken) is not { } subscription)
        {
            return StreamNotFound(id);
        }
        var missing = await subscriptions.StartAsync(subscription, cancellationToken);
        TempData[missing.Count > 0 ? "Warning" : "Success"] = missing.Count > 0
            ? $"Started \"{subscription.Name}\". {StreamSubscriptions.MissingMessage(subscription.Source, missing)}"
            : $"Started \"{subscription.Name}\".";
        return Redirect(Url.Local(back) ?? "/streams/");
    }

    [HttpPost("{id:int}/stop/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Stop(int id, string? back, CancellationToken cancellationToken)
    {
        if (await ChangeableAsync(id, cancellationToken) is not { } subscription)
        {
            return StreamNotFound(id);
        }
        await subscriptions.StopAsync(subscription, cancellationToken);
        TempData["Success"] = $"Stopped \"{subscription.Name}\".";
        return Redirect(Url.Local(back) ?? "/streams/");
    }

    [HttpGet("{id:int}/delete/")]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken) =>
        await ChangeableAsync(id, cancellationToken) is { } subscription ? View(subscription) : StreamNotFound(id);

    [HttpPost("{id:int}/delete/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> DeletePost(int id, CancellationToken cancellationToken)
    {
        if (await ChangeableAsync(id, cancellationToken) is not { } subscription)
        {
            return StreamNotFound(id);
        }
        await subscriptions.DeleteAsync(subscription, cancellationToken);
        TempData["Success"] = $"Deleted the subscription \"{subscription.Name}\".";
        return Redirect("/streams/");
    }

    /// <summary>The form for <paramref name="source"/>, with the broker's fields as the local filter; null when the broker is not installed.</summary>
    private async Task<StreamFormViewModel?> FormAsync(StreamSource source, string? brokerName, IReadOnlyDictionary<string, string?> values,
        IReadOnlyDictionary<string, string[]> errors, StreamSubscription? editing, CancellationToken cancellationToken)
    {
        var fixedBroker = subscriptions.BrokerOf(source);
        if (!brokers.TryGet(fixedBroker ?? brokerName, out var broker) || broker.IsStub)
        {
            return null;
        }
        var form = await broker.GetFormAsync(cancellationToken);
        return new StreamFormViewModel
        {
            Info = StreamSourceInfo.For(source), Broker = broker, BrokerForm = form, BrokerIsChosen = fixedBroker is null, Values = values, Errors = errors,
            Missing = editing is null ? subscriptions.Missing(source, [], null) : subscriptions.Missing(editing), EmailAvailable = schedules.FieldsFor(null).EmailAvailable,
            Filters = broker is IFiltersAlerts, Editing = editing,
            HasOwnCredentials = editing?.ProtectedCredentials is not null, HasWebhookSecret = editing?.Query?.WebhookSecret is not null,
        };
    }

    private async Task<StreamSubscription?> ChangeableAsync(int id, CancellationToken cancellationToken) =>
        await subscriptions.FindVisibleAsync(id, User, cancellationToken) is { } subscription && StreamSubscriptions.CanChange(subscription, User) ? subscription : null;

    private ViewResult StreamNotFound(int id) =>
        this.ProblemPage(StatusCodes.Status404NotFound, "Subscription not found", $"There is no stream subscription {id} that you can see or change.",
            "/streams/", "Back to the streams");

    private ViewResult SourceBrokerProblem(StreamSource source, string? broker) =>
        this.ProblemPage(StatusCodes.Status404NotFound, "Broker not found",
            subscriptions.BrokerOf(source) is { } fixedBroker
                ? $"The {fixedBroker} broker, whose alerts a {source} stream sends, is not installed here."
                : string.IsNullOrWhiteSpace(broker) ? "Choose the broker whose alert shape the messages have." : $"No broker named {broker} is configured.",
            "/streams/create/", "Choose a source");
}

public sealed record StreamListViewModel(IReadOnlyList<StreamSubscription> Rows, IReadOnlyDictionary<string, string> Owners, System.Security.Claims.ClaimsPrincipal User)
{
    public bool CanChange(StreamSubscription subscription) => StreamSubscriptions.CanChange(subscription, User);

    public string Owner(StreamSubscription subscription) => subscription.OwnerId is { } id ? Owners.GetValueOrDefault(id) ?? "—" : "—";
}

public sealed record StreamChooseViewModel(IReadOnlyList<(StreamSourceInfo Info, IReadOnlyList<string> Missing)> Sources, IReadOnlyList<string> Brokers);

public sealed class StreamFormViewModel
{
    public required StreamSourceInfo Info { get; init; }
    public required IBroker Broker { get; init; }
    public required BrokerForm BrokerForm { get; init; }
    /// <summary>The source sends any broker's alerts (generic Kafka): the broker was chosen with it.</summary>
    public bool BrokerIsChosen { get; init; }
    /// <summary>The broker can apply its form's fields to each message.</summary>
    public bool Filters { get; init; }
    public required IReadOnlyDictionary<string, string?> Values { get; init; }
    public required IReadOnlyDictionary<string, string[]> Errors { get; init; }
    public required IReadOnlyList<string> Missing { get; init; }
    public bool EmailAvailable { get; init; }
    /// <summary>The subscription being edited; null on the new-subscription form.</summary>
    public StreamSubscription? Editing { get; init; }
    /// <summary>The edited subscription has its subscriber's own credentials saved (never shown).</summary>
    public bool HasOwnCredentials { get; init; }
    /// <summary>The edited subscription's webhook has a secret saved (never shown).</summary>
    public bool HasWebhookSecret { get; init; }

    public string? Value(string field) => Values.GetValueOrDefault(field);

    public bool Checked(string field) => Value(field) is "true" or "on" or "True";

    public IReadOnlyList<string> ErrorsFor(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];

    public string Invalid(string field) => Errors.ContainsKey(field) ? " is-invalid" : "";

    /// <summary>The broker form's errors that belong to no field of the page (form-wide filter rules and the like).</summary>
    public IReadOnlyList<string> FilterErrors => ErrorsFor("filter");
}

public sealed record StreamDetailsViewModel(StreamSubscription Subscription, bool CanChange, int DeadLetterCount, IReadOnlyList<StreamDeadLetter> DeadLetters,
    IReadOnlyList<QueryRun> Runs, string? Owner, IReadOnlyList<string> Missing);
