using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using TomAlerts.Web.Tests.Streams;
using TomAlerts.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TomAlerts.Web.Tests.Browser;

/// <summary>
/// A new user subscribes to a Lasair topic in the browser, against librdkafka's mock Kafka cluster on 127.0.0.1 behind
/// a real Kestrel server, and watches the alerts arrive on the open run page; the webhook gets one digest per window.
/// </summary>
public sealed class StreamsBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Topic = "lasair_42lsst-sn-near-galaxy";
    private const long FirstId = 169298433216610349;
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly KafkaMockCluster kafka = new();
    private readonly KestrelFactory factory = new();
    private readonly ConcurrentQueue<JsonObject> digests = new();

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)factory).InitializeAsync();
        factory.UseKafka(kafka, windowSeconds: 2);
        factory.Settings["STREAMS:LASAIR:bootstrap_servers"] = kafka.BootstrapServers;
        factory.Settings["Notifications:Webhook:AllowPrivateAddresses"] = "true"; // the receiver is on 127.0.0.1
        factory.Brokers.Map("/hook", async context =>
        {
            digests.Enqueue(JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!.AsObject());
            await context.Response.WriteAsync("thanks");
        });
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)factory).DisposeAsync();
        kafka.Dispose();
    }

    /// <summary>Lasair's LSST "lite" message (the recorded shape) for object <paramref name="i"/>.</summary>
    private static string LiteMessage(int i)
    {
        var message = JsonNode.Parse(Fixtures.Read("lasair_lsst/kafka_message_lite.json"))!.AsObject();
        message["diaObjectId"] = FirstId + i;
        message["ra"] = 150.31578312240114 + i * 0.01;
        return message.ToJsonString();
    }

    private static string Id(int i) => (FirstId + i).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [BrowserFact]
    public async Task NewUser_SubscribesToALasairTopic_AlertsAppearLiveOnTheRunPage_OneDigestPerWindow()
    {
        await using var browser = await BrowserSession.StartAsync(factory.BaseUrl, output, "streams");
        var page = browser.Page;
        await browser.RegisterAsync($"streamer-{Guid.NewGuid():N}@example.org");

        // Streams → New subscription → Lasair.
        await page.Locator("#nav-streams").ClickAsync();
        await page.WaitForURLAsync("**/streams/");
        await page.Locator("#new-stream").ClickAsync();
        await page.Locator("[data-source=Lasair]").GetByRole(AriaRole.Link, new() { Name = "Choose" }).ClickAsync();
        await page.WaitForURLAsync("**/streams/create/?source=Lasair");

        // Bad input first: the messages sit beside the fields.
        await page.Locator("#field-topics").FillAsync("bad topic!");
        var rejected = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync(),
            r => r.Url.EndsWith("/streams/create/", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.Equal(422, rejected.Status);
        await BrowserSession.AssertBesideAsync(page.Locator("#field-name"), page.Locator("[data-field=name]"), "Give the subscription a name.");
        await BrowserSession.AssertBesideAsync(page.Locator("#field-topics"), page.Locator("[data-field=topics]"), "\"bad topic!\" is not a Kafka topic name");
        await Expect(page.Locator("#field-topics")).ToHaveValueAsync("bad topic!");
        await browser.ScreenshotAsync("1-bad-input");

        await page.Locator("#field-name").FillAsync("SN near galaxies");
        await page.Locator("#field-topics").FillAsync(Topic);
        await page.Locator("#field-webhookUrl").FillAsync(factory.Brokers.Url + "/hook");
        await page.Locator("#field-webhookSecret").FillAsync("stream-digest-secret");
        await Expect(page.Locator("#field-start")).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.WaitForURLAsync("**/streams/");
        var row = page.Locator("#stream-table tbody tr").Filter(new() { HasText = "SN near galaxies" });
        await Expect(row).ToContainTextAsync(Topic);

        // The first messages open the day's stream run.
        kafka.ProduceAll(Topic, Enumerable.Range(0, 3).Select(LiteMessage));
        await row.GetByRole(AriaRole.Link, new() { Name = "SN near galaxies" }).ClickAsync();
        await page.WaitForURLAsync("**/streams/*/");
        await Poll.UntilAsync(async () =>
            {
                await page.ReloadAsync();
                return await page.Locator("#current-run").CountAsync();
            }, n => n == 1, _ => "The subscription's details show no current run.", TimeSpan.FromSeconds(30));
        await page.Locator("#current-run").ClickAsync();
        await page.WaitForURLAsync("**/alerts/run/*/");
        await Expect(page.Locator("#stream-live")).ToContainTextAsync($"Listening to {Topic}");
        var rows = page.Locator("#alerts-table tbody tr.alert-row");
        await Expect(rows).ToHaveCountAsync(3, new() { Timeout = 15_000 });
        await page.EvaluateAsync("() => { window.streamTestMarker = 'same document'; }");

        // More messages while the page is open: they appear without a reload. They are sent once the first window has
        // closed with its digest, so the two batches fall in two windows however fast the steps above went.
        await Poll.UntilAsync(() => Task.FromResult(digests.Count), n => n >= 1, n => $"{n} digests after the first three alerts.", TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();
        kafka.ProduceAll(Topic, Enumerable.Range(3, 3).Select(LiteMessage));
        await Expect(rows).ToHaveCountAsync(6, new() { Timeout = 15_000 });
        var seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"The three new alerts were on the open page {seconds:0.0} s after they were produced.");
        Assert.True(seconds < 10, $"The new alerts took {seconds:0.0} s to appear.");
        Assert.Equal("same document", await page.EvaluateAsync<string?>("() => window.streamTestMarker"));
        foreach (var i in Enumerable.Range(3, 3))
        {
            await Expect(page.Locator($"#alerts-table tbody tr[data-alert-id='{Id(i)}']")).ToBeVisibleAsync();
        }
        await Expect(page.Locator("#stream-alert-count")).ToHaveTextAsync("6 alerts");
        await browser.ScreenshotAsync("2-live-run-desktop");

        // On a phone the rows added live hide the same columns as the header.
        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        var visible = await page.EvaluateAsync<int[]>("""
            () => [document.querySelector("#alerts-table thead tr"), ...document.querySelectorAll("#alerts-table tbody tr.alert-row")]
                .map(tr => Array.from(tr.children).filter(c => getComputedStyle(c).display !== "none").length)
            """);
        Assert.All(visible, n => Assert.Equal(visible[0], n));
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The live run page is wider than a phone.");
        Assert.Equal("same document", await page.EvaluateAsync<string?>("() => window.streamTestMarker"));
        await browser.ScreenshotAsync("3-live-run-phone");

        // One digest per window, never one per message: each alert is in exactly one digest, each batch in one digest.
        var all = Enumerable.Range(0, 6).Select(Id).ToList();
        await Poll.UntilAsync(() => Task.FromResult(digests.SelectMany(AlertIds).ToHashSet()), ids => all.All(ids.Contains),
            ids => $"{digests.Count} digests naming {ids.Count} of the 6 alerts.", TimeSpan.FromSeconds(20));
        await Task.Delay(5000); // two more windows: nothing new, nothing sent
        var sent = digests.ToArray();
        foreach (var digest in sent)
        {
            output.WriteLine($"digest: {digest["newAlertCount"]} new alerts: {string.Join(", ", AlertIds(digest))}");
        }
        Assert.Equal(all.Order(StringComparer.Ordinal), sent.SelectMany(AlertIds).Order(StringComparer.Ordinal));
        Assert.Single(sent, d => AlertIds(d).Contains(Id(3)));
        Assert.Equal([Id(3), Id(4), Id(5)], AlertIds(sent.Single(d => AlertIds(d).Contains(Id(3)))).Order(StringComparer.Ordinal));
        Assert.Equal(2, sent.Length);
        browser.AssertClean("422 POST");
    }

    private static List<string> AlertIds(JsonObject digest) =>
        digest["newAlerts"]!.AsArray().Select(a => (string)a!["alertId"]!).ToList();
}
