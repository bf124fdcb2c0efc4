using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using TomAlerts.Web.Features.Api;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Groups;

/// <summary>Groups: whose members see and change which targets. Everyone reads their own; admins manage shared groups.</summary>
[Route("api/v1/groups")]
[Tags("Groups")]
public sealed class GroupsApiController(GroupDirectory directory) : ApiControllerBase
{
    [HttpGet("")]
    [EndpointSummary("The caller's groups (an admin: every group)")]
    [EndpointDescription("isDefault: the caller's new targets go to this group unless they choose others (null in an admin's list for groups they are not in).")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<GroupListItemDto>>> List(CancellationToken cancellationToken)
    {
        var mine = await directory.MembershipsAsync(User.UserId()!, cancellationToken);
        if (!User.IsAdmin())
        {
            return mine.Select(m => new GroupListItemDto(m.Group.Id, m.Group.Name, m.Group.Personal, true, m.IsDefault)).ToList();
        }
        var defaults = mine.ToDictionary(m => m.Group.Id, m => m.IsDefault);
        return (await directory.AllAsync(cancellationToken))
            .Select(g => new GroupListItemDto(g.Id, g.Name, g.Personal, defaults.ContainsKey(g.Id), defaults.TryGetValue(g.Id, out var d) ? d : null)).ToList();
    }

    [HttpPost("")]
    [EndpointSummary("Create a shared group (admins)")]
    [ProducesResponseType(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<ActionResult<GroupDto>> Create(GroupInput input, CancellationToken cancellationToken)
    {
        if (!User.IsAdmin())
        {
            return AdminsOnly();
        }
        if (await directory.CheckNewNameAsync(input.Name, cancellationToken) is { } error)
        {
            return Invalid("name", error);
        }
        var group = await directory.CreateSharedAsync(input.Name!, cancellationToken);
        return Created($"/api/v1/groups/{group.Id}", new GroupDto(group.Id, group.Name, group.Personal));
    }

    [HttpPost("{id:int}/members")]
    [EndpointSummary("Add a user, by id or email address, to a shared group (admins)")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<IReadOnlyList<GroupMemberDto>>> AddMember(int id, MemberInput input, CancellationToken cancellationToken)
    {
        if (!User.IsAdmin())
        {
            return AdminsOnly();
        }
        var group = await directory.FindAsync(id, cancellationToken);
        if (group is null)
        {
            return NotFoundProblem($"There is no group {id}.");
        }
        if (group.Personal)
        {
            return Invalid("id", "A personal group has its owner as its only member.");
        }
        var user = await directory.FindUserAsync(input.UserId ?? input.Email);
        if (user is null)
        {
            return Invalid(input.UserId is not null ? "userId" : "email",
                input.UserId is null && input.Email is null ? "Give the userId or email of the user to add." : "There is no such user.");
        }
        await directory.AddMemberAsync(id, user.Id, cancellationToken);
        return await MembersAsync(id, cancellationToken);
    }

    [HttpDelete("{id:int}/members/{userId}")]
    [EndpointSummary("Remove a user from a shared group (admins)")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> RemoveMember(int id, string userId, CancellationToken cancellationToken)
    {
        if (!User.IsAdmin())
        {
            return AdminsOnly();
        }
        var group = await directory.FindAsync(id, cancellationToken);
        if (group is null || group.Personal)
        {
            return NotFoundProblem(group is null ? $"There is no group {id}." : "A personal group keeps its owner.");
        }
        return await directory.RemoveMemberAsync(id, userId, cancellationToken) ? NoContent() : NotFoundProblem($"User {userId} is not a member of group {id}.");
    }

    private async Task<ActionResult<IReadOnlyList<GroupMemberDto>>> MembersAsync(int id, CancellationToken cancellationToken) =>
        (await directory.MembersAsync(id, cancellationToken)).Select(m => new GroupMemberDto(m.UserId, m.Email)).ToList();

    private ObjectResult AdminsOnly() =>
        Problem(detail: "Only admins manage groups.", statusCode: StatusCodes.Status403Forbidden, title: "Not allowed");
}

/// <summary>A group as target items carry it.</summary>
public sealed record GroupDto(int Id, string Name, [property: Description("A user's own group")] bool Personal)
{
    public static IReadOnlyList<GroupDto> From(IEnumerable<GroupRef> groups) => [.. groups.Select(g => new GroupDto(g.Id, g.Name, g.Personal))];
}

/// <summary>member: the caller belongs to it; isDefault: the caller's new targets go to it (null when not a member).</summary>
public sealed record GroupListItemDto(int Id, string Name, bool Personal, bool Member, bool? IsDefault);

public sealed record GroupMemberDto(string UserId, string Email);

/// <summary>The name of a new shared group.</summary>
public sealed record GroupInput(string? Name);

/// <summary>The user to add: userId, or their email address.</summary>
public sealed record MemberInput(string? UserId, string? Email);
