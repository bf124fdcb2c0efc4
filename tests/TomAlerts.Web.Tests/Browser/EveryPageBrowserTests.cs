using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TomAlerts.Web.Hosting;
using TomAlerts.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TomAlerts.Web.Tests.Browser;

/// <summary>
/// Every page of the portal, with data on it, on a 390-px phone: the document is never wider than the screen (tables
/// scroll inside themselves), and in a dark colour scheme the page is dark. Screenshots of every page, light and dark,
/// desktop and phone, land in TestResults/screenshots/pages-*.png for a person to review.
/// </summary>
public class EveryPageBrowserTests(KestrelFactory factory, ITestOutputHelper output) : IClassFixture<KestrelFactory>
{
    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly ViewportSize Desktop = new() { Width = 1400, Height = 900 };

    /// <summary>A page to visit: a short name for messages and screenshots, its address, and the 4xx it answers on purpose.</summary>
    private sealed record PageVisit(string Name, string Path, string? ExpectedStatus = null);

    /// <summary>
    /// The pages of a logged-in admin, from the controllers' routes. A new page goes here (a new feature's pages as one
    /// more line): <paramref name="d"/> holds the ids of the data the test made.
    /// </summary>
    private static IEnumerable<PageVisit> LoggedInPages(Seeded d) =>
    [
        new("home", "/"),
        new("queries", "/alerts/query/list/"),
        .. d.QueryForms.Select(broker => new PageVisit($"query-form-{broker}", $"/alerts/query/create/?broker={Uri.EscapeDataString(broker)}")),
        new("query-edit", $"/alerts/query/{d.QueryId}/update/"),
        new("query-view", $"/alerts/query/{d.QueryId}/view/"),
        new("query-delete", $"/alerts/query/{d.QueryId}/delete/"),
        new("run-history", $"/alerts/query/{d.QueryId}/runs/"),
        new("run-results", $"/alerts/run/{d.RunId}/"),
        new("alert-details", $"/alerts/run/{d.RunId}/alerts/{Uri.EscapeDataString(d.AlertId)}/details"),
        new("targets", "/targets/"),
        new("target", $"/targets/{d.TargetId}/"),
        new("target-photometry", $"/targets/{d.TargetId}/photometry/"),
        new("target-create", "/targets/create/"),
        new("target-edit", $"/targets/{d.TargetId}/update/"),
        new("target-merge", $"/targets/{d.TargetId}/merge/?from={Uri.EscapeDataString(d.OtherTargetName)}"),
        new("target-delete", $"/targets/{d.TargetId}/delete/"),
        .. d.SubmitForms.Select(path => new PageVisit($"submit-{path.Split('/')[2]}", path)),
        new("target-lists", "/targets/lists/"),
        new("target-list", $"/targets/lists/{d.ListId}/"),
        new("cone-search", "/search/cone"),
        new("cone-search-results", "/search/cone?ra=150.3157&dec=2.2094&radius=30"),
        new("brokers", "/brokers/"),
        new("tokens", "/account/tokens"),
        new("my-groups", "/groups/mine/"),
        new("groups", "/groups/"),
        new("invites", "/account/invites/"),
        new("streams", "/streams/"),
        new("stream-choose", "/streams/create/"),
        new("stream-form", "/streams/create/?source=Lasair"),
        new("stream-details", $"/streams/{d.StreamId}/"),
        new("stream-edit", $"/streams/{d.StreamId}/update/"),
        new("stream-delete", $"/streams/{d.StreamId}/delete/"),
        new("not-found", "/targets/999999/", "404 GET"),
    ];

    private static readonly PageVisit[] LoggedOutPages =
    [
        new("login", "/account/login"),
        new("register", "/account/register"),
        new("lockout", "/account/lockout"),
    ];

    private sealed record Seeded(int QueryId, long RunId, string AlertId, int TargetId, string OtherTargetName, int ListId,
        IReadOnlyList<string> QueryForms, IReadOnlyList<string> SubmitForms, int StreamId);

