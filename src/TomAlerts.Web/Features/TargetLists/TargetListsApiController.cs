using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Api;
using TomAlerts.Web.Features.Exports;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.TargetLists;

/// <summary>Target lists: a user's named groupings of targets, shared or private like saved queries.</summary>
[Route("api/v1/targetlists")]
[Tags("Target lists")]
public sealed class TargetListsApiController(SavedTargetLists lists, TargetQueries targets, TargetAccess access) : ApiControllerBase
{
    [HttpGet("")]
    [EndpointSummary("The target lists you can see, by name")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<TargetListDto>>> List(CancellationToken cancellationToken) =>
        (await lists.SummariesAsync(User, cancellationToken)).Select(TargetListDto.From).ToList();

    [HttpPost("")]
    [EndpointSummary("Create a target list")]
    [ProducesResponseType(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<ActionResult<TargetListDto>> Create(TargetListInput input, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (SavedTargetLists.CheckName(input.Name) is { } nameError)
        {
            errors["name"] = [nameError];
        }
        var visibility = SavedTargetLists.ParseVisibility(input.Visibility);
        if (visibility is null)
        {
            errors["visibility"] = ["Use shared or private."];
        }
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        var list = await lists.CreateAsync(input.Name!, visibility!.Value, User, cancellationToken);
        return CreatedAtAction(nameof(Get), new { id = list.Id }, TargetListDto.From(new TargetListSummary(list, 0, true)));
    }

    [HttpGet("{id:int}")]
    [EndpointSummary("A target list with its targets (those you can see), in the order asked")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<TargetListDetailDto>> Get(int id, string? sort = null, int page = 1, int pageSize = DefaultPageSize, CancellationToken cancellationToken = default)
    {
        var list = await lists.FindVisibleAsync(id, User, cancellationToken);
        if (list is null)
        {
            return ListNotFound(id);
        }
        if (TargetSort.Parse(sort) is not { } order)
        {
            return Invalid("sort", $"'{sort}' is not a column to sort on: use one of {string.Join(", ", TargetSort.Columns)}.");
        }
        if (CheckPaging(page, pageSize) is { } invalid)
        {
            return invalid;
        }
        var found = await targets.PageAsync(new TargetFilter(null, null, null, null) { ListId = id, Sort = order }, User, page, pageSize, clamp: false, cancellationToken);
        var summary = await lists.SummaryAsync(list, User, cancellationToken);
        var groups = await access.GroupsOfAsync([.. found.Rows.Select(r => r.Target.Id)], cancellationToken);
        return new TargetListDetailDto(TargetListDto.From(summary),
            Paged<TargetSummaryDto>.Of(found.Rows.Select(r => TargetSummaryDto.From(r.Target, null, groups[r.Target.Id])).ToList(), found.Paging));
    }

    [HttpGet("{id:int}/export")]
    [EndpointSummary("A target list's targets as CSV, JSON or VOTable")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/csv", "application/json", "application/x-votable+xml")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Export(int id, [FromServices] ExportService exports, string? sort = null, string? format = "csv", CancellationToken cancellationToken = default)
    {
        if (!TableExporter.TryParse(format, out var parsed))
        {
            return BadFormat(format);
        }
        var list = await lists.FindVisibleAsync(id, User, cancellationToken);
        return list is null ? ListNotFound(id)
            : exports.Targets(new TargetFilter(null, null, null, null) { ListId = id, Sort = TargetSort.Parse(sort) }, parsed, User, $"targetlist-{id}");
    }

    [HttpPatch("{id:int}")]
    [EndpointSummary("Rename a target list or change who sees it (its owner or an admin)")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<TargetListDto>> Update(int id, TargetListInput input, CancellationToken cancellationToken)
    {
        var (list, refusal) = await ChangeableAsync(id, cancellationToken);
        if (list is null)
        {
            return refusal!;
        }
        var errors = new Dictionary<string, string[]>();
        if (input.Name is not null && SavedTargetLists.CheckName(input.Name) is { } nameError)
        {
            errors["name"] = [nameError];
        }
        var visibility = input.Visibility is null ? list.Visibility : SavedTargetLists.ParseVisibility(input.Visibility);
        if (visibility is null)
        {
            errors["visibility"] = ["Use shared or private."];
        }
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        await lists.UpdateAsync(list, input.Name, visibility, cancellationToken);
        return TargetListDto.From(await lists.SummaryAsync(list, User, cancellationToken));
    }

    [HttpDelete("{id:int}")]
    [EndpointSummary("Delete a target list (its targets are kept)")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken)
    {
        var (list, refusal) = await ChangeableAsync(id, cancellationToken);
        if (list is null)
        {
            return refusal!;
        }
        await lists.DeleteAsync(list, cancellationToken);
        return NoContent();
    }

    [HttpPost("{id:int}/targets")]
    [EndpointSummary("Put targets in a list")]
    [EndpointDescription("Targets already in the list are left as they are; an id you cannot see is reported in notFound and nothing else changes for it.")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<MembershipDto>> AddTargets(int id, TargetIdsInput input, CancellationToken cancellationToken)
    {
        if (input.TargetIds is not { Count: > 0 })
        {
            return Invalid("targetIds", "Give at least one target id.");
        }
        if (input.TargetIds.Count > TargetsApiController.MaxAlertsPerRequest)
        {
            return Invalid("targetIds", $"At most {TargetsApiController.MaxAlertsPerRequest} targets at a time.");
        }
        var (list, refusal) = await ChangeableAsync(id, cancellationToken);
        if (list is null)
        {
            return refusal!;
        }
        var change = await lists.AddAsync(list, input.TargetIds, User, cancellationToken);
        return new MembershipDto(change.Added, change.AlreadyIn, change.NotFound);
    }

    [HttpDelete("{id:int}/targets/{targetId:int}")]
    [EndpointSummary("Take a target out of a list")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> RemoveTarget(int id, int targetId, CancellationToken cancellationToken)
    {
        var (list, refusal) = await ChangeableAsync(id, cancellationToken);
        if (list is null)
        {
            return refusal!;
        }
        return await lists.RemoveAsync(list, [targetId], User, cancellationToken) == 0
            ? NotFoundProblem($"Target {targetId} is not in the list {id}.")
            : NoContent();
    }

    private async Task<(TargetList? List, ActionResult? Refusal)> ChangeableAsync(int id, CancellationToken cancellationToken)
    {
        var list = await lists.FindVisibleAsync(id, User, cancellationToken);
        if (list is null)
        {
            return (null, ListNotFound(id));
        }
        return SavedTargetLists.CanChange(list, User)
            ? (list, null)
            : (null, Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: "Only the owner of this list (or an admin) can change it."));
    }

    private ObjectResult ListNotFound(int id) => NotFoundProblem($"There is no target list {id}.");
}

/// <summary>name: up to 100 characters. visibility: shared (default) or private.</summary>
public sealed record TargetListInput(string? Name, [property: Description("shared or private")] string? Visibility);

public sealed record TargetIdsInput(List<int>? TargetIds);

/// <summary>count: the targets of the list you can see. canChange: you own it (or are an admin).</summary>
public sealed record TargetListDto(int Id, string Name, [property: Description("shared or private")] string Visibility, string? OwnerId, DateTime Created, DateTime Modified, int Count, bool CanChange)
{
    public static TargetListDto From(TargetListSummary s) =>
        new(s.List.Id, s.List.Name, TargetListsViewModel.VisibilityName(s.List.Visibility), s.List.OwnerId, s.List.Created, s.List.Modified, s.Count, s.CanChange);
}

public sealed record TargetListDetailDto(TargetListDto List, Paged<TargetSummaryDto> Targets);

/// <summary>added: now in the list; alreadyIn: were in it; notFound: no target you can see has that id.</summary>
public sealed record MembershipDto(IReadOnlyList<int> Added, IReadOnlyList<int> AlreadyIn, IReadOnlyList<int> NotFound);
