using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Browser;
using TomAlerts.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TomAlerts.Web.Tests.Triage;

/// <summary>Keyboard triage on a run page in headless Chromium: the script is the page's own (CSP), decisions are saved and shared.</summary>
public sealed class TriageBrowserTests(ITestOutputHelper output) : AppTest<KestrelFactory>
{
    protected override void Arrange() => Factory.Brokers.MapAlerce(30);

    [BrowserFact]
    public async Task Scanner_MovesWithJAndRejectsWithR_TheDecisionIsSavedAndShownAfterReload()
    {
        await using var browser = await BrowserSession.StartAsync(Factory.BaseUrl, output, "triage");
        var page = browser.Page;
        var email = $"scanner-{Guid.NewGuid():N}@example.org";
        await browser.RegisterAsync(email);
        var userId = await Factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        using var api = new HttpClient { BaseAddress = new Uri(Factory.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new("Bearer", await Factory.CreateTokenAsync(userId));
        var queryId = await api.CreateQueryAsync("ALeRCE", new { max_pages = "20" }, "shared");
        var runId = (await api.RunAsync(queryId)).GetProperty("id").GetInt64();
        await page.GotoAsync($"/alerts/run/{runId}/");
        var rows = page.Locator("#alerts-table tbody tr");
        await Expect(rows).ToHaveCountAsync(30);
        // ALeRCE's listing has no magnitude: the page asks for each row's details (magstats) and fills it in.
        await Expect(rows.Nth(29).Locator(".last-mag")).ToHaveTextAsync("19.702 g");

        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("j");
        await Expect(rows.Nth(1)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("current-row"));
        await page.Keyboard.PressAsync("r");
        await Expect(rows.Nth(1).Locator(".decision-name")).ToHaveTextAsync("rejected");
        await Expect(rows.Nth(1).Locator(".decided-by")).ToContainTextAsync(email);
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("i");
        await Expect(rows.Nth(2).Locator(".decision-name")).ToHaveTextAsync("interesting");
        await page.Keyboard.PressAsync("c");
        await Expect(page.Locator($"input.alert-box[value={FakeAlerce.Oid(2)}]")).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("i"); // the same key again clears
        await Expect(rows.Nth(2).Locator(".decision-name")).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("?");
        await Expect(page.Locator("#key-help")).ToBeVisibleAsync();
        // Typing in a filter field is not triage.
        await page.Locator("#filter-class").FillAsync("");
        await page.Locator("#filter-class").PressAsync("r");
        await Expect(page.Locator("#filter-class")).ToHaveValueAsync("r");
        await browser.ScreenshotAsync("1-decided");

        await page.ReloadAsync();
        await Expect(rows.Nth(1).Locator(".decision-name")).ToHaveTextAsync("rejected");
        await Expect(rows.Nth(2).Locator(".decision-name")).ToHaveCountAsync(0);
        var stored = await Factory.WithDbAsync(db => db.TriageDecisions.AsNoTracking().ToListAsync());
        var decision = Assert.Single(stored);
        Assert.Equal((FakeAlerce.Oid(1), TriageVerdict.Rejected, userId), (decision.AlertId, decision.Verdict, decision.DecidedBy));

        // The plain buttons work too, and the page still asks nothing of any other site.
        await rows.Nth(3).Locator(".decide-rejected").ClickAsync();
        await Expect(rows.Nth(3).Locator(".decision-name")).ToHaveTextAsync("rejected");
        await page.Keyboard.PressAsync("s");
        await Expect(page.Locator("#alert-panel")).ToBeVisibleAsync();
        await Expect(page.Locator("#alert-panel img.stamp")).ToHaveCountAsync(3);
        await Expect(page.Locator("#alert-panel")).ToContainTextAsync("Difference");
        await browser.ScreenshotAsync("2-panel");
        await page.Keyboard.PressAsync("s");
        await Expect(page.Locator("#alert-panel")).ToBeHiddenAsync();
        await browser.AssertStyledAsync();
        browser.AssertClean("/stamps/"); // the stamps route comes with the stamp renderer
    }
}
