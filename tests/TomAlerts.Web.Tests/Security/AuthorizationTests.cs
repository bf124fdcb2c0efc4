using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Security;

/// <summary>A private query, its runs and alerts, seen from its owner, from another user (404 everywhere) and from an admin.</summary>
public sealed class AuthorizationTests : AppTest
{
    private const string PrivateName = "Owner private nova hunt";

    private TestUser _owner = null!;
    private TestUser _other = null!;
    private TestUser _admin = null!;
    private int _queryId;
    private long _runId;
    private long _failedRunId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Factory.Brokers.MapText("/gaia/alerts/alertsindex", 200, Fixtures.Read("gaia/alertsindex.html"), "text/html");
        Factory.Brokers.MapText("/gaia/alerts/alert/", 200, Fixtures.Read("gaia/lightcurve_Gaia23cxz.csv"), "text/csv");
        Factory.Brokers.MapText("/alerce/", 500, """{"message": "Internal Server Error"}""");
        _owner = await Factory.LoginAsync();
        _other = await Factory.LoginAsync();
        _admin = await Factory.LoginAsync(admin: true);
        using var saved = await _owner.Page.PostFormAsync("/alerts/query/create/?broker=Gaia", "/alerts/query/create/",
            new() { ["broker"] = "Gaia", ["query_name"] = PrivateName, ["target_name"] = "Gaia23", ["cone"] = "", ["visibility"] = "Private" });
        _queryId = await Factory.WithDbAsync(db => db.BrokerQueries.Where(q => q.Name == PrivateName).Select(q => q.Id).SingleAsync());
        _runId = await Factory.RunQueryAsync(_owner, _queryId);
        using var failing = await _owner.Page.PostFormAsync("/alerts/query/create/?broker=ALeRCE", "/alerts/query/create/",
            new() { ["broker"] = "ALeRCE", ["query_name"] = PrivateName + " on ALeRCE", ["visibility"] = "Private" });
        var failingId = await Factory.WithDbAsync(db => db.BrokerQueries.Where(q => q.Name == PrivateName + " on ALeRCE").Select(q => q.Id).SingleAsync());
        _failedRunId = await Factory.RunQueryAsync(_owner, failingId);
    }

    private string[] Pages => [
        $"/alerts/query/{_queryId}/update/", $"/alerts/query/{_queryId}/delete/", $"/alerts/query/{_queryId}/runs/",
        $"/alerts/run/{_runId}/", $"/alerts/run/{_runId}/?page=2&sort=name", $"/alerts/run/{_runId}/status", $"/alerts/run/{_failedRunId}/",
    ];

    [Fact]
    public async Task OtherUser_GetsNotFoundForEveryPageOfAPrivateQuery()
    {
        foreach (var url in Pages)
        {
            var (status, html) = await _other.Page.GetAsync(url);

            Assert.True(status == HttpStatusCode.NotFound, $"{url} answered {(int)status} to another user.");
            Assert.DoesNotContain(PrivateName, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OtherUser_SeesItInNoListOrHealthPage()
    {
        var (_, list) = await _other.Page.GetAsync("/alerts/query/list/");
        var (_, search) = await _other.Page.GetAsync("/alerts/query/list/?name=nova&broker=Gaia");
        var (_, health) = await _other.Page.GetAsync("/brokers/");
        var (_, ownersHealth) = await _owner.Page.GetAsync("/brokers/");

        Assert.DoesNotContain(PrivateName, list, StringComparison.Ordinal);
        Assert.DoesNotContain(PrivateName, search, StringComparison.Ordinal);
        Assert.DoesNotContain(PrivateName, health, StringComparison.Ordinal);
        Assert.DoesNotContain($"/alerts/run/{_failedRunId}/", health, StringComparison.Ordinal);
        Assert.Contains($"/alerts/run/{_failedRunId}/", ownersHealth, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherUser_CannotChangeRunDeleteOrTakeTargetsFromIt()
    {
        var token = PageSession.Token((await _other.Page.GetAsync("/alerts/query/list/")).Html);
        var runs = await Factory.WithDbAsync(db => db.QueryRuns.CountAsync());
        var alertId = await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == _runId).Select(a => a.AlertId).FirstAsync());

        var attempts = new (string Url, Dictionary<string, string> Fields)[]
        {
            ($"/alerts/query/{_queryId}/update/", new() { ["broker"] = "Gaia", ["query_name"] = "hijacked", ["target_name"] = "x", ["visibility"] = "Shared" }),
            ($"/alerts/query/{_queryId}/delete/", []),
            ($"/alerts/query/{_queryId}/run/", []),
            ("/alerts/alert/create/", new() { ["runId"] = _runId.ToString(), ["alerts"] = alertId }),
        };
        foreach (var (url, fields) in attempts)
        {
            using var response = await _other.Page.PostWithTokenAsync(url, fields, token);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"POST {url} answered {(int)response.StatusCode} to another user.");
        }

        var query = await Factory.WithDbAsync(db => db.BrokerQueries.AsNoTracking().SingleAsync(q => q.Id == _queryId));
        Assert.Equal(PrivateName, query.Name);
        Assert.Equal(QueryVisibility.Private, query.Visibility);
        Assert.Equal(runs, await Factory.WithDbAsync(db => db.QueryRuns.CountAsync()));
        Assert.Equal(0, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
    }

    [Fact]
    public async Task OwnerAndAdmin_SeeEverything()
    {
        foreach (var user in new[] { _owner, _admin })
        {
            foreach (var url in Pages)
            {
                var (status, _) = await user.Page.GetAsync(url);
                Assert.True(status == HttpStatusCode.OK, $"{url} answered {(int)status} to {(user == _admin ? "the admin" : "the owner")}.");
            }
            var (_, list) = await user.Page.GetAsync("/alerts/query/list/");
            Assert.Contains(PrivateName, list, StringComparison.Ordinal);
        }
        var (_, adminHealth) = await _admin.Page.GetAsync("/brokers/");
        Assert.Contains($"/alerts/run/{_failedRunId}/", adminHealth, StringComparison.Ordinal);
    }
}
