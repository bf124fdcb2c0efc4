using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Targets;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Api;

/// <summary>Targets are global, so each test has its own app and database.</summary>
public sealed class TargetsApiTests : AppTest
{
    private async Task<(ApiUser Api, long RunId)> RunAsync(int alerts, string visibility = "shared")
    {
        Factory.Brokers.MapAlerce(alerts);
        var api = await Factory.ApiUserAsync();
        var run = await api.Api.RunAsync(await api.Api.CreateQueryAsync("ALeRCE", new { max_pages = "5" }, visibility));
        return (api, run.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task FromAlerts_CreatedMatchedAndFailed_OneOutcomePerAlert()
    {
        var (api, runId) = await RunAsync(5);

        var first = await (await api.Api.PostAsJsonAsync("/api/v1/targets/from-alerts", new { runId, alertIds = new[] { FakeAlerce.Oid(0), FakeAlerce.Oid(1) } })).JsonAsync();
        using var again = await api.Api.PostAsJsonAsync("/api/v1/targets/from-alerts", new { runId, alertIds = new[] { FakeAlerce.Oid(0), "ZTF-not-in-run" } });
        var second = await again.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["created", "created"], first.EnumerateArray().Select(o => o.GetProperty("outcome").GetString()));
        Assert.Equal("matched", second[0].GetProperty("outcome").GetString());
        Assert.Equal(first[0].GetProperty("targetId").GetInt32(), second[0].GetProperty("targetId").GetInt32());
        Assert.Equal("failed", second[1].GetProperty("outcome").GetString());
        Assert.Equal("ZTF-not-in-run", second[1].GetProperty("alertId").GetString());
        Assert.Contains("not part of the run", second[1].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKindNull, second[1].GetProperty("targetId").ValueKind);
        Assert.Equal(2, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
    }

    [Theory]
    [InlineData("{\"alertIds\": [\"x\"]}", "runId")]
    [InlineData("{\"runId\": 1, \"alertIds\": []}", "alertIds")]
    [InlineData("{\"runId\": 1}", "alertIds")]
    public async Task FromAlerts_MissingValues_Is400NamingThem(string json, string field)
    {
        var api = await Factory.ApiUserAsync();

        using var response = await api.Api.PostAsync("/api/v1/targets/from-alerts", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal([field], await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task FromAlerts_AnotherUsersPrivateRun_Is404AndCreatesNothing()
    {
        var (_, runId) = await RunAsync(2, "private");
        var other = await Factory.ApiUserAsync();

        using var response = await other.Api.PostAsJsonAsync("/api/v1/targets/from-alerts", new { runId, alertIds = new[] { FakeAlerce.Oid(0) } });

        ApiSupport.AssertProblem(response, HttpStatusCode.NotFound);
        Assert.Equal(0, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
    }

    [Fact]
    public async Task Get_CreatedTarget_HasAliasesExtrasProvenanceAndPhotometry()
    {
        var (api, runId) = await RunAsync(1);
        var outcome = (await (await api.Api.PostAsJsonAsync("/api/v1/targets/from-alerts", new { runId, alertIds = new[] { FakeAlerce.Oid(0) } })).JsonAsync())[0];
        var id = outcome.GetProperty("targetId").GetInt32();
        await AddAliasAsync(id, "SN 2023vjq");

        var target = await (await api.Api.GetAsync($"/api/v1/targets/{id}")).JsonAsync();
        var photometry = (await (await api.Api.GetAsync($"/api/v1/targets/{id}/photometry")).JsonAsync()).EnumerateArray().ToList();

        Assert.Equal(FakeAlerce.Oid(0), target.GetProperty("name").GetString());
        Assert.Equal(150.31577623641664, target.GetProperty("ra").GetDouble(), 6);
        Assert.Contains("SN 2023vjq", target.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("SNIa", target.GetProperty("extras").GetProperty("class").GetString());
        var provenance = Assert.Single(target.GetProperty("provenance").EnumerateArray());
        Assert.Equal("created", provenance.GetProperty("action").GetString());
        Assert.Equal(runId, provenance.GetProperty("runId").GetInt64());
        Assert.Equal(16, target.GetProperty("photometryCount").GetInt32());
        Assert.Equal(16, photometry.Count);
        Assert.Equal(12, photometry.Count(p => p.GetProperty("magnitude").ValueKind == System.Text.Json.JsonValueKind.Number));
        Assert.Equal(4, photometry.Count(p => p.GetProperty("magnitude").ValueKind == JsonValueKindNull && p.GetProperty("limit").ValueKind == System.Text.Json.JsonValueKind.Number));
        Assert.True(photometry.Zip(photometry.Skip(1)).All(p => p.First.GetProperty("mjd").GetDouble() <= p.Second.GetProperty("mjd").GetDouble()));
        Assert.All(photometry, p => Assert.Equal(p.GetProperty("magnitude").ValueKind == JsonValueKindNull ? "limit" : "detection", p.GetProperty("kind").GetString()));
        Assert.All(photometry, p => Assert.Equal("ZTF", p.GetProperty("survey").GetString()));
        Assert.All(photometry, p => Assert.Equal(["ALeRCE"], p.GetProperty("sources").EnumerateArray().Select(s => s.GetString())));
        Assert.All(photometry, p => Assert.Equal(JsonValueKindNull, p.GetProperty("flux").ValueKind)); // ZTF reports magnitudes
        Assert.All(photometry, p => Assert.True(p.TryGetProperty("fluxError", out _) && p.TryGetProperty("fluxUnit", out _)));
        var detection = photometry.First(p => p.GetProperty("kind").GetString() == "detection");
        Assert.Matches("^[0-9]{19}$", detection.GetProperty("sourceId").GetString()!); // a ZTF candid, as text
        Assert.Equal("TNS", target.GetProperty("aliasSurveys").GetProperty("SN 2023vjq").GetString());
    }

    [Fact]
    public async Task List_ByNameAliasAndCone_WithPagingEdges()
    {
        await SeedTargetsAsync();
        var api = await Factory.ApiUserAsync();

        var byAlias = await (await api.Api.GetAsync("/api/v1/targets?name=2023vjq")).JsonAsync();
        var byName = await (await api.Api.GetAsync("/api/v1/targets?name=ZTF23AAA")).JsonAsync();
        var cone = await (await api.Api.GetAsync("/api/v1/targets?ra=10:00:00&dec=%2B02:00:00&radiusArcsec=100")).JsonAsync();
        var all = await (await api.Api.GetAsync("/api/v1/targets?pageSize=2&page=2")).JsonAsync();
        var beyond = await (await api.Api.GetAsync("/api/v1/targets?page=5&pageSize=2")).JsonAsync();
        using var badCone = await api.Api.GetAsync("/api/v1/targets?ra=400&dec=north&radiusArcsec=0");
        using var badPage = await api.Api.GetAsync("/api/v1/targets?pageSize=1000");

        Assert.Equal("Alpha", Assert.Single(byAlias.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("Beta", Assert.Single(byName.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(["Alpha", "Beta"], cone.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.True(cone.GetProperty("items")[0].GetProperty("separationArcsec").GetDouble() < 1);
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(["Alpha"], all.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Empty(beyond.GetProperty("items").EnumerateArray());
        Assert.Equal(["dec", "ra", "radiusArcsec"], (await badCone.ErrorFieldsAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(["pageSize"], await badPage.ErrorFieldsAsync());
    }

    [Fact]
    public async Task Delete_Target_Is204ThenGone()
    {
        await SeedTargetsAsync();
        var api = await Factory.ApiUserAsync();
        var id = await Factory.WithDbAsync(db => db.Targets.Where(t => t.Name == "Gamma").Select(t => t.Id).SingleAsync());

        using var deleted = await api.Api.DeleteAsync($"/api/v1/targets/{id}");
        using var again = await api.Api.DeleteAsync($"/api/v1/targets/{id}");
        using var get = await api.Api.GetAsync($"/api/v1/targets/{id}");
        using var photometry = await api.Api.GetAsync($"/api/v1/targets/{id}/photometry");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        ApiSupport.AssertProblem(again, HttpStatusCode.NotFound);
        ApiSupport.AssertProblem(get, HttpStatusCode.NotFound);
        ApiSupport.AssertProblem(photometry, HttpStatusCode.NotFound);
    }

    /// <summary>Alpha (alias SN 2023vjq) and Beta 30″ apart at 10h +2°, Gamma far away; created in that order, a minute apart.</summary>
    internal static async Task SeedTargetsAsync(TomAlertsFactory Factory)
    {
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        await Factory.WithDbAsync(async db =>
        {
            var targets = new[] { ("Alpha", 150.0, 2.0), ("Beta", 150.0 + 30.0 / 3600, 2.0), ("Gamma", 250.0, -40.0) }.Select((t, i) =>
            {
                var target = new Target { Name = t.Item1, NormalizedName = TargetNames.Normalize(t.Item1), Created = start.AddMinutes(i), Modified = start };
                target.SetPosition(t.Item2, t.Item3);
                return target;
            }).ToList();
            targets[0].Aliases.Add(new TargetName { Name = "SN 2023vjq", NormalizedName = TargetNames.Normalize("SN 2023vjq"), Created = start });
            targets[1].Aliases.Add(new TargetName { Name = "ZTF23aaabeta", NormalizedName = TargetNames.Normalize("ZTF23aaabeta"), Created = start });
            targets[2].Photometry.Add(new Photometry { Source = "ALeRCE", SourceLocation = "ZTF-g", Bandpass = "g", Timestamp = start, Magnitude = 18.5, MagnitudeError = 0.05 });
            db.Targets.AddRange(targets);
            var saved = await db.SaveChangesAsync();
            await db.ShareWithTeamAsync();
            return saved;
        });
    }

    private Task SeedTargetsAsync() => SeedTargetsAsync(Factory);

    private Task<int> AddAliasAsync(int targetId, string alias) => Factory.WithDbAsync(db =>
    {
        db.TargetNames.Add(new TargetName { TargetId = targetId, Name = alias, NormalizedName = TargetNames.Normalize(alias), Survey = SurveyIds.SurveyOf(alias), Created = DateTime.UtcNow });
        return db.SaveChangesAsync();
    });

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
