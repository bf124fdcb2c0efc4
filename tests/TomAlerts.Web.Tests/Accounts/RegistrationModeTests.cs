using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Web.Features.Account;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Accounts;

/// <summary>Account:Registration: invite (a single-use code from an admin) and approval (no log-in until an admin approves).</summary>
public sealed class RegistrationModeTests : AppTest
{
    private static Dictionary<string, string> Form(string email, string? code = null)
    {
        var form = new Dictionary<string, string> { ["Email"] = email, ["Password"] = TestUser.Password, ["ConfirmPassword"] = TestUser.Password };
        if (code is not null)
        {
            form["InviteCode"] = code;
        }
        return form;
    }

    private PageSession Anonymous() => new(Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true }));

    [Fact]
    public async Task Invite_RegisteringNeedsAnUnusedCodeAnAdminCreated()
    {
        Factory.Settings["Account:Registration"] = "invite";
        var admin = await Factory.LoginAsync(admin: true);

        using var withoutCode = await Anonymous().PostFormAsync("/account/register", "/account/register", Form("a@example.org"));
        using var wrongCode = await Anonymous().PostFormAsync("/account/register", "/account/register", Form("b@example.org", "not-a-code"));
        using var created = await admin.Page.PostFormAsync("/account/invites/", "/account/invites/", []);
        var code = await Factory.WithDbAsync(db => db.InviteCodes.Select(i => i.Code).SingleAsync());
        using var registered = await Anonymous().PostFormAsync("/account/register", "/account/register", Form("c@example.org", code));
        using var reused = await Anonymous().PostFormAsync("/account/register", "/account/register", Form("d@example.org", code));
        var (_, invites) = await admin.Page.GetAsync("/account/invites/");

        Assert.Equal(HttpStatusCode.OK, withoutCode.StatusCode);
        Assert.Contains("enter the invite code", await withoutCode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("does not exist or has been used", await wrongCode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Contains("does not exist or has been used", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["c@example.org"], await Factory.WithDbAsync(db => db.Users.Where(u => u.Email != admin.Email).Select(u => u.Email!).ToListAsync()));
        Assert.Contains("c@example.org", invites, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_NonAdminsCannotCreateCodes()
    {
        Factory.Settings["Account:Registration"] = "invite";
        var admin = await Factory.LoginAsync(admin: true);
        using var code = await admin.Page.PostFormAsync("/account/invites/", "/account/invites/", []);
        var invite = await Factory.WithDbAsync(db => db.InviteCodes.Select(i => i.Code).SingleAsync());
        var user = Anonymous();
        using var registered = await user.PostFormAsync("/account/register", "/account/register", Form("e@example.org", invite));

        using var refused = await user.PostFormAsync("/account/tokens", "/account/invites/", []);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(1, await Factory.WithDbAsync(db => db.InviteCodes.CountAsync()));
    }

    [Fact]
    public async Task Approval_NewAccountCannotLogInUntilAnAdminApprovesIt()
    {
        Factory.Settings["Account:Registration"] = "approval";
        var admin = await Factory.LoginAsync(admin: true);
        var newcomer = Anonymous();

        using var registered = await newcomer.PostFormAsync("/account/register", "/account/register", Form("f@example.org"));
        var registeredPage = await registered.Content.ReadAsStringAsync();
        using var early = await newcomer.LogInAsync("f@example.org");
        var (listed, pending) = await admin.Page.GetAsync("/account/invites/");
        var id = await Factory.WithDbAsync(db => db.Users.Where(u => u.Email == "f@example.org").Select(u => u.Id).SingleAsync());
        using var approved = await admin.Page.PostFormAsync("/account/invites/", $"/account/invites/approve/{id}/", []);
        using var later = await newcomer.LogInAsync("f@example.org");

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Contains("must approve your account", registeredPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.Contains("Your account is waiting for an administrator", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Contains("f@example.org", pending, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, later.StatusCode);
    }

    [Fact]
    public async Task Open_ByDefault_RegisteringLogsIn()
    {
        using var registered = await Anonymous().PostFormAsync("/account/register", "/account/register", Form("g@example.org"));

        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Equal("/alerts/query/list/", registered.Headers.Location?.OriginalString);
    }
}
