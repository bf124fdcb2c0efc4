using System.Net;
using System.Text.Json;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Api;

/// <summary>Each test has its own app: runs and targets of one test must not show in another.</summary>
public sealed class RunsApiTests : AppTest
{
    [Fact]
    public async Task Start_VisibleQuery_Is202PendingThenSucceedsWithEveryAlert()
    {
        Factory.Brokers.MapAlerce(120);
        var api = await Factory.ApiUserAsync();
        var queryId = await api.Api.CreateQueryAsync("ALeRCE", new { max_pages = "5" });

        using var started = await api.Api.PostAsync($"/api/v1/queries/{queryId}/runs", null);
        var body = await started.JsonAsync();
        var runId = body.GetProperty("id").GetInt64();
        var run = await api.Api.WaitForRunAsync(runId);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal($"/api/v1/runs/{runId}", started.Headers.Location!.OriginalString);
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(queryId, run.GetProperty("queryId").GetInt32());
        Assert.Equal(120, run.GetProperty("alertCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("error").ValueKind);
        Assert.True(run.GetProperty("finishedAt").GetDateTime() >= run.GetProperty("startedAt").GetDateTime());
    }

    [Fact]
    public async Task Alerts_Paging_CoversEveryAlertOnceWithTheEdges()
    {
        Factory.Brokers.MapAlerce(120);
        var api = await Factory.ApiUserAsync();
        var runId = (await api.Api.RunAsync(await api.Api.CreateQueryAsync("ALeRCE", new { max_pages = "5" }))).GetProperty("id").GetInt64();

        var seen = new List<string>();
        for (var page = 1; ; page++)
        {
            var body = await (await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts?page={page}&pageSize=50")).JsonAsync();
            Assert.Equal(120, body.GetProperty("total").GetInt32());
            var items = body.GetProperty("items").EnumerateArray().ToList();
            if (items.Count == 0)
            {
                break;
            }
            seen.AddRange(items.Select(i => i.GetProperty("alertId").GetString()!));
        }
        var first = (await (await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts?pageSize=1")).JsonAsync()).GetProperty("items")[0];
        var last = await (await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts?page=3&pageSize=50")).JsonAsync();
        var exact = await (await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts?page=1&pageSize=120")).JsonAsync();
        using var zero = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts?page=0");
        using var tooBig = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts?pageSize=501");
        using var noSize = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts?pageSize=0");

        Assert.Equal(120, seen.Count);
        Assert.Equal(120, seen.Distinct().Count());
        Assert.Equal(FakeAlerce.Oid(0), seen[0]);
        Assert.Equal(20, last.GetProperty("items").GetArrayLength());
        Assert.Equal(120, exact.GetProperty("items").GetArrayLength());
        Assert.Equal(FakeAlerce.Oid(0), first.GetProperty("name").GetString());
        Assert.Equal(150.31577623641664, first.GetProperty("ra").GetDouble(), 6);
        Assert.All(new[] { "dec", "mag", "score", "timestamp", "url", "classification" }, p => Assert.True(first.TryGetProperty(p, out _), p));
        Assert.Equal(["page"], await zero.ErrorFieldsAsync());
        Assert.Equal(["pageSize"], await tooBig.ErrorFieldsAsync());
        Assert.Equal(["pageSize"], await noSize.ErrorFieldsAsync());
    }

    [Fact]
    public async Task Run_BrokerFails_IsFailedWithItsError()
    {
        Factory.Brokers.MapText("/alerce/objects/", 500, "{\"message\": \"Internal Server Error\"}");
        var api = await Factory.ApiUserAsync();

        var run = await api.Api.RunAsync(await api.Api.CreateQueryAsync("ALeRCE"));

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal("ALeRCE had a problem of its own (HTTP 500) and could not answer. This is usually temporary; try again in a few minutes.",
            run.GetProperty("error").GetString());
        Assert.Contains("ALeRCE answered 500", run.GetProperty("technicalDetail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherUsersPrivateRun_Is404_AdminSeesIt()
    {
        Factory.Brokers.MapAlerce(3);
        var owner = await Factory.ApiUserAsync();
        var runId = (await owner.Api.RunAsync(await owner.Api.CreateQueryAsync("ALeRCE", visibility: "private"))).GetProperty("id").GetInt64();
        var other = await Factory.ApiUserAsync();
        var admin = await Factory.ApiUserAsync(admin: true);

        var responses = new[]
        {
            await other.Api.GetAsync($"/api/v1/runs/{runId}"),
            await other.Api.GetAsync($"/api/v1/runs/{runId}/alerts"),
            await other.Api.GetAsync($"/api/v1/runs/{runId}/alerts/export?format=csv"),
            await other.Api.GetAsync("/api/v1/runs/999999"),
        };
        using var asAdmin = await admin.Api.GetAsync($"/api/v1/runs/{runId}/alerts");

        Assert.All(responses, r => ApiSupport.AssertProblem(r, HttpStatusCode.NotFound));
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Equal(3, (await asAdmin.JsonAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Start_MissingQuery_Is404()
    {
        var api = await Factory.ApiUserAsync();

        using var response = await api.Api.PostAsync("/api/v1/queries/424242/runs", null);

        ApiSupport.AssertProblem(response, HttpStatusCode.NotFound);
    }
}
