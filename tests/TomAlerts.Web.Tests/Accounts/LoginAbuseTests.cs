using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Web.Features.Account;
using TomAlerts.Web.Hosting;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Accounts;

/// <summary>Guessing passwords slows the guesser, never locks an administrator out; registering tells nobody who has an account.</summary>
public sealed class LoginAbuseTests : AppTest
{
    private async Task<string> UserAsync(bool admin)
    {
        var email = $"abuse-{Guid.NewGuid():N}@example.org";
        await using var scope = Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email };
        Assert.True((await users.CreateAsync(user, TestUser.Password)).Succeeded);
        if (admin)
        {
            await users.AddToRoleAsync(user, IdentityExtensions.AdminRole);
        }
        return email;
    }

    private PageSession Anonymous() => new(Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

    private static Dictionary<string, string> Credentials(string email, string password) => new() { ["Email"] = email, ["Password"] = password };

    [Fact]
    public async Task FailedLogins_SlowTheClient_TheFourthIsRefusedUncheckedWith429AndRetryAfter()
    {
        Factory.Settings["Account:LoginDelays"] = "true";
        var email = await UserAsync(admin: false);
        var page = Anonymous();
        for (var i = 0; i < LoginThrottle.FreeFailures + 1; i++)
        {
            using var failed = await page.PostFormAsync("/account/login", "/account/login", Credentials(email, "Wrong-pass1"));
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        using var throttled = await page.PostFormAsync("/account/login", "/account/login", Credentials(email, TestUser.Password));
        var html = WebUtility.HtmlDecode(await throttled.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.NotNull(throttled.Headers.RetryAfter);
        Assert.Contains("Too many failed log-ins from your address.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Administrator_IsNeverLockedOut_ByFailuresOnPurpose()
    {
        var email = await UserAsync(admin: true);
        var page = Anonymous();
        for (var i = 0; i < 25; i++)
        {
            using var failed = await page.PostFormAsync("/account/login", "/account/login", Credentials(email, "Wrong-pass1"));
        }

        using var response = await page.PostFormAsync("/account/login", "/account/login", Credentials(email, TestUser.Password));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Register_TakenAddress_SaysWhatAnyRefusedAddressGets_NeverThatItIsTaken()
    {
        var email = await UserAsync(admin: false);
        var form = new Dictionary<string, string> { ["Email"] = email, ["Password"] = TestUser.Password, ["ConfirmPassword"] = TestUser.Password };

        using var response = await Anonymous().PostFormAsync("/account/register", "/account/register", form);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(AccountController.NotRegistrable, html, StringComparison.Ordinal);
        Assert.DoesNotContain("taken", html, StringComparison.OrdinalIgnoreCase);
    }
}
