using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Accounts;

public class AccountTests(TomAlertsFactory factory) : IClassFixture<TomAlertsFactory>
{
    private HttpClient Anonymous() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Theory]
    [InlineData("/alerts/query/list/")]
    [InlineData("/targets/")]
    [InlineData("/brokers/")]
    [InlineData("/alerts/query/create/?broker=Gaia")]
    public async Task Get_Anonymous_RedirectsToLogin(string url)
    {
        using var response = await Anonymous().GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login?ReturnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal); // relative: never the Host a client sent
    }

    [Fact]
    public async Task LoginAndRegisterPages_Anonymous_AreServedStyled()
    {
        var client = Anonymous();

        var login = await client.GetStringAsync("/account/login");
        var register = await client.GetStringAsync("/account/register");
        using var css = await client.GetAsync("/lib/bootstrap/bootstrap.min.css");

        Assert.Contains("Log in", login, StringComparison.Ordinal);
        Assert.Contains("Create an account", register, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
    }

    [Fact]
    public async Task Register_ValidForm_LogsTheUserInAndShowsTheQueryList()
    {
        var user = await factory.LoginAsync();

        var (status, html) = await user.Page.GetAsync("/alerts/query/list/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Query a Broker", html, StringComparison.Ordinal);
        Assert.Contains(user.Email, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WeakPasswordAndMismatch_ShowsErrorsBesideTheFields()
    {
        var page = new PageSession(Anonymous());

        using var response = await page.PostFormAsync("/account/register", "/account/register",
            new() { ["Email"] = "not-an-email", ["Password"] = "short", ["ConfirmPassword"] = "different" });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The Email field is not a valid e-mail address.", html, StringComparison.Ordinal);
        Assert.Contains("The password must be at least 8 characters long.", html, StringComparison.Ordinal);
        Assert.Contains("The passwords do not match.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongPassword_SaysSoWithoutSayingWhichPart()
    {
        var user = await factory.LoginAsync();
        var page = new PageSession(Anonymous());

        using var response = await page.PostFormAsync("/account/login", "/account/login", new() { ["Email"] = user.Email, ["Password"] = "Wrong-pass1" });

        Assert.Contains("Invalid email or password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_TwentyFailures_LocksTheAccountEvenForTheRightPassword()
    {
        var user = await factory.LoginAsync();
        var page = new PageSession(Anonymous());
        for (var i = 0; i < 20; i++)
        {
            using var failed = await page.PostFormAsync("/account/login", "/account/login", new() { ["Email"] = user.Email, ["Password"] = "Wrong-pass1" });
        }

        using var response = await page.LogInAsync(user.Email);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/lockout", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_ExternalReturnUrl_GoesHomeInstead()
    {
        var user = await factory.LoginAsync();
        var page = new PageSession(Anonymous());

        using var response = await page.PostFormAsync("/account/login", "/account/login",
            new() { ["Email"] = user.Email, ["Password"] = TestUser.Password, ["ReturnUrl"] = "https://evil.example.com/" });

        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task LoginPage_ExternalReturnUrl_IsNotCarriedIntoTheForm()
    {
        var html = await Anonymous().GetStringAsync("/account/login?returnUrl=https%3A%2F%2Fevil.example.com%2F");
        var local = await Anonymous().GetStringAsync("/account/login?returnUrl=%2Ftargets%2F");

        Assert.DoesNotContain("evil.example.com", html, StringComparison.Ordinal);
        Assert.Contains("value=\"/targets/\"", local, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_WithoutAntiforgeryToken_IsRejected()
    {
        var user = await factory.LoginAsync();

        using var response = await user.Page.Client.PostAsync("/account/logout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (status, _) = await user.Page.GetAsync("/alerts/query/list/");
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
