using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using TomAlerts.Groups;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Account;

public sealed record RegistrationAdminViewModel(RegistrationMode Mode, IReadOnlyList<(InviteCode Code, string? UsedByEmail)> Codes,
    IReadOnlyList<IdentityUser> Pending, string RegisterUrl);

/// <summary>Admins' page for registration: single-use invite codes (create, list) and accounts waiting for approval.</summary>
[Route("account/invites")]
public sealed class RegistrationAdminController(Registration registration, TomAlerts.Web.Features.Shared.PublicAddress publicAddress) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        if (!User.IsAdmin())
        {
            return AdminsOnly();
        }
        return View("/Features/Account/Views/Invites.cshtml", new RegistrationAdminViewModel(registration.Mode, await registration.CodesAsync(cancellationToken),
            await registration.PendingAsync(), publicAddress.BaseUrl(Request) + "/account/register"));
    }

    [HttpPost("")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Create(CancellationToken cancellationToken)
    {
        if (!User.IsAdmin())
        {
            return AdminsOnly();
        }
        var invite = await registration.CreateCodeAsync(User.UserId(), cancellationToken);
        TempData["Success"] = $"New invite code: {invite.Code}. It can be used once.";
        return Redirect("/account/invites/");
    }

    [HttpPost("approve/{userId}/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Approve(string userId)
    {
        if (!User.IsAdmin())
        {
            return AdminsOnly();
        }
        if (!await registration.ApproveAsync(userId))
        {
            return this.NotFoundPage("There is no account waiting for approval with that id.");
        }
        TempData["Success"] = "The account was approved: its owner can log in now.";
        return Redirect("/account/invites/");
    }

    private ViewResult AdminsOnly() => this.ProblemPage(StatusCodes.Status403Forbidden, "Not allowed", "Only admins manage invitations and approvals.");
}
