using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using TomAlerts.Web.Tests.Browser;
using TomAlerts.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TomAlerts.Web.Tests.Resilience;

/// <summary>The Brokers page after each broker misbehaved in its own way, as a person sees it.</summary>
public class HealthPageBrowserTests(HealthBrowserFactory factory, ITestOutputHelper output) : IClassFixture<HealthBrowserFactory>
{
    [BrowserFact]
    public async Task BrokersPage_AfterFaults_ShowsEachBrokersHealth()
    {
        factory.Brokers.MapFault("/alerce/", BrokerFault.ServerError);
        factory.Brokers.MapFault("/gaia/", BrokerFault.SlowReply);
        factory.Brokers.Map("/lasair/api/", async context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "3600";
            await context.Response.WriteAsync(Fixtures.Read("lasair/error_429_throttled.json"));
        });
        factory.Brokers.Map("/tns/api/get/", async context =>
        {
            context.Response.Headers["x-rate-limit-remaining"] = "17";
            context.Response.Headers["x-rate-limit-reset"] = "40";
            await context.Response.WriteAsync(context.Request.Path.Value!.EndsWith("/search", StringComparison.Ordinal)
                ? Fixtures.Read("tns/search_by_internal_name.json")
                : Fixtures.Read("tns/get_object_2023vjq.json"));
        });
        var email = $"health-{Guid.NewGuid():N}@example.org";
        var user = await factory.RegisterOverHttpAsync(email);
        foreach (var broker in BrokerCase.All)
        {
            await factory.RunQueryAsync(user, await factory.SaveQueryAsync(user, broker.Name, broker.Query));
        }
        await factory.RunQueryAsync(user, await factory.SaveQueryAsync(user, "ALeRCE", []));
        await user.Page.WaitForHealthAsync("ALeRCE", "Paused after repeated failures");
        await user.Page.WaitForHealthAsync("TNS", " 17 ");

        await using var browser = await BrowserSession.StartAsync(factory.BaseUrl, output, "health");
        var page = browser.Page;
        await browser.LogInAsync(email);
        await page.GetByRole(AriaRole.Link, new() { Name = "Brokers", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/brokers/");

        var table = page.Locator("#broker-table");
        await Expect(table.Locator("tr[data-broker=ALeRCE] .broker-circuit")).ToContainTextAsync("Paused after repeated failures");
        await Expect(table.Locator("tr[data-broker=ALeRCE] .broker-last-error")).ToContainTextAsync("ALeRCE answered 500 Internal Server Error");
        await Expect(table.Locator("tr[data-broker=Gaia] .broker-last-error")).ToContainTextAsync("Gaia did not answer within");
        await Expect(table.Locator("tr[data-broker=Lasair] .broker-last-error")).ToContainTextAsync("asked to wait 3600 s");
        await Expect(table.Locator("tr[data-broker=TNS] .broker-circuit")).ToContainTextAsync("Working normally");
        await Expect(table.Locator("tr[data-broker=TNS] .broker-rate-limit")).ToContainTextAsync("17");
        await Expect(table.Locator("tr[data-broker=TNS] .broker-latency")).ToContainTextAsync("ms");
        await Expect(table.Locator("tr[data-broker=Hermes] .broker-state")).ToContainTextAsync("configured");
        await browser.AssertStyledAsync();
        await browser.ScreenshotAsync("1-brokers");

        await page.GotoAsync("/alerts/query/create/?broker=ALeRCE");
        await Expect(page.Locator("#circuit-banner")).ToContainTextAsync("TomAlerts has paused calls to ALeRCE after repeated failures");
        await browser.ScreenshotAsync("2-alerce-form-banner");
        browser.AssertClean();
    }
}
