using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Api;

public partial class TokenPageTests(TomAlertsFactory factory) : IClassFixture<TomAlertsFactory>
{
    [Fact]
    public async Task Create_OnTheAccountPage_ShowsTheTokenOnceAndItWorks()
    {
        var user = await factory.LoginAsync();

        using var created = await user.Page.PostFormAsync("/account/tokens", "/account/tokens", new() { ["name"] = "nightly photometry" });
        var html = await created.Content.ReadAsStringAsync();
        var token = NewToken().Match(html).Groups[1].Value;
        var (_, later) = await user.Page.GetAsync("/account/tokens");
        using var call = await factory.ApiClient(token).GetAsync("/api/v1/queries");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.True(created.Headers.CacheControl?.NoStore);
        Assert.StartsWith("ta_", token, StringComparison.Ordinal);
        Assert.Contains("shown only this once", html, StringComparison.Ordinal);
        Assert.DoesNotContain(token, later, StringComparison.Ordinal);
        Assert.Contains("nightly photometry", later, StringComparison.Ordinal);
        Assert.Contains($"{token[..10]}…", later, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
    }

    [Fact]
    public async Task Revoke_OwnToken_StopsItAndListsItAsRevoked()
    {
        var user = await factory.LoginAsync();
        var token = await factory.CreateTokenAsync(user.Id, "to revoke");
        var id = await factory.WithDbAsync(db => Task.FromResult(db.ApiTokens.Single(t => t.UserId == user.Id).Id));

        using var revoked = await user.Page.PostFormAsync("/account/tokens", $"/account/tokens/{id}/revoke", []);
        var (_, page) = await user.Page.GetAsync("/account/tokens");
        using var call = await factory.ApiClient(token).GetAsync("/api/v1/queries");

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Contains("revoked", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, call.StatusCode);
    }

    [Fact]
    public async Task Revoke_AnotherUsersToken_Is404AndTheTokenKeepsWorking()
    {
        var owner = await factory.LoginAsync();
        var token = await factory.CreateTokenAsync(owner.Id);
        var id = await factory.WithDbAsync(db => Task.FromResult(db.ApiTokens.Single(t => t.UserId == owner.Id).Id));
        var other = await factory.LoginAsync();

        using var response = await other.Page.PostFormAsync("/account/tokens", $"/account/tokens/{id}/revoke", []);
        using var call = await factory.ApiClient(token).GetAsync("/api/v1/queries");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
    }

    [Fact]
    public async Task Revoke_WithoutAntiforgeryToken_IsRefused()
    {
        var user = await factory.LoginAsync();
        await factory.CreateTokenAsync(user.Id);
        var id = await factory.WithDbAsync(db => Task.FromResult(db.ApiTokens.Single(t => t.UserId == user.Id).Id));

        using var response = await user.Page.PostWithTokenAsync($"/account/tokens/{id}/revoke", [], null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await factory.WithDbAsync(db => Task.FromResult(db.ApiTokens.Single(t => t.Id == id).Revoked)));
    }

    [GeneratedRegex("id=\"new-token-value\" value=\"(ta_[A-Za-z0-9_-]+)\"")]
    private static partial Regex NewToken();
}

/// <summary>The command line, run as a person runs it: the built app as a process, against the database the app uses.</summary>
public sealed class UsersTokenCommandTests : AppTest
{
    private readonly string database = Path.Combine(Path.GetTempPath(), $"tomalerts-cli-{Guid.NewGuid():N}.db");

    protected override void Arrange() => Factory.Settings["ConnectionStrings:Default"] = $"Data Source={database}";

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(database + suffix);
        }
    }

    [Fact]
    public async Task UsersToken_ExistingUser_PrintsATokenAloneOnTheLastLineThatAuthenticates()
    {
        var (createExit, _, _) = await RunAsync("users", "create", "--email", "cli@example.org", "--password", TestUser.Password);

        var (exit, output, _) = await RunAsync("users", "token", "--email", "cli@example.org", "--name", "laptop");
        var token = output.TrimEnd().Split('\n')[^1].Trim();
        using var call = await Factory.ApiClient(token).GetAsync("/api/v1/queries");

        Assert.Equal(0, createExit);
        Assert.Equal(0, exit);
        Assert.Matches("^ta_[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
    }

    [Fact]
    public async Task UsersToken_UnknownUserOrNoEmail_FailsWithOneLine()
    {
        var (unknownExit, _, unknownError) = await RunAsync("users", "token", "--email", "nobody@example.org");
        var (missingExit, _, missingError) = await RunAsync("users", "token");

        Assert.Equal(1, unknownExit);
        Assert.Contains("there is no user nobody@example.org", unknownError, StringComparison.Ordinal);
        Assert.Equal(2, missingExit);
        Assert.Contains("--email is required", missingError, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TomAlerts.Web.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["ConnectionStrings__Default"] = $"Data Source={database}";
        info.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
