using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using TomAlerts.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TomAlerts.Web.Tests.Browser;

public class AstronomerTests(KestrelFactory factory, ITestOutputHelper output) : IClassFixture<KestrelFactory>
{
    private const string QueryName = "ALeRCE SN candidates";

    private static readonly string[] Picked = [FakeAlerce.Oid(0), FakeAlerce.Oid(1), FakeAlerce.Oid(2)];

    [BrowserFact]
    public async Task Astronomer_RunsAQueryPagesAndCreatesTargetsWithALightCurve()
    {
        factory.Brokers.MapAlerce(120);
        await using var browser = await BrowserSession.StartAsync(factory.BaseUrl, output, "astronomer");
        var page = browser.Page;
        var email = $"astronomer-{Guid.NewGuid():N}@example.org";
        await browser.RegisterAsync(email);
        await page.Locator("#account-menu").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await page.WaitForURLAsync("**/account/login");
        await browser.LogInAsync(email);

        // An ALeRCE query fetching up to 5 pages of 100 objects: the fake serves 120 in two pages.
        await page.GetByRole(AriaRole.Link, new() { Name = "ALeRCE", Exact = true }).ClickAsync();
        await page.Locator("#field-query_name").FillAsync(QueryName);
        await page.Locator("#field-max_pages").SelectOptionAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/list/");

        await RunAsync(page);
        await Expect(page.Locator("#run-status")).ToContainTextAsync("The run finished with 120 alerts");
        await Expect(page.Locator(".sticky-actions")).ToContainTextAsync("120 alerts · page 1 of 3");
        await Expect(page.Locator("#alerts-table tbody tr")).ToHaveCountAsync(50);
        await browser.AssertStyledAsync();
        await browser.ScreenshotAsync("1-results");

        // Page through: Next, then back.
        await page.Locator(".pagination a[rel=next]").ClickAsync();
        await page.WaitForURLAsync("**/alerts/run/*/?page=2*");
        await Expect(page.Locator(".sticky-actions")).ToContainTextAsync("page 2 of 3");
        await Expect(page.Locator("#alerts-table tbody tr")).ToHaveCountAsync(50);
        await Expect(page.Locator("#alerts-table")).Not.ToContainTextAsync(FakeAlerce.Oid(0));
        await page.Locator(".pagination a[rel=prev]").ClickAsync();
        await page.WaitForURLAsync("**/alerts/run/*/?page=1*");

        // Select all / none, then tick three and create them.
        await page.Locator("#select-all").CheckAsync();
        await Expect(page.Locator("input.alert-box:checked")).ToHaveCountAsync(50);
        await page.Locator("#select-all").UncheckAsync();
        await Expect(page.Locator("input.alert-box:checked")).ToHaveCountAsync(0);
        await CreateAsync(page);
        var outcomes = page.Locator("#outcomes tbody tr");
        await Expect(outcomes).ToHaveCountAsync(3);
        await Expect(page.Locator("#outcomes td.outcome")).ToHaveTextAsync(["created", "created", "created"]);
        await Expect(page.Locator("#outcome-summary")).ToHaveTextAsync("3 created, 0 matched to existing targets, 0 failed.");
        await browser.ScreenshotAsync("2-outcomes");

        // The target with the real light curve: Plotly draws its points, magnitudes upside down.
        await outcomes.Filter(new() { HasText = FakeAlerce.Oid(0) }).GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync("**/targets/*/");
        var targetUrl = page.Url;
        await Expect(page.Locator("#target-name")).ToHaveTextAsync(FakeAlerce.Oid(0));
        await Expect(page.Locator("#provenance")).ToContainTextAsync($"created from ALeRCE alert {FakeAlerce.Oid(0)}");
        await Expect(page.Locator("#lightcurve .scatterlayer path.point").First).ToBeAttachedAsync();
        await browser.ScreenshotAsync("3-target");
        await browser.AssertStyledAsync();
        await Expect(page.Locator("tr:has(th:text-is('RA')) td")).ToHaveTextAsync("150.315776° (10:01:15.79)");
        await Expect(page.Locator("tr:has(th:text-is('Dec')) td")).ToHaveTextAsync("2.209430° (+02:12:33.9)");
        var points = await page.Locator("#lightcurve .scatterlayer path.point").CountAsync();
        Assert.True(points >= 12, $"expected the 12 detections (and limits) as points, Plotly drew {points}");
        // Plotly 2.28+ turns autorange "reversed" into autorange true with a descending range: faint at the bottom.
        var yRange = await page.EvaluateAsync<double[]>("() => document.getElementById('lightcurve').layout.yaxis.range");
        Assert.True(yRange[0] > yRange[1], $"the magnitude axis runs {yRange[0]:0.00} to {yRange[1]:0.00} bottom to top: bright stars plot low");
        await Expect(page.Locator("#lightcurve .g-ytitle")).ToHaveTextAsync("Magnitude");
        await page.Locator("#photometry summary").ClickAsync(); // the table is read when it is opened
        await Expect(page.Locator("#photometry-table tbody tr").First).ToBeVisibleAsync();
        var rows = await page.Locator("#photometry-table tbody tr").CountAsync();
        Assert.True(rows >= 12, $"the photometry table has {rows} rows");

        // Run the same query again and create the same alerts: matched to the targets made above, none new.
        await page.GetByRole(AriaRole.Link, new() { Name = "Queries" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/list/");
        await Expect(page.Locator("#query-table tbody tr").Filter(new() { HasText = QueryName })).ToContainTextAsync("(succeeded)");
        await RunAsync(page);
        await CreateAsync(page);
        await Expect(page.Locator("#outcomes td.outcome")).ToHaveTextAsync(["matched", "matched", "matched"]);
        await Expect(page.Locator("#outcome-summary")).ToHaveTextAsync("0 created, 3 matched to existing targets, 0 failed.");
        var link = page.Locator("#outcomes tbody tr").Filter(new() { HasText = FakeAlerce.Oid(0) }).GetByRole(AriaRole.Link);
        Assert.Equal(new Uri(targetUrl).AbsolutePath, await link.GetAttributeAsync("href"));
        await browser.ScreenshotAsync("4-matched");
        Assert.Equal(3, await factory.WithDbAsync(db => db.Targets.CountAsync()));

        browser.AssertClean();
    }

    /// <summary>Clicks the query's Run button and waits for the results page to reload itself with the table.</summary>
    private static async Task RunAsync(IPage page)
    {
        await page.Locator("#query-table tbody tr").Filter(new() { HasText = QueryName })
            .GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/run/*/");
        await Expect(page.Locator("#alerts-table")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#run-status")).ToHaveAttributeAsync("data-finished", "true");
    }

    private static async Task CreateAsync(IPage page)
    {
        foreach (var oid in Picked)
        {
            await page.GetByLabel($"Select {oid}", new() { Exact = true }).CheckAsync();
        }
        await Expect(page.Locator("#select-all")).Not.ToBeCheckedAsync();
        await page.Locator("#create-targets").ClickAsync();
        await page.WaitForURLAsync("**/alerts/alert/create/");
    }
}
