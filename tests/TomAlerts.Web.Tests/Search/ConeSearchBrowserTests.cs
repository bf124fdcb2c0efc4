using Microsoft.Playwright;
using TomAlerts.Web.Tests.Browser;
using TomAlerts.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TomAlerts.Web.Tests.Search;

/// <summary>The cone search page and the query form's schedule fields in headless Chromium, with screenshots.</summary>
public sealed class ConeSearchBrowserTests(ITestOutputHelper output) : AppTest<KestrelFactory>
{
    protected override void Arrange()
    {
        Factory.Brokers.MapConeBrokers();
        Factory.Brokers.MapText("/lasair/api/cone/", 500, """{"detail": "Internal Server Error"}""");
    }

    [BrowserFact]
    public async Task Astronomer_SearchesAConeAcrossBrokers_AndCreatesTheTarget()
    {
        await using var browser = await BrowserSession.StartAsync(Factory.BaseUrl, output, "cone");
        var page = browser.Page;
        await browser.RegisterAsync($"cone-{Guid.NewGuid():N}@example.org");

        await page.GetByRole(AriaRole.Link, new() { Name = "Cone search" }).ClickAsync();
        await page.WaitForURLAsync("**/search/cone");
        await page.Locator("#field-ra").FillAsync("400");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.Locator(".invalid-feedback[data-field=ra]")).ToBeVisibleAsync();
        await BrowserSession.AssertBesideAsync(page.Locator("#field-ra"), page.Locator(".invalid-feedback[data-field=ra]"), "Enter an RA");
        await browser.ScreenshotAsync("1-errors");

        await page.Locator("#field-ra").FillAsync("10:01:15.79");
        await page.Locator("#field-dec").FillAsync("+02:12:34.0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.Locator("#cone-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#broker-answers [data-broker=Lasair]")).ToContainTextAsync("failed");
        await Expect(page.Locator("#cone-table tbody tr")).ToContainTextAsync("ZTF23abtfusv");
        await Expect(page.Locator("#cone-table tbody tr")).ToContainTextAsync("Gaia23dnw");
        await browser.AssertStyledAsync();
        await browser.ScreenshotAsync("2-results");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create target" }).ClickAsync();
        await page.WaitForURLAsync("**/targets/*/");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Created the target" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("3-target");
        browser.AssertClean("422 GET");
    }

    [BrowserFact]
    public async Task Astronomer_SchedulesAQuery_SeesItOnTheListAndPausesIt()
    {
        await using var browser = await BrowserSession.StartAsync(Factory.BaseUrl, output, "schedule");
        var page = browser.Page;
        await browser.RegisterAsync($"schedule-{Guid.NewGuid():N}@example.org");

        await page.GotoAsync("/alerts/query/create/?broker=ALeRCE");
        await page.Locator("#field-query_name").FillAsync("Nightly SN candidates");
        await page.Locator("#field-schedule_mode").SelectOptionAsync("cron");
        await page.Locator("#field-schedule_cron").FillAsync("* * * * *");
        await page.Locator("#field-webhook_url").FillAsync("https://example.org/hook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(page.Locator(".invalid-feedback[data-field=schedule_cron]")).ToBeVisibleAsync();
        await Expect(page.Locator(".invalid-feedback[data-field=webhook_secret]")).ToBeVisibleAsync();
        await browser.AssertStyledAsync();
        await browser.ScreenshotAsync("1-form-errors");

        await page.Locator("#field-schedule_cron").FillAsync("0 */6 * * *");
        await page.Locator("#field-webhook_secret").FillAsync("a-long-shared-secret");
        await page.Locator("#field-auto_create_targets").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/list/");
        var row = page.Locator("#query-table tbody tr").Filter(new() { HasText = "Nightly SN candidates" });
        await Expect(row).ToContainTextAsync("cron 0 */6 * * *");
        await Expect(row.Locator(".next-run")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("2-list");

        await row.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/list/");
        await Expect(row.Locator(".badge")).ToContainTextAsync("paused");
        await browser.ScreenshotAsync("3-paused");

        await row.GetByRole(AriaRole.Link, new() { Name = "Nightly SN candidates" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/*/update/");
        await Expect(page.Locator("#field-schedule_cron")).ToHaveValueAsync("0 */6 * * *");
        await browser.ScreenshotAsync("4-edit-form");
        browser.AssertClean("422 POST");
    }
}
