using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Search;

/// <summary>One position asked of every broker at once, over loopback fakes replaying the recorded answers for SN 2023vjq.</summary>
public sealed partial class ConeSearchTests : AppTest
{
    protected override void Arrange()
    {
        Factory.Brokers.MapConeBrokers();
    }

    private static string ConeUrl(string ra = "150.31577", string dec = "2.20943", string radius = "10") =>
        $"/search/cone?ra={Uri.EscapeDataString(ra)}&dec={Uri.EscapeDataString(dec)}&radius={radius}";

    [Fact]
    public async Task Cone_SameTransientFromEveryConeBroker_IsOneRowWithEveryName()
    {
        var user = await Factory.LoginAsync();

        var (status, html) = await user.Page.GetAsync(ConeUrl());
        using var api = await user.Page.Client.GetAsync("/api/v1/search/cone?ra=150.31577&dec=2.20943&radiusArcsec=10");
        var json = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        var row = Assert.Single(json.GetProperty("rows").EnumerateArray());
        var brokers = row.GetProperty("brokers");
        Assert.Equal("ZTF23abtfusv", brokers.GetProperty("ALeRCE")[0].GetProperty("alertId").GetString());
        Assert.Equal("ZTF23abtfusv", brokers.GetProperty("Lasair")[0].GetProperty("alertId").GetString());
        Assert.Equal("2023vjq", brokers.GetProperty("TNS")[0].GetProperty("alertId").GetString());
        Assert.Equal("Gaia23dnw", brokers.GetProperty("Gaia")[0].GetProperty("alertId").GetString());
        Assert.Equal("ZTF23abtfusv", brokers.GetProperty("Fink")[0].GetProperty("alertId").GetString());
        Assert.Equal("ANT2023ch7kxe", brokers.GetProperty("ANTARES")[0].GetProperty("alertId").GetString());
        Assert.Contains(brokers.GetProperty("Hermes").EnumerateArray(), a => a.GetProperty("alertId").GetString()!.EndsWith(":2023vjq", StringComparison.Ordinal));
        Assert.Contains(row.GetProperty("names").EnumerateArray(), n => n.GetString()!.Contains("2023vjq", StringComparison.Ordinal));
        Assert.True(row.GetProperty("separationArcsec").GetDouble() < 1);
        Assert.All(json.GetProperty("brokers").EnumerateArray(), b => Assert.Equal("ok", b.GetProperty("status").GetString()));
        Assert.Single(RowPattern().Matches(html));
        Assert.Contains("ZTF23abtfusv", html, StringComparison.Ordinal);
        Assert.Contains("2023vjq", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cone_OneBrokerFails_ItsColumnSaysSoAndTheOthersStillAnswer()
    {
        Factory.Brokers.MapText("/lasair/api/cone/", 500, """{"detail": "Internal Server Error"}""");
        var user = await Factory.LoginAsync();

        var (status, html) = await user.Page.GetAsync(ConeUrl());
        using var api = await user.Page.Client.GetAsync("/api/v1/search/cone?ra=150.31577&dec=2.20943&radiusArcsec=10");
        var json = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, status);
        var lasair = json.GetProperty("brokers").EnumerateArray().Single(b => b.GetProperty("broker").GetString() == "Lasair");
        Assert.Equal("failed", lasair.GetProperty("status").GetString());
        var row = Assert.Single(json.GetProperty("rows").EnumerateArray());
        Assert.True(row.GetProperty("brokers").TryGetProperty("ALeRCE", out _));
        Assert.True(row.GetProperty("brokers").TryGetProperty("TNS", out _));
        Assert.False(row.GetProperty("brokers").TryGetProperty("Lasair", out _));
        Assert.Contains("data-broker=\"Lasair\" data-state=\"failed\"", html, StringComparison.Ordinal);
        Assert.Matches(@"<td data-broker=""Lasair"">\s*<span class=""small text-muted fst-italic"">failed</span>", html);
    }

    [Fact]
    public async Task Cone_UnconfiguredAndSlowBrokers_AreMarkedAndThePageAnswersWithinTheTimeout()
    {
        Factory.Settings["BROKERS:LASAIR:api_key"] = "";
        Factory.Settings["Search:BrokerTimeout"] = "00:00:01";
        Factory.Brokers.Map("/tns/api/get/search", async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted);
        });
        var user = await Factory.LoginAsync();

        var clock = Stopwatch.StartNew();
        using var api = await user.Page.Client.GetAsync("/api/v1/search/cone?ra=10:01:15.79&dec=%2B02:12:34.0&radiusArcsec=10");
        clock.Stop();
        var json = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement;

