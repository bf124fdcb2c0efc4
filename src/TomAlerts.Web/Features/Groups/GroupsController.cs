using Microsoft.AspNetCore.Mvc;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Groups;

public sealed record GroupWithMembers(GroupRef Group, IReadOnlyList<(string UserId, string Email)> Members);

public sealed record GroupsViewModel(IReadOnlyList<GroupWithMembers> Shared, int PersonalCount, string? NameError, string? Name);

public sealed record MyGroupsViewModel(IReadOnlyList<(GroupRef Group, bool IsDefault)> Groups);

/// <summary>The groups pages: admins create shared groups and manage their members; everyone picks their default groups.</summary>
[Route("groups")]
public sealed class GroupsController(GroupDirectory directory) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        User.IsAdmin() ? await ManageAsync(null, null, cancellationToken) : AdminsOnly();

    [HttpPost("")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Create(string? name, CancellationToken cancellationToken)
    {
        if (!User.IsAdmin())
        {
            return AdminsOnly();
        }
        if (await directory.CheckNewNameAsync(name, cancellationToken) is { } error)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await ManageAsync(error, name, cancellationToken);
        }
        var group = await directory.CreateSharedAsync(name!, cancellationToken);
        TempData["Success"] = $"Created the group {group.Name}.";
        return Redirect("/groups/");
    }

    [HttpPost("{id:int}/members/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> AddMember(int id, string? email, CancellationToken cancellationToken)
    {
        if (!User.IsAdmin())
        {
            return AdminsOnly();
        }
        if (await directory.FindAsync(id, cancellationToken) is not { Personal: false } group)
        {
            return this.NotFoundPage($"There is no shared group {id}.");
        }
        var user = await directory.FindUserAsync(email);
        if (user is null)
        {
            TempData["Warning"] = string.IsNullOrWhiteSpace(email) ? "Give the email address of the user to add." : $"There is no user {email}.";
        }
        else
        {
            await directory.AddMemberAsync(id, user.Id, cancellationToken);
            TempData["Success"] = $"Added {user.Email} to {group.Name}.";
        }
        return Redirect("/groups/");
    }

    [HttpPost("{id:int}/members/{userId}/remove/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> RemoveMember(int id, string userId, CancellationToken cancellationToken)
    {
        if (!User.IsAdmin())
        {
            return AdminsOnly();
        }
        if (await directory.FindAsync(id, cancellationToken) is not { Personal: false } group || !await directory.RemoveMemberAsync(id, userId, cancellationToken))
        {
            return this.NotFoundPage($"There is no such member of a shared group {id}.");
        }
        TempData["Success"] = $"Removed the member from {group.Name}.";
        return Redirect("/groups/");
    }

    [HttpGet("mine/")]
    public async Task<IActionResult> Mine(CancellationToken cancellationToken) =>
        View("/Features/Groups/Views/Mine.cshtml", new MyGroupsViewModel(await directory.MembershipsAsync(User.UserId()!, cancellationToken)));

    /// <summary>The user's default groups: where their new targets go unless they choose others.</summary>
    [HttpPost("mine/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> SetDefaults(int[]? defaults, CancellationToken cancellationToken)
    {
        if (await directory.SetDefaultsAsync(User.UserId()!, defaults ?? [], cancellationToken))
        {
            TempData["Success"] = "Your default groups were saved.";
        }
        else
        {
            TempData["Warning"] = "Choose at least one of your groups for your new targets.";
        }
        return Redirect("/groups/mine/");
    }

    private async Task<IActionResult> ManageAsync(string? nameError, string? name, CancellationToken cancellationToken)
    {
        var all = await directory.AllAsync(cancellationToken);
        var shared = new List<GroupWithMembers>();
        foreach (var group in all.Where(g => !g.Personal))
        {
            shared.Add(new GroupWithMembers(group, await directory.MembersAsync(group.Id, cancellationToken)));
        }
        return View("/Features/Groups/Views/Index.cshtml", new GroupsViewModel(shared, all.Count(g => g.Personal), nameError, name));
    }

    private ViewResult AdminsOnly() => this.ProblemPage(StatusCodes.Status403Forbidden, "Not allowed", "Only admins manage groups.", "/groups/mine/", "Your groups");
}
