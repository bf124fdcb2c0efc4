using Microsoft.Playwright;
using TomAlerts.Sky;
using TomAlerts.Targets;
using TomAlerts.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TomAlerts.Web.Tests.Browser;

public class TargetEditBrowserTests(KestrelFactory factory, ITestOutputHelper output) : IClassFixture<KestrelFactory>
{
    [BrowserFact]
    public async Task CreateByHand_WarnedAboutAMatch_CreatesAnywayThenEdits()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var existing = $"Existing {suffix}";
        // A place on the sky of this test's own, so other tests' targets on the shared app cannot match.
        var ra = 200 + (Math.Abs(suffix.GetHashCode()) % 10000) / 100.0;
        await factory.WithDbAsync(async db =>
        {
            var target = new Target { Name = existing, NormalizedName = TargetNames.Normalize(existing), Created = DateTime.UtcNow, Modified = DateTime.UtcNow };
            target.SetPosition(ra, -20);
            db.Targets.Add(target);
            await db.SaveChangesAsync();
            return await db.ShareWithTeamAsync();
        });
        await using var browser = await BrowserSession.StartAsync(factory.BaseUrl, output, "target-edit");
        var page = browser.Page;
        await browser.RegisterAsync($"targets-{suffix}@example.org");

        await page.GotoAsync("/targets/");
        await page.Locator("#create-target-link").ClickAsync();
        await page.Locator("#Name").FillAsync($"Mine {suffix}");
        await page.Locator("#Ra").FillAsync(Angles.FormatRa(ra));
        await page.Locator("#Dec").FillAsync("-20.0002");
        await page.Locator("#Aliases").FillAsync($"nick-{suffix}");
        await page.Locator("#create-target").ClickAsync();

        await Expect(page.Locator("#match-warning")).ToBeVisibleAsync();
        await Expect(page.Locator("#matches .open-existing")).ToHaveTextAsync($"Open existing: {existing}");
        await browser.ScreenshotAsync("1-warning");
        await page.Locator("#create-anyway").ClickAsync();

        await Expect(page.Locator("#target-name")).ToHaveTextAsync($"Mine {suffix}");
        await page.Locator("#edit-target").ClickAsync();
        await Expect(page.Locator("#Aliases")).ToHaveValueAsync($"nick-{suffix}");
        await page.Locator("#Name").FillAsync(existing.ToUpperInvariant());
        await page.Locator("#save-target").ClickAsync();
        await BrowserSession.AssertBesideAsync(page.Locator("#Name"), page.Locator("[data-field=name]"), $"{existing.ToUpperInvariant()} is already a name of the target {existing}");
        await browser.ScreenshotAsync("2-duplicate-name");

        await page.Locator("#Name").FillAsync($"Renamed {suffix}");
        await page.Locator("#Extras").FillAsync("priority=high");
        await page.Locator("#save-target").ClickAsync();
        await Expect(page.Locator("#target-name")).ToHaveTextAsync($"Renamed {suffix}");
        await Expect(page.Locator("#extras .extras-source")).ToHaveTextAsync($"targets-{suffix}@example.org");
        await Expect(page.Locator("#provenance .provenance-edited")).ToContainTextAsync($"name: Mine {suffix} → Renamed {suffix}");
        await browser.ScreenshotAsync("3-edited");
        browser.AssertClean("422 POST");
    }
}
