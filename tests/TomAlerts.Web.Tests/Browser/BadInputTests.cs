using Microsoft.Playwright;
using TomAlerts.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TomAlerts.Web.Tests.Browser;

public class BadInputTests(KestrelFactory factory, ITestOutputHelper output) : IClassFixture<KestrelFactory>
{
    [BrowserFact]
    public async Task BadInput_IsShownBesideTheFieldNotAsAnErrorPage()
    {
        await using var browser = await BrowserSession.StartAsync(factory.BaseUrl, output, "badinput");
        var page = browser.Page;
        await browser.RegisterAsync($"careless-{Guid.NewGuid():N}@example.org");

        // A cone search with an unreadable RA and an impossible Dec.
        await page.GetByRole(AriaRole.Link, new() { Name = "Targets" }).ClickAsync();
        await page.WaitForURLAsync("**/targets/");
        await page.Locator("#target-ra").FillAsync("abc");
        await page.Locator("#target-dec").FillAsync("95");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync(),
            r => r.Url.Contains("/targets/?", StringComparison.Ordinal));
        Assert.Equal(422, response.Status);
        await page.WaitForLoadStateAsync();
        await BrowserSession.AssertBesideAsync(page.Locator("#target-ra"), page.Locator("#target-ra + .invalid-feedback"),
            "Enter RA in decimal degrees (0 to 360) or as hh:mm:ss.");
        await BrowserSession.AssertBesideAsync(page.Locator("#target-dec"), page.Locator("#target-dec + .invalid-feedback"),
            "Enter Dec in decimal degrees (−90 to 90) or as ±dd:mm:ss.");
        await Expect(page.Locator("#target-radius + .invalid-feedback")).Not.ToBeVisibleAsync();
        await Expect(page.Locator("#target-ra")).ToHaveValueAsync("abc");
        await Expect(page.Locator("#target-dec")).ToHaveValueAsync("95");
        await browser.AssertStyledAsync();
        await browser.ScreenshotAsync("1-cone-errors");

        // A broker that does not exist: a styled 404 page that says so, not a stack trace.
        var missing = await page.GotoAsync("/alerts/query/create/?broker=MARS");
        Assert.NotNull(missing);
        Assert.Equal(404, missing.Status);
        await Expect(page.GetByText("No broker named MARS is configured.")).ToBeVisibleAsync();
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Exception");
        await Expect(page.Locator("main")).Not.ToContainTextAsync(" at TomAlerts.");
        await Expect(page.Locator("main a.btn")).ToBeVisibleAsync();
        await browser.AssertStyledAsync();
        await browser.ScreenshotAsync("2-unknown-broker");

        browser.AssertClean("422 GET", "404 GET " + factory.BaseUrl + "/alerts/query/create/?broker=MARS");
    }
}
