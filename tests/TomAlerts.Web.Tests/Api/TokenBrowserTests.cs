using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using TomAlerts.Web.Tests.Browser;
using TomAlerts.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TomAlerts.Web.Tests.Api;

/// <summary>An astronomer in a real browser makes a token for a script, downloads a run's alerts, and revokes the token.</summary>
public class TokenBrowserTests(KestrelFactory factory, ITestOutputHelper output) : IClassFixture<KestrelFactory>
{
    [BrowserFact]
    public async Task Astronomer_CreatesATokenForAScript_DownloadsAlerts_AndRevokesIt()
    {
        factory.Brokers.MapAlerce(12);
        await using var browser = await BrowserSession.StartAsync(factory.BaseUrl, output, "api");
        var page = browser.Page;
        await browser.RegisterAsync($"scripter-{Guid.NewGuid():N}@example.org");

        // The account menu leads to the tokens page; a new token is shown once.
        await page.Locator("#account-menu").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "API tokens" }).ClickAsync();
        await page.WaitForURLAsync("**/account/tokens");
        await page.Locator("#token-name").FillAsync("laptop script");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await Expect(page.Locator("#new-token")).ToContainTextAsync("shown only this once");
        var token = await page.Locator("#new-token-value").InputValueAsync();
        Assert.StartsWith("ta_", token, StringComparison.Ordinal);
        await browser.AssertStyledAsync();
        await browser.ScreenshotAsync("1-token-created");

        // The script saves and runs a query with it.
        using var script = new HttpClient { BaseAddress = new Uri(factory.BaseUrl) };
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var run = await script.RunAsync(await script.CreateQueryAsync("ALeRCE", new { max_pages = "1" }, name: "from my script"));
        var runId = run.GetProperty("id").GetInt64();

        // The run's page offers the downloads and the same export for a script.
        await page.GotoAsync($"/alerts/run/{runId}/");
        await Expect(page.Locator(".curl-command")).ToContainTextAsync($"/api/v1/runs/{runId}/alerts/export?format=csv");
        await Expect(page.Locator(".curl-command")).ToContainTextAsync("$TOMALERTS_TOKEN");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(".download-csv").ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.Equal($"run-{runId}-alerts.csv", download.SuggestedFilename);
        Assert.Equal(13, csv.Length);
        await browser.ScreenshotAsync("2-run-downloads");

        // Revoked on the page: the script is refused from then on.
        await page.GotoAsync("/account/tokens");
        await Expect(page.Locator("#new-token")).ToHaveCountAsync(0);
        await Expect(page.Locator("#token-table")).ToContainTextAsync(token[..10]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.Locator("#token-table")).ToContainTextAsync("revoked");
        using var refused = await script.GetAsync("/api/v1/queries");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await browser.ScreenshotAsync("3-token-revoked");
        browser.AssertClean();
    }
}
