using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using TomAlerts.Streams;
using TomAlerts.Web.Features.Api;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Streams;

/// <summary>Stream subscriptions, with the Streams pages' rules: private subscriptions of others do not exist, credentials are never shown.</summary>
[Route("api/v1/streams")]
[Tags("Streams")]
public sealed class StreamsApiController(StreamSubscriptions subscriptions) : ApiControllerBase
{
    private const int LatestDeadLetters = 10;

    [HttpGet("")]
    [EndpointSummary("Stream subscriptions you can see, newest first")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<StreamDto>>> List(CancellationToken cancellationToken)
    {
        var rows = await subscriptions.ListVisibleAsync(User, cancellationToken);
        var result = new List<StreamDto>(rows.Count);
        foreach (var row in rows)
        {
            result.Add(await ToDtoAsync(row, cancellationToken));
        }
        return result;
    }

    [HttpPost("")]
    [EndpointSummary("Subscribe to a source's Kafka topics")]
    [EndpointDescription("source: Lasair, Fink, Antares, Hopskotch, Gcn or Kafka (then broker names the broker whose alert shape the messages have). "
        + "filter takes the broker's query-form fields (GET /api/v1/brokers), applied to each message. Started at once unless start is false; "
        + "status then says what the source still lacks (credentials, servers). credentials are kept protected and never shown again. "
        + "The alerts land in a stream run per day (runId), read like any run's: GET /api/v1/runs/{runId}/alerts.")]
    [ProducesResponseType<StreamCreatedDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<StreamCreatedDto>> Create(StreamInputDto input, CancellationToken cancellationToken)
    {
        if (ToInput(input, out var badFilter) is not { } given)
        {
            return Invalid(badFilter);
        }
        var saved = await subscriptions.CreateAsync(given, User.UserId(), cancellationToken);
        if (saved.Subscription is not { } subscription)
        {
            return Invalid(saved.Errors.ToDictionary(e => e.Key, e => e.Value), "The subscription is not valid. Nothing was saved.");
        }
        return Created($"/api/v1/streams/{subscription.Id}", new StreamCreatedDto(subscription.Id, StatusName(subscription.State), subscription.StateMessage, subscription.CurrentRunId));
    }

    [HttpPut("{id:int}")]
    [EndpointSummary("Change a subscription")]
    [EndpointDescription("The same body as POST, checked the same way; the source (and a Kafka source's broker) cannot change. Credentials and the webhook "
        + "secret left out keep the saved ones; forgetCredentials drops your own. start is ignored: use /start and /stop. A running consumer restarts "
        + "with the new topics, credentials and filter, from the committed offsets (the consumer group stays). Only the owner or an admin may change it.")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<StreamDto>> Update(int id, StreamInputDto input, CancellationToken cancellationToken)
    {
        var (subscription, problem) = await ChangeableAsync(id, cancellationToken);
        if (subscription is null)
        {
            return problem!;
        }
        if (ToInput(input, out var badFilter) is not { } given)
        {
            return Invalid(badFilter);
        }
        var saved = await subscriptions.UpdateAsync(subscription, given, input.ForgetCredentials ?? false, cancellationToken);
        if (saved.Subscription is null)
        {
            return Invalid(saved.Errors.ToDictionary(e => e.Key, e => e.Value), "The subscription is not valid. Nothing was changed.");
        }
        return await ToDtoAsync(subscription, cancellationToken);
    }

    [HttpGet("{id:int}")]
    [EndpointSummary("One stream subscription: its status, counts, current stream run and dead letters")]
    [EndpointDescription("status: stopped, starting, consuming or failing (statusMessage says why). lag: messages on the topics not yet consumed; "
        + "throughput: messages a second. deadLetters: messages that could not be read, with the reason (count, and the latest few).")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<StreamDto>> Get(int id, CancellationToken cancellationToken) =>
        await subscriptions.FindVisibleAsync(id, User, cancellationToken) is { } subscription
            ? await ToDtoAsync(subscription, cancellationToken)
            : StreamNotFound(id);

    [HttpPost("{id:int}/start")]
    [EndpointSummary("Start consuming a subscription")]
    [EndpointDescription("Saved even when the source lacks something; status is then failing and statusMessage says what is missing. Only the owner or an admin may start it.")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<StreamDto>> Start(int id, CancellationToken cancellationToken)
    {
        var (subscription, problem) = await ChangeableAsync(id, cancellationToken);
        if (subscription is null)
        {
            return problem!;
        }
        await subscriptions.StartAsync(subscription, cancellationToken);
        return await ToDtoAsync(subscription, cancellationToken);
    }

    [HttpPost("{id:int}/stop")]
    [EndpointSummary("Stop consuming a subscription")]
    [EndpointDescription("Its stream run is closed; committed offsets are kept, so starting it again resumes where it stopped.")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<StreamDto>> Stop(int id, CancellationToken cancellationToken)
    {
        var (subscription, problem) = await ChangeableAsync(id, cancellationToken);
        if (subscription is null)
        {
            return problem!;
        }
        await subscriptions.StopAsync(subscription, cancellationToken);
        return await ToDtoAsync(subscription, cancellationToken);
    }

    [HttpDelete("{id:int}")]
    [EndpointSummary("Delete a subscription with its stream runs and dead letters")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken)
    {
        var (subscription, problem) = await ChangeableAsync(id, cancellationToken);
        if (subscription is null)
        {
            return problem!;
        }
        await subscriptions.DeleteAsync(subscription, cancellationToken);
        return NoContent();
    }

    public static string StatusName(StreamState state) => state.ToString().ToLowerInvariant();

    private async Task<(StreamSubscription? Subscription, ActionResult? Problem)> ChangeableAsync(int id, CancellationToken cancellationToken)
    {
        var subscription = await subscriptions.FindVisibleAsync(id, User, cancellationToken);
        if (subscription is null)
        {
            return (null, StreamNotFound(id));
        }
        return StreamSubscriptions.CanChange(subscription, User)
            ? (subscription, null)
            : (null, Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed",
                detail: "This shared subscription is not yours: only its owner or an admin can change, start, stop or delete it."));
    }

    private async Task<StreamDto> ToDtoAsync(StreamSubscription s, CancellationToken cancellationToken)
    {
        var (count, latest) = await subscriptions.DeadLettersAsync(s.Id, LatestDeadLetters, cancellationToken);
        return new StreamDto(s.Id, s.Name, s.Source.ToString(), s.Query?.Broker, s.TopicList, s.Visibility.ToString().ToLowerInvariant(),
            StreamSubscriptions.CanChange(s, User), s.Enabled, StatusName(s.State), s.StateMessage, s.MessagesConsumed, s.Lag, s.Throughput, s.LastMessageAt,
            s.CurrentRunId, s.ProtectedCredentials is not null, s.Created,
            new DeadLettersDto(count, [.. latest.Select(l => new DeadLetterDto(l.Topic, l.Partition, l.Offset, l.Reason, l.Received))]));
    }

    /// <summary>The body as the service takes it; null with the messages when a filter value is not a plain one.</summary>
    private static StreamInput? ToInput(StreamInputDto input, out Dictionary<string, string[]> badFilter)
    {
        var filter = new Dictionary<string, string?>(StringComparer.Ordinal);
        badFilter = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, value) in input.Filter ?? [])
        {
            if (TryText(value, out var text))
            {
                filter[key] = text;
            }
            else
            {
                badFilter[$"filter.{key}"] = ["Give a string, a number, true, false or null."];
            }
        }
        if (badFilter.Count > 0)
        {
            return null;
        }
        var credentials = input.Credentials is { } c ? new StreamCredentials(c.Username, c.Password, c.ClientId, c.ClientSecret) : null;
        return new StreamInput(input.Name, input.Source, input.Topics, input.Broker, filter, input.Visibility,
            input.AutoCreateTargets ?? false, input.NotifyEmail ?? false, input.WebhookUrl, input.WebhookSecret, credentials, input.Start ?? true);
    }

    private ObjectResult StreamNotFound(int id) => NotFoundProblem($"There is no stream subscription {id} that you can see.");

    private static bool TryText(JsonElement value, out string? text)
    {
        (var ok, text) = value.ValueKind switch
        {
            JsonValueKind.String => (true, value.GetString()),
            JsonValueKind.Number => (true, value.GetRawText()),
            JsonValueKind.True => (true, "true"),
            JsonValueKind.False => (true, "false"),
            JsonValueKind.Null or JsonValueKind.Undefined => (true, null),
            _ => (false, null),
        };
        return ok;
    }
}

/// <summary>A subscription to save. A property not listed here is refused rather than silently dropped.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record StreamInputDto(
    string? Name,
    [property: Description("Lasair, Fink, Antares, Hopskotch, Gcn or Kafka")] string? Source,
    [property: Description("The Kafka topics, e.g. lasair_42my_filter, fink_early_sn_candidates_ztf, igwn.gwalert")] IReadOnlyList<string>? Topics,
    [property: Description("The broker form's field names and their values, applied to each message")] Dictionary<string, JsonElement>? Filter = null,
    [property: Description("shared (the default) or private")] string? Visibility = null,
    [property: Description("For a Kafka source: the broker whose alert shape the messages have")] string? Broker = null,
    bool? AutoCreateTargets = null,
    bool? NotifyEmail = null,
    string? WebhookUrl = null,
    string? WebhookSecret = null,
    [property: Description("Your own credentials for the source; without them the configured STREAMS:<SOURCE> ones are used")] StreamCredentialsDto? Credentials = null,
    [property: Description("Start consuming at once (default true); on PUT ignored")] bool? Start = null,
    [property: Description("On PUT: forget your own credentials and use the configured STREAMS:<SOURCE> ones")] bool? ForgetCredentials = null);

[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record StreamCredentialsDto(string? Username = null, string? Password = null, string? ClientId = null, string? ClientSecret = null);

public sealed record StreamCreatedDto(int Id, [property: Description("stopped, starting, consuming or failing")] string Status, string? StatusMessage, long? RunId);

/// <summary>A subscription as the API shows it; its credentials never, only whether it has its own.</summary>
public sealed record StreamDto(int Id, string Name, string Source, string? Broker, IReadOnlyList<string> Topics, string Visibility, bool CanChange, bool Enabled,
    [property: Description("stopped, starting, consuming or failing")] string Status, string? StatusMessage, long MessagesConsumed, long? Lag,
    [property: Description("Messages a second")] double? Throughput, DateTime? LastMessageAt,
    [property: Description("The stream run alerts are appended to now")] long? RunId, bool OwnCredentials, DateTime Created, DeadLettersDto DeadLetters);

public sealed record DeadLettersDto(int Count, IReadOnlyList<DeadLetterDto> Latest);

public sealed record DeadLetterDto(string Topic, int Partition, long Offset, string Reason, DateTime Received);
