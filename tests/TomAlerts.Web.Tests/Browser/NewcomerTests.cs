using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using TomAlerts.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TomAlerts.Web.Tests.Browser;

public class NewcomerTests(KestrelFactory factory, ITestOutputHelper output) : IClassFixture<KestrelFactory>
{
    [BrowserFact]
    public async Task Newcomer_RegistersLogsInAndManagesAQuery()
    {
        await using var browser = await BrowserSession.StartAsync(factory.BaseUrl, output, "newcomer");
        var page = browser.Page;
        var email = $"newcomer-{Guid.NewGuid():N}@example.org";

        // Register: the app logs the newcomer in and shows the (empty) query list.
        await browser.RegisterAsync(email);
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Welcome to TomAlerts" })).ToBeVisibleAsync();
        await Expect(page.GetByText("No saved queries yet.")).ToBeVisibleAsync();
        await Expect(page.Locator("#account-menu")).ToContainTextAsync(email);
        await browser.AssertStyledAsync();
        await browser.ScreenshotAsync("1-empty-list");

        // A query to keep, so that filtering has something to leave out.
        await CreateGaiaQueryAsync(page, "Gaia microlensing watch", "Gaia22ccl");

        // The Gaia form, submitted empty: the errors sit beside their fields.
        await page.GetByRole(AriaRole.Link, new() { Name = "Gaia", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/create/?broker=Gaia");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Gaia Query Form" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(page.Locator(".invalid-feedback[data-field=query_name]")).ToBeVisibleAsync();
        await BrowserSession.AssertBesideAsync(page.Locator("#field-query_name"), page.Locator(".invalid-feedback[data-field=query_name]"),
            "This field is required.");
        await Expect(page.Locator("#field-query_name")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-invalid"));
        await browser.AssertStyledAsync();
        await browser.ScreenshotAsync("2-form-with-errors");

        // Valid values: saved, and listed.
        await page.Locator("#field-query_name").FillAsync("Gaia nova search");
        await page.Locator("#field-target_name").FillAsync("Gaia23dnw");
        await page.Locator("#field-visibility").SelectOptionAsync("Private");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/list/");
        await Expect(page.GetByText("Saved the query \"Gaia nova search\".")).ToBeVisibleAsync();
        var row = page.Locator("#query-table tbody tr").Filter(new() { HasText = "Gaia nova search" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("Gaia");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("private");
        await Expect(row).ToContainTextAsync("never");
        await browser.ScreenshotAsync("3-list");

        // Edit: the form is prefilled; a new target name is saved.
        await row.GetByRole(AriaRole.Link, new() { Name = "Gaia nova search" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/*/update/");
        await Expect(page.Locator("#field-query_name")).ToHaveValueAsync("Gaia nova search");
        await Expect(page.Locator("#field-target_name")).ToHaveValueAsync("Gaia23dnw");
        await Expect(page.Locator("#field-visibility")).ToHaveValueAsync("Private");
        await page.Locator("#field-target_name").FillAsync("Gaia24abc");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/list/");
        await Expect(page.GetByText("Updated the query \"Gaia nova search\".")).ToBeVisibleAsync();
        var saved = await factory.WithDbAsync(db => db.BrokerQueries.AsNoTracking().SingleAsync(q => q.Name == "Gaia nova search"));
        Assert.Equal("Gaia24abc", (string?)JsonNode.Parse(saved.Parameters)!["target_name"]);

        // Filter by name: only the nova query is left.
        await Expect(page.Locator("#query-table tbody tr")).ToHaveCountAsync(2);
        await page.Locator("#filter-name").FillAsync("nova");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/list/?*name=nova*");
        await Expect(page.Locator("#query-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#query-table")).ToContainTextAsync("Gaia nova search");
        await Expect(page.Locator("#query-table")).Not.ToContainTextAsync("Gaia microlensing watch");
        await Expect(page.Locator("#filter-name")).ToHaveValueAsync("nova");

        // Delete through the confirm page.
        await page.Locator("#query-table tbody tr").Filter(new() { HasText = "Gaia nova search" })
            .GetByRole(AriaRole.Link, new() { Name = "Delete" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/*/delete/");
        await Expect(page.GetByText("Are you sure you want to delete")).ToContainTextAsync("Gaia nova search");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/list/");
        await Expect(page.GetByText("Deleted the query \"Gaia nova search\".")).ToBeVisibleAsync();
        await Expect(page.Locator("#query-table")).Not.ToContainTextAsync("Gaia nova search");
        await Expect(page.Locator("#query-table tbody tr")).ToHaveCountAsync(1);
        Assert.False(await factory.WithDbAsync(db => db.BrokerQueries.AnyAsync(q => q.Name == "Gaia nova search")));
        await browser.AssertStyledAsync();
        await browser.ScreenshotAsync("4-final-list");

        browser.AssertClean("422 POST");
    }

    private static async Task CreateGaiaQueryAsync(IPage page, string name, string targetName)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Gaia", Exact = true }).ClickAsync();
        await page.Locator("#field-query_name").FillAsync(name);
        await page.Locator("#field-target_name").FillAsync(targetName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/list/");
        await Expect(page.Locator("#query-table")).ToContainTextAsync(name);
    }
}
