using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Queries;
using TomAlerts.Web.Hosting;
using TomAlerts.Web.Features.Api;
using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Web.Features.Queries;

/// <summary>Saved queries, with the query pages' rules: the broker's form validates, private queries of others do not exist.</summary>
[Route("api/v1/queries")]
[Tags("Queries")]
public sealed class QueriesApiController(AppDbContext db, BrokerRegistry brokers, SavedQueries savedQueries) : ApiControllerBase
{
    [HttpGet("")]
    [EndpointSummary("Saved queries you can see, newest first")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<Paged<QueryDto>>> List(string? broker, string? name, int page = 1, int pageSize = DefaultPageSize, CancellationToken cancellationToken = default)
    {
        if (CheckPaging(page, pageSize) is { } invalid)
        {
            return invalid;
        }
        var queries = SavedQueries.Filter(SavedQueries.VisibleTo(db.BrokerQueries.AsNoTracking(), User), broker, name);
        var paging = new Paging(page, pageSize, await queries.CountAsync(cancellationToken));
        var rows = await queries.OrderByDescending(q => q.Created).ThenByDescending(q => q.Id)
            .Skip(paging.Skip).Take(pageSize).ToListAsync(cancellationToken);
        return Paged<QueryDto>.Of(rows.Select(ToDto).ToList(), paging);
    }

    [HttpPost("")]
    [EndpointSummary("Save a query")]
    [EndpointDescription("parameters takes the keys of the broker's form (GET /api/v1/brokers); a key the form does not have is refused. visibility: shared (default) or private.")]
    [ProducesResponseType<QueryDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<QueryDto>> Create(QueryInput input, CancellationToken cancellationToken)
    {
        var (query, problem) = await SaveAsync(input, null, cancellationToken);
        return query is null ? problem! : Created($"/api/v1/queries/{query.Id}", ToDto(query));
    }

    [HttpGet("{id:int}")]
    [EndpointSummary("One saved query")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<QueryDto>> Get(int id, CancellationToken cancellationToken) =>
        await savedQueries.FindVisibleAsync(id, User, cancellationToken) is { } query ? ToDto(query) : QueryNotFound(id);

    [HttpPut("{id:int}")]
    [EndpointSummary("Replace a saved query's name, parameters and visibility")]
    [EndpointDescription("As the edit form: parameters not given become empty. The broker cannot change. Only the owner or an admin may change a query.")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<QueryDto>> Update(int id, QueryInput input, CancellationToken cancellationToken)
    {
        var existing = await savedQueries.FindVisibleAsync(id, User, cancellationToken);
        if (existing is null)
        {
            return QueryNotFound(id);
        }
        if (!SavedQueries.CanEdit(existing, User))
        {
            return NotYours();
        }
        var (query, problem) = await SaveAsync(input, existing, cancellationToken);
        return query is null ? problem! : ToDto(query);
    }

    [HttpPost("{id:int}/copy")]
    [EndpointSummary("Copy a query you can see to your own queries")]
    [EndpointDescription("The copy is private, named \"Copy of <name>\", with the same broker and parameters; no schedule, notifications or webhook.")]
    [ProducesResponseType<QueryDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<QueryDto>> Copy(int id, CancellationToken cancellationToken)
    {
        var query = await savedQueries.FindVisibleAsync(id, User, cancellationToken);
        if (query is null)
        {
            return QueryNotFound(id);
        }
        if (!brokers.TryGet(query.Broker, out var broker) || broker.IsStub)
        {
            return Invalid("broker", $"TomAlerts cannot fetch alerts from {query.Broker}, so its queries cannot be copied.");
        }
        var copy = await savedQueries.CopyAsync(query, User.UserId(), cancellationToken);
        return Created($"/api/v1/queries/{copy.Id}", ToDto(copy));
    }

    [HttpDelete("{id:int}")]
    [EndpointSummary("Delete a saved query and its runs")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken)
    {
        var query = await savedQueries.FindVisibleAsync(id, User, cancellationToken);
        if (query is null)
        {
            return QueryNotFound(id);
        }
        if (!SavedQueries.CanEdit(query, User))
        {
            return NotYours();
        }
        await savedQueries.DeleteAsync(query, cancellationToken);
        return NoContent();
    }

    private async Task<(BrokerQuery? Query, ActionResult? Problem)> SaveAsync(QueryInput input, BrokerQuery? existing, CancellationToken cancellationToken)
    {
        if (existing is not null && !string.IsNullOrWhiteSpace(input.Broker) && !string.Equals(input.Broker, existing.Broker, StringComparison.OrdinalIgnoreCase))
        {
            return (null, Invalid("broker", $"This query belongs to the {existing.Broker} broker; it cannot become a {input.Broker} query."));
        }
        var brokerName = existing?.Broker ?? input.Broker;
        if (!brokers.TryGet(brokerName, out var broker))
        {
            return (null, Invalid("broker", (string.IsNullOrWhiteSpace(brokerName) ? "Name a broker" : $"No broker named {brokerName} is configured")
                + $": one of {string.Join(", ", brokers.Names)}."));
        }

        var form = await broker.GetFormAsync(cancellationToken);
        var parameters = (input.Parameters ?? [])
            .Where(p => p.Key is not (BrokerForm.QueryNameField or BrokerForm.BrokerField)) // as GET shows them, so a query can be sent back
            .ToList();
        // Stricter than the page: page-only keys (visibility, the antiforgery token) are not parameters either.
        var unknown = parameters.Select(p => p.Key).Where(k => form.Field(k) is null).ToList();
        if (unknown.Count > 0)
        {
            return (null, Invalid(unknown.ToDictionary(k => $"parameters.{k}", k => new[] { $"The {broker.Name} form has no field named {k}." }),
                $"Unknown parameters: {string.Join(", ", unknown)}. Nothing was saved."));
        }
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            if (TryText(value, out var text))
            {
                values[key] = text;
            }
            else
            {
                errors[$"parameters.{key}"] = ["Give a string, a number, true, false or null."];
            }
        }
        if (errors.Count > 0)
        {
            return (null, Invalid(errors));
        }
        values[BrokerForm.QueryNameField] = input.Name;
        values[BrokerForm.BrokerField] = broker.Name;
        values[QueryFormInput.VisibilityField] = input.Visibility ?? existing?.Visibility.ToString();

        var submission = SavedQueries.Check(broker, form, values);
        if (broker.IsStub)
        {
            return (null, Invalid("broker", submission.Refusal!));
        }
        if (submission.Refusal is { } refusal)
        {
            return (null, Invalid("visibility", refusal));
        }
        if (!submission.IsValid)
        {
            return (null, Invalid(submission.Result!.Errors.ToDictionary().ToDictionary(e => ApiField(e.Key), e => e.Value),
                "The query is not valid. Nothing was saved."));
        }
        return (await savedQueries.SaveAsync(broker, existing, submission, User.UserId(), null, cancellationToken), null);
    }

    /// <summary>The form's error keys as the request names them: the query name is "name", fields are under "parameters".</summary>
    private static string ApiField(string formField) => formField switch
    {
        BrokerForm.QueryNameField => "name",
        FormErrors.FormWide => "parameters",
        _ => $"parameters.{formField}",
    };

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

    private QueryDto ToDto(BrokerQuery query)
    {
        var parameters = query.ReadParameters() ?? [];
        parameters.Remove(BrokerForm.QueryNameField);
        parameters.Remove(BrokerForm.BrokerField);
        return new QueryDto(query.Id, query.Name, query.Broker, query.Visibility.ToString().ToLowerInvariant(), SavedQueries.CanEdit(query, User),
            query.Created, query.Modified, query.LastRun, parameters);
    }

    private ObjectResult QueryNotFound(int id) => NotFoundProblem($"There is no saved query {id} that you can see.");

    private ObjectResult NotYours() => Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed",
        detail: "This shared query is not yours: only its owner or an admin can change it.");
}

/// <summary>
/// A query to save. parameters: the broker form's keys and their values (strings, numbers, booleans or null). A property
/// not listed here (a schedule, say, which is set on the query's page) is refused rather than silently dropped.
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record QueryInput(
    string? Name,
    [property: Description("A broker name from GET /api/v1/brokers; on PUT it may be left out")] string? Broker,
    [property: Description("The broker form's field names and their values: strings, numbers, true/false or null")] Dictionary<string, JsonElement>? Parameters,
    [property: Description("shared (the default) or private")] string? Visibility);

/// <summary>A saved query. visibility: shared or private; parameters: the cleaned form, every field present (null when empty).</summary>
public sealed record QueryDto(int Id, string Name, string Broker, [property: Description("shared or private")] string Visibility, bool CanEdit, DateTime Created, DateTime Modified, DateTime? LastRun, JsonObject Parameters);
