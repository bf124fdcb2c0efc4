using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Web.Tests.Data;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Api;

/// <summary>The API's queries (token lookup, name filters, keyset exports, cone search) on PostgreSQL too.</summary>
public sealed class ApiPostgresTests : IAsyncLifetime
{
    private readonly PostgresFactory factory = new();

    private static bool HasPostgres => Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable) is not null;

    public Task InitializeAsync() => HasPostgres ? ((IAsyncLifetime)factory).InitializeAsync() : Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (HasPostgres)
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task Flow_OnPostgres_QueriesRunsTargetsAndExports()
    {
        factory.Brokers.MapAlerce(1_200);
        var api = await factory.ApiUserAsync();
        var queryId = await api.Api.CreateQueryAsync("ALeRCE", new { max_pages = "5" }, "private", "Postgres API query");

        var queries = await (await api.Api.GetAsync("/api/v1/queries?name=postgres%20API")).JsonAsync();
        var run = await api.Api.RunAsync(queryId);
        var runId = run.GetProperty("id").GetInt64();
        var page = await (await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts?page=24&pageSize=50")).JsonAsync();
        var csv = (await api.Api.GetStringAsync($"/api/v1/runs/{runId}/alerts/export?format=csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        using var created = await api.Api.PostAsJsonAsync("/api/v1/targets/from-alerts", new { runId, alertIds = new[] { FakeAlerce.Oid(0), FakeAlerce.Oid(1) } });
        var targetId = (await created.JsonAsync())[0].GetProperty("targetId").GetInt32();
        var notTargets = await (await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts?notTarget=true&pageSize=10")).JsonAsync();
        var targetsFirst = await (await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts?sort=target&dir=desc&pageSize=10")).JsonAsync();
        // The class filter ignores case, whichever spellings the run holds.
        await factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Classification, a => a.Position % 3 == 0 ? "SNIa" : a.Position % 3 == 1 ? "snIa" : null)));
        var sn = await (await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts?className=SNIA&page=2&pageSize=10")).JsonAsync();
        // Class descending, ties in the broker's order (PostgreSQL puts a missing class first): a page across two classes.
        await factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Classification, a => a.Position % 3 == 0 ? "SN" : a.Position % 3 == 1 ? "AGN" : null)));
        var byClass = await (await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts?sort=class&dir=desc&page=2&pageSize=300")).JsonAsync();
        await TargetsApiTests.SeedTargetsAsync(factory);
        var byAlias = await (await api.Api.GetAsync("/api/v1/targets?name=2023VJQ")).JsonAsync();
        var cone = await (await api.Api.GetAsync("/api/v1/targets?ra=150&dec=2&radiusArcsec=60")).JsonAsync();
        var targets = JsonDocument.Parse(await api.Api.GetStringAsync("/api/v1/targets/export?format=json")).RootElement;
        var photometry = XDocument.Parse(await api.Api.GetStringAsync($"/api/v1/targets/{targetId}/photometry/export?format=votable"));

        Assert.Equal(1, queries.GetProperty("total").GetInt32());
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(1_200, page.GetProperty("total").GetInt32());
        Assert.Equal(FakeAlerce.Oid(1_150), page.GetProperty("items")[0].GetProperty("alertId").GetString());
        Assert.Equal(1_201, csv.Length);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(1_198, notTargets.GetProperty("total").GetInt32());
        Assert.Equal([FakeAlerce.Oid(0), FakeAlerce.Oid(1), FakeAlerce.Oid(2)],
            targetsFirst.GetProperty("items").EnumerateArray().Take(3).Select(i => i.GetProperty("alertId").GetString()));
        Assert.Equal(800, sn.GetProperty("total").GetInt32());
        Assert.Equal(new[] { 15, 16, 18, 19, 21, 22, 24, 25, 27, 28 }.Select(FakeAlerce.Oid), Ids(sn));
        var nulls = Enumerable.Range(0, 1_200).Where(p => p % 3 == 2);
        var supernovae = Enumerable.Range(0, 1_200).Where(p => p % 3 == 0);
        Assert.Equal(nulls.Skip(300).Concat(supernovae.Take(200)).Select(FakeAlerce.Oid), Ids(byClass));
        Assert.Equal("Alpha", Assert.Single(byAlias.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(["Alpha", "Beta"], cone.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(5, targets.GetArrayLength());
        Assert.Equal(16, photometry.Descendants(XName.Get("TR", "http://www.ivoa.net/xml/VOTable/v1.3")).Count());
    }

    private static IEnumerable<string> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("alertId").GetString()!);
}