    [BrowserFact]
    public async Task EveryPage_OnAPhoneAndInDarkMode_FitsTheScreenAndIsDark()
    {
        factory.Brokers.MapAlerce(30);
        var email = await AdminAsync();
        await using var browser = await BrowserSession.StartAsync(factory.BaseUrl, output, "pages");
        var page = browser.Page;
        var failures = new List<string>();

        // Logged out first: the log-in pages, on a phone.
        foreach (var visit in LoggedOutPages)
        {
            await VisitAsync(browser, page, visit, "light", failures);
        }

        await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
        await browser.LogInAsync(email);
        var seeded = await SeedAsync(page, failures, browser, email);
        var pages = LoggedInPages(seeded).ToList();
        output.WriteLine($"{pages.Count + LoggedOutPages.Length} pages");

        foreach (var visit in pages)
        {
            await VisitAsync(browser, page, visit, "light", failures);
        }

        // The same pages in a browser that prefers a dark colour scheme, logged in with the same cookies.
        var dark = await browser.OpenContextAsync(new BrowserNewContextOptions
        {
            ColorScheme = ColorScheme.Dark, ViewportSize = Desktop, StorageState = await page.Context.StorageStateAsync(),
        });
        foreach (var visit in pages)
        {
            await VisitAsync(browser, dark, visit, "dark", failures);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        browser.AssertClean("404 GET http://127.0.0.1:" + new Uri(factory.BaseUrl).Port + "/targets/999999/");
    }

    [BrowserFact]
    public async Task ThemeToggle_DarkChosen_KeptOnTheNextPageAndBackToTheSystemOnAuto()
    {
        await using var browser = await BrowserSession.StartAsync(factory.BaseUrl, output, "theme");
        var page = browser.Page;
        await page.GotoAsync("/account/login");
        Assert.Equal("light", await ThemeAsync(page)); // the browser prefers light

        await page.Locator("#theme-menu").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Dark" }).ClickAsync();
        Assert.Equal("dark", await ThemeAsync(page));
        await page.GotoAsync("/account/register");
        Assert.Equal("dark", await ThemeAsync(page));
        Assert.True(await BackgroundIsDarkAsync(page), "the register page is light after choosing dark");
        await Expect(page.Locator("#theme-menu-label")).ToHaveTextAsync("Theme: dark");

        await page.Locator("#theme-menu").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Auto (as the system)" }).ClickAsync();
        Assert.Equal("light", await ThemeAsync(page));
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-bs-theme", "dark"); // auto follows the system as it changes
        await page.ReloadAsync();
        Assert.Equal("dark", await ThemeAsync(page));
        browser.AssertClean();
    }

    /// <summary>An admin account (the groups and invitations pages are theirs), made as the portal makes one.</summary>
    private async Task<string> AdminAsync()
    {
        var email = $"phone-admin-{Guid.NewGuid():N}@example.org";
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, TestUser.Password)).Succeeded);
        await users.AddToRoleAsync(user, IdentityExtensions.AdminRole);
        await scope.ServiceProvider.GetRequiredService<TomAlerts.Web.Features.Groups.GroupDirectory>().SetUpNewUserAsync(user.Id, CancellationToken.None);
        return email;
    }

    private static Task<string> ThemeAsync(IPage page) => page.EvaluateAsync<string>("() => document.documentElement.getAttribute('data-bs-theme')");

    /// <summary>
    /// A query, a finished run of 30 alerts from the fake ALeRCE, two targets with photometry from it, a list, a group, a token,
    /// and a stopped stream subscription with long topic names and a dead letter (stopped: no consumer reaches for a server).
    /// </summary>
    private async Task<Seeded> SeedAsync(IPage page, List<string> failures, BrowserSession browser, string email)
    {
        var queryForms = await page.Locator("a[href^='/alerts/query/create/?broker=']").EvaluateAllAsync<string[]>(
            "links => links.map(a => new URL(a.href).searchParams.get('broker'))");
        await page.GetByRole(AriaRole.Link, new() { Name = "ALeRCE", Exact = true }).ClickAsync();
        await page.Locator("#field-query_name").FillAsync("Phone-sized SN candidates");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/query/list/");
        await page.Locator("#query-table tbody tr").Filter(new() { HasText = "Phone-sized SN candidates" })
            .GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/run/*/");
        await Expect(page.Locator("#run-status")).ToHaveAttributeAsync("data-finished", "true", new() { Timeout = 30_000 });
        var runId = long.Parse(new Uri(page.Url).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);

        // Targets from two alerts, chosen on a phone: the outcome page is checked there (it answers a POST).
        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        foreach (var oid in new[] { FakeAlerce.Oid(0), FakeAlerce.Oid(1) })
        {
            await page.GetByLabel($"Select {oid}", new() { Exact = true }).CheckAsync();
        }
        await page.Locator("#create-targets").ClickAsync();
        await page.WaitForURLAsync("**/alerts/alert/create/");
        await CheckAsync(browser, page, "targets-created", "light", failures);
        await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);

        await page.GotoAsync("/targets/lists/");
        await page.Locator("#list-name").FillAsync("Spectroscopy tonight");
        await page.Locator("#create-list").ClickAsync();
        await page.GotoAsync("/groups/");
        await page.Locator("#group-name").FillAsync("Phone observers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create group" }).ClickAsync();
        await page.GotoAsync("/account/tokens");
        await page.Locator("#token-name").FillAsync("nightly photometry script with a long name");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();

        var (queryId, targetId, otherName, listId) = await factory.WithDbAsync(async db =>
        {
            var query = await db.BrokerQueries.SingleAsync(q => q.Name == "Phone-sized SN candidates");
            var target = await db.Targets.SingleAsync(t => t.Name == FakeAlerce.Oid(0));
            var list = await db.TargetLists.SingleAsync(l => l.Name == "Spectroscopy tonight");
            db.TargetListMembers.Add(new TomAlerts.Targets.TargetListMember { TargetListId = list.Id, TargetId = target.Id, Added = DateTime.UtcNow });
            await db.SaveChangesAsync();
            return (query.Id, target.Id, FakeAlerce.Oid(1), list.Id);
        });
        await page.GotoAsync($"/targets/{targetId}/");
        var submitForms = await page.Locator("a[href^='/alerts/'][href*='/submit/']").EvaluateAllAsync<string[]>(
            "links => links.map(a => new URL(a.href).pathname + new URL(a.href).search)");
        var streamId = await factory.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var owner = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            var query = new TomAlerts.Queries.BrokerQuery
            {
                Name = "SN near galaxies (LSST)", Broker = "Lasair", Parameters = "{}", IsStream = true, OwnerId = owner, Created = now, Modified = now,
                WebhookUrl = "https://example.org/hooks/tomalerts-digests", WebhookSecret = "phone-webhook-secret",
            };
            var subscription = new TomAlerts.Streams.StreamSubscription
            {
                Name = "SN near galaxies (LSST)", Source = TomAlerts.Streams.StreamSource.Lasair, Topics = "lasair_42lsst-sn-near-galaxy\nlasair_42lsst-fast-risers-within-two-arcsec",
                GroupId = "tomalerts-SN near galaxies (LSST)", Query = query, OwnerId = owner, Enabled = false, State = TomAlerts.Streams.StreamState.Stopped,
                MessagesConsumed = 12345, Lag = 0, LastMessageAt = now, Created = now, Modified = now,
            };
            db.StreamSubscriptions.Add(subscription);
            await db.SaveChangesAsync();
            db.StreamDeadLetters.Add(new TomAlerts.Streams.StreamDeadLetter
            {
                StreamSubscriptionId = subscription.Id, Topic = "lasair_42lsst-sn-near-galaxy", Partition = 0, Offset = 41, Received = now,
                Reason = "The message is not JSON: 'x' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.", Value = "xyz"u8.ToArray(),
            });
            await db.SaveChangesAsync();
            return subscription.Id;
        });
        return new Seeded(queryId, runId, FakeAlerce.Oid(0), targetId, otherName, listId, queryForms, submitForms, streamId);
    }

    private async Task VisitAsync(BrowserSession browser, IPage page, PageVisit visit, string mode, List<string> failures)
    {
        await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
        var response = await page.GotoAsync(visit.Path);
        var status = response?.Status ?? 0;
        if (status >= 400 && visit.ExpectedStatus is null)
        {
            failures.Add($"{visit.Name} ({visit.Path}) answered {status}.");
        }
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await SettleAsync(page);
        await browser.ScreenshotAsync(page, $"{visit.Name}-{mode}-desktop");
        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        await CheckAsync(browser, page, visit.Name, mode, failures);
    }

    /// <summary>At phone width: no horizontal page scroll; in dark mode a dark background; a screenshot either way.</summary>
    private async Task CheckAsync(BrowserSession browser, IPage page, string name, string mode, List<string> failures)
    {
        await SettleAsync(page);
        var width = System.Text.Json.JsonSerializer.Deserialize<WidthReport>(await page.EvaluateAsync<string>("""
            () => {
                const limit = window.innerWidth;
                let widest = null, right = 0;
                for (const el of document.body.querySelectorAll("*")) {
                    const box = el.getBoundingClientRect();
                    if (box.width === 0 || box.right <= limit + 1 || box.right <= right) { continue; }
                    // Inside a box that scrolls or clips sideways, overflow is the box's business, not the page's.
                    let clipped = false;
                    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                        const o = getComputedStyle(p).overflowX;
                        if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") { clipped = true; break; }
                    }
                    if (clipped) { continue; }
                    right = box.right;
                    widest = el;
                }
                const describe = el => el ? el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") +
                    " \"" + (el.textContent || "").trim().substring(0, 60) + "\"" : "none";
                return JSON.stringify({ scrollWidth: document.documentElement.scrollWidth, innerWidth: limit, widest: describe(widest), right: Math.round(right) });
            }
            """), Web)!;
        if (width.ScrollWidth > width.InnerWidth)
        {
            failures.Add($"{name} ({mode}) is {width.ScrollWidth} px wide on a {width.InnerWidth}-px screen; widest: {width.Widest} reaching {width.Right} px.");
        }
        if (mode == "dark" && !await BackgroundIsDarkAsync(page))
        {
            failures.Add($"{name} has a light background in dark mode: {await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor")}.");
        }
        await browser.ScreenshotAsync(page, $"{name}-{mode}-phone");
    }

    /// <summary>Plots and tooltips redraw on resize: wait for the light curve's relayout before measuring.</summary>
    private static async Task SettleAsync(IPage page)
    {
        if (await page.Locator("#lightcurve").CountAsync() > 0)
        {
            await Expect(page.Locator("#lightcurve .main-svg").First).ToBeAttachedAsync();
        }
        await page.WaitForTimeoutAsync(150);
    }

    /// <summary>The body's background colour has a relative luminance below 0.2 (Bootstrap's dark body is #212529).</summary>
    private static Task<bool> BackgroundIsDarkAsync(IPage page) => page.EvaluateAsync<bool>("""
        () => {
            const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+(\.\d+)?/g).map(Number);
            return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.2;
        }
        """);

    private sealed record WidthReport(int ScrollWidth, int InnerWidth, string Widest, int Right);
}
