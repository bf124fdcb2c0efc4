using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using TomAlerts.Web.Tests.Browser;
using TomAlerts.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TomAlerts.Web.Tests.Security;

/// <summary>Hostile broker text in a real browser: shown as text, never run (no dialog, no script error, no CSP report).</summary>
public class XssBrowserTests(KestrelFactory factory, ITestOutputHelper output) : IClassFixture<KestrelFactory>
{
    [BrowserFact]
    public async Task HostileBrokerText_RendersInertOnEveryPage()
    {
        factory.Brokers.MapHostileGaia().MapHostileAlerceError().MapEmptyLasair();
        var email = $"xss-{Guid.NewGuid():N}@example.org";
        var user = await factory.RegisterOverHttpAsync(email);
        var gaiaRun = await factory.RunQueryAsync(user, await factory.SaveQueryAsync(user, "Gaia", new() { ["target_name"] = "script" }));
        using var created = await user.CreateTargetsAsync(gaiaRun, HostileBroker.ScriptName);
        var targetId = await factory.WithDbAsync(db => db.Targets.Select(t => t.Id).SingleAsync());
        var alerceQuery = await factory.SaveQueryAsync(user, "ALeRCE", []);
        var alerceRun = await factory.RunQueryAsync(user, alerceQuery);
        var lasairRun = await factory.RunQueryAsync(user, await factory.SaveQueryAsync(user, "Lasair", new() { ["sqlquery"] = HostileBroker.ScriptName }));

        await using var browser = await BrowserSession.StartAsync(factory.BaseUrl, output, "xss");
        var page = browser.Page;
        var dialogs = new ConcurrentQueue<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Enqueue(dialog.Message);
            await dialog.DismissAsync();
        };
        await browser.LogInAsync(email);
        foreach (var url in new[]
                 {
                     $"/alerts/run/{gaiaRun}/", "/targets/", $"/targets/{targetId}/", $"/alerts/run/{alerceRun}/",
                     $"/alerts/query/{alerceQuery}/runs/", $"/alerts/run/{lasairRun}/", "/brokers/", "/alerts/query/list/",
                 })
        {
            await page.GotoAsync(url);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
        await page.GotoAsync($"/targets/{targetId}/");
        await Expect(page.Locator("#target-name")).ToHaveTextAsync(HostileBroker.ScriptName);
        await Expect(page.Locator("#aliases")).ToContainTextAsync(HostileBroker.ScriptAlias);
        await browser.ScreenshotAsync("target");
        await page.GotoAsync($"/alerts/run/{gaiaRun}/");
        await Expect(page.Locator("#alerts-table")).ToContainTextAsync(HostileBroker.ImageClass);
        Assert.Equal(0, await page.Locator("#alerts-table a[href^='javascript']").CountAsync());

        Assert.Empty(dialogs);
        browser.AssertClean();
    }
}
