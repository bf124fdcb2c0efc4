using Microsoft.AspNetCore.Mvc;
using TomAlerts.Queries;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Account;

/// <summary>The account's personal API tokens: create one (shown once), list them, revoke one.</summary>
[Route("account/tokens")]
public sealed class ApiTokensController(ApiTokenService tokens, TomAlerts.Web.Features.Shared.PublicAddress publicAddress) : Controller
{
    private const string ViewPath = "/Features/Account/Views/Tokens.cshtml";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(ViewPath, new ApiTokensViewModel(await tokens.ListAsync(User.UserId()!, cancellationToken), null, BaseUrl));

    [HttpPost("")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Create(string? name, CancellationToken cancellationToken)
    {
        var created = await tokens.CreateAsync(User.UserId()!, name ?? "", cancellationToken);
        Response.Headers.CacheControl = "no-store"; // the page holds the token itself
        return View(ViewPath, new ApiTokensViewModel(await tokens.ListAsync(User.UserId()!, cancellationToken), created, BaseUrl));
    }

    [HttpPost("{id:int}/revoke")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Revoke(int id, CancellationToken cancellationToken)
    {
        if (!await tokens.RevokeAsync(User.UserId()!, id, cancellationToken))
        {
            return this.NotFoundPage($"You have no API token {id}.");
        }
        TempData["Success"] = "The token was revoked: scripts using it now get 401.";
        return Redirect("/account/tokens");
    }

    private string BaseUrl => publicAddress.BaseUrl(Request);
}

public sealed record ApiTokensViewModel(IReadOnlyList<ApiToken> Tokens, CreatedApiToken? Created, string BaseUrl);