        var states = json.GetProperty("brokers").EnumerateArray().ToDictionary(b => b.GetProperty("broker").GetString()!, b => b.GetProperty("status").GetString());
        Assert.Equal("not configured", states["Lasair"]);
        Assert.True(states["TNS"] == "timed out", json.GetProperty("brokers").ToString());
        Assert.Equal("ok", states["ALeRCE"]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"The search took {clock.Elapsed}.");
        Assert.Equal(150.31579, json.GetProperty("query").GetProperty("ra").GetDouble(), 4);
    }

    [Fact]
    public async Task Cone_BadInput_ErrorsBesideTheFieldsAndNoBrokerIsAsked()
    {
        var user = await Factory.LoginAsync();
        var before = Factory.Brokers.Requests.Count;

        var (status, html) = await user.Page.GetAsync("/search/cone?ra=400&dec=&radius=9999");
        var (targetStatus, targetHtml) = await user.Page.GetAsync("/search/cone?target=NoSuchObject&radius=10");
        using var api = await user.Page.Client.GetAsync("/api/v1/search/cone?ra=abc&dec=2&radiusArcsec=10");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("data-field=\"ra\"", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"dec\"", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"radius\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, targetStatus);
        Assert.Contains("No target is called", WebUtility.HtmlDecode(targetHtml), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal(before, Factory.Brokers.Requests.Count);
    }

    [Fact]
    public async Task CreateTarget_FromARow_OneTargetWithEveryBrokersNameAndPhotometry_ThenSearchByItsName()
    {
        var user = await Factory.LoginAsync();
        var (_, html) = await user.Page.GetAsync(ConeUrl());
        var keys = AlertKeyPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

        using var created = await user.Page.PostWithTokenAsync("/search/cone/create",
            keys.Select(k => new KeyValuePair<string, string>("alerts", k)).Append(new("back", ConeUrl())), PageSession.Token(html));
        var target = await Factory.WithDbAsync(db => db.Targets.Include(t => t.Aliases).Include(t => t.Photometry).AsNoTracking().SingleAsync());
        var (byNameStatus, byName) = await user.Page.GetAsync("/search/cone?target=SN2023vjq&radius=5");

        Assert.Equal(["ALeRCE:ZTF23abtfusv", "ANTARES:ANT2023ch7kxe", "Fink:ZTF23abtfusv", "Gaia:Gaia23dnw",
            "Hermes:5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170:2023vjq", "Hermes:c7e90a44-1f2b-4c3d-8e5f-9a0b1c2d3e4f:LSST-P-DO-169298433216610349",
            "Lasair:ZTF23abtfusv", "TNS:2023vjq"], keys.Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal($"/targets/{target.Id}/", created.Headers.Location!.OriginalString);
        // The first TNS designation among the brokers' names is the target's name; the ZTF name stays an alias.
        Assert.Equal("AT2023vjq", target.Name);
        Assert.Contains(target.Aliases, a => a.Name == "ZTF23abtfusv");
        Assert.Contains(target.Photometry, p => p.Source == "ALeRCE");
        Assert.Contains(target.Photometry, p => p.Source == "Lasair");
        Assert.Contains(target.Photometry, p => p.Source == "TNS");
        Assert.Contains(target.Photometry, p => p.Source == "Gaia");
        Assert.Contains(target.Photometry, p => p.Sources.Contains("Fink"));
        Assert.Contains(target.Aliases, a => a.Name == "Gaia23dnw");
        Assert.Contains(target.Aliases, a => a.Name == "ANT2023ch7kxe");
        Assert.Contains(target.Photometry, p => p.Sources.Contains("ANTARES"));
        Assert.Equal(HttpStatusCode.OK, byNameStatus);
        Assert.Contains("the position of AT2023vjq", byName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTarget_KeysForUnknownBrokers_CreateNothing()
    {
        var user = await Factory.LoginAsync();
        var (_, html) = await user.Page.GetAsync("/search/cone");

        using var response = await user.Page.PostWithTokenAsync("/search/cone/create",
            [new("alerts", "Nowhere:X1"), new("alerts", "garbage"), new("back", "https://evil.example/")], PageSession.Token(html));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/search/cone", response.Headers.Location!.OriginalString);
        Assert.Equal(0, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
    }

    [Fact]
    public async Task Api_WithoutLogin_IsNotAnswered()
    {
        using var client = Factory.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/api/v1/search/cone?ra=150.3&dec=2.2&radiusArcsec=10");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [GeneratedRegex(@"<form method=""post"" action=""/search/cone/create"">")]
    private static partial Regex RowPattern();

    [GeneratedRegex(@"name=""alerts"" value=""([^""]+)""")]
    private static partial Regex AlertKeyPattern();
}
