using System.Net;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Stamps;

/// <summary>Stamps of a run's alerts through the API and the pages, against the loopback ALeRCE (gzipped FITS) and Fink.</summary>
public sealed class StampsApiTests : AppTest
{
    protected override void Arrange() => Factory.Brokers.MapAlerce(3); // with its stamp service

    private int StampRequests => Factory.Brokers.Requests.Count(r => r.Contains(FakeAlerce.StampsPrefix + "/get_stamp", StringComparison.Ordinal));

    private async Task<(ApiUser Api, long RunId)> AlerceRunAsync(string? visibility = null)
    {
        var api = await Factory.ApiUserAsync();
        var runId = (await api.Api.RunAsync(await api.Api.CreateQueryAsync("ALeRCE", visibility: visibility))).GetProperty("id").GetInt64();
        return (api, runId);
    }

    [Fact]
    public async Task Get_AlerceFitsStamp_IsPngRenderedThenServedFromTheCache()
    {
        var (api, runId) = await AlerceRunAsync();

        using var first = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts/ZTF23abtfusv/stamps/science");
        var png = await first.Content.ReadAsByteArrayAsync();
        var callsAfterFirst = StampRequests;
        using var second = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts/ZTF23abtfusv/stamps/science");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/png", first.Content.Headers.ContentType!.MediaType);
        Assert.Contains("max-age", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((63, 63), (bitmap.Width, bitmap.Height));
        Assert.True(bitmap.GetPixel(31, 31).Red > bitmap.GetPixel(2, 2).Red, "The star is not brighter than the sky.");
        Assert.Equal(1, callsAfterFirst);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(png, await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, StampRequests);
    }

    [Fact]
    public async Task Get_EachKind_AsksTheStampServiceForThatType()
    {
        var (api, runId) = await AlerceRunAsync();

        foreach (var kind in new[] { "science", "template", "difference" })
        {
            using var response = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts/ZTF23abtfusv/stamps/{kind}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var types = Factory.Brokers.Requests.Where(r => r.Contains("/get_stamp", StringComparison.Ordinal))
            .Select(r => System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + r.Split(' ')[1]).Query)["type"]).ToList();
        Assert.Equal(["science", "template", "difference"], types);
    }

    [Fact]
    public async Task Get_NotFoundCases_AreProblemDetails404()
    {
        var (api, runId) = await AlerceRunAsync();
        var (_, privateRun) = await AlerceRunAsync(visibility: "private");

        using var unknownRun = await api.Api.GetAsync($"/api/v1/runs/999999/alerts/ZTF23abtfusv/stamps/science");
        using var othersPrivateRun = await api.Api.GetAsync($"/api/v1/runs/{privateRun}/alerts/ZTF23abtfusv/stamps/science");
        using var notInRun = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts/ZTF99nothing/stamps/science");
        using var badKind = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts/ZTF23abtfusv/stamps/colour");

        foreach (var response in new[] { unknownRun, othersPrivateRun, notInRun, badKind })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
        Assert.Equal(0, StampRequests);
    }

    [Fact]
    public async Task Get_BrokerHasNoStamp_Is404AndRememberedForAWhile()
    {
        Factory.Brokers.MapText(FakeAlerce.StampsPrefix + "/get_stamp", 404, "<h1>Not Found</h1>", "text/html");
        var (api, runId) = await AlerceRunAsync();

        using var first = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts/ZTF23abtfusv/stamps/difference");
        using var second = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts/ZTF23abtfusv/stamps/difference");

        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        Assert.Contains("no difference cutout", (await first.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal(1, StampRequests);
    }

    [Fact]
    public async Task Get_BrokerFails_Is502InPlainWordsNever500()
    {
        Factory.Brokers.MapText(FakeAlerce.StampsPrefix + "/get_stamp", 500, "Internal Server Error", "text/plain");
        var (api, runId) = await AlerceRunAsync();

        using var response = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts/ZTF23abtfusv/stamps/science");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("ALeRCE", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_BrokerSendsGarbage_Is502()
    {
        Factory.Brokers.MapText(FakeAlerce.StampsPrefix + "/get_stamp", 200, "SIMPLE  = garbage that is not a FITS file", "application/octet-stream");
        var (api, runId) = await AlerceRunAsync();

        using var response = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts/ZTF23abtfusv/stamps/science");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("cannot show", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageRoute_LoggedInUser_GetsTheSamePng()
    {
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "ALeRCE", []);
        var runId = await Factory.RunQueryAsync(user, queryId);

        using var response = await user.Page.Client.GetAsync($"/alerts/run/{runId}/alerts/ZTF23abtfusv/stamps/template");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("img-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetPage_TargetFromAlerceAlert_ShowsThreeCutoutsServedByThePortal()
    {
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "ALeRCE", []);
        var runId = await Factory.RunQueryAsync(user, queryId);
        using var created = await user.CreateTargetsAsync(runId, "ZTF23abtfusv");
        var targetId = await Factory.WithDbAsync(db => db.Targets.Where(t => t.Name == "ZTF23abtfusv").Select(t => t.Id).SingleAsync());

        var html = await user.Page.Client.GetStringAsync($"/targets/{targetId}/");
        using var stamp = await user.Page.Client.GetAsync($"/targets/{targetId}/stamps/difference");

        foreach (var kind in new[] { "science", "template", "difference" })
        {
            Assert.Contains($"src=\"/targets/{targetId}/stamps/{kind}\"", html, StringComparison.Ordinal);
        }
        Assert.Contains("alt=\"Reference cutout\"", html, StringComparison.Ordinal);
        Assert.Contains("loading=\"lazy\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stamp.StatusCode);
        Assert.Equal("image/png", stamp.Content.Headers.ContentType!.MediaType);
    }
}
