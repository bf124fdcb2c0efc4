using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Triage;

/// <summary>Scanning a run: shared decisions across users and runs, the filters and sorts of the page and the API, target marks.</summary>
public sealed class TriageTests : AppTest
{
    private static readonly object AllPages = new { max_pages = "20" };

    protected override void Arrange() => Factory.Brokers.MapAlerce(30);

    private static Task<HttpResponseMessage> DecideAsync(HttpClient api, long runId, string alertId, string? decision) =>
        api.PutAsJsonAsync($"/api/v1/runs/{runId}/alerts/{Uri.EscapeDataString(alertId)}/decision", new { decision });

    private static async Task<JsonElement> AlertsAsync(HttpClient api, long runId, string query = "")
    {
        using var response = await api.GetAsync($"/api/v1/runs/{runId}/alerts?" + (query.Contains("pageSize=", StringComparison.Ordinal) ? "" : "pageSize=100") + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static JsonElement Item(JsonElement page, string alertId) =>
        page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("alertId").GetString() == alertId);

    private static List<string> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("alertId").GetString()!)];

    [Fact]
    public async Task Decisions_SharedQuery_ColleagueSeesThemAndASecondRunKeepsTheRejection()
    {
        var owner = await Factory.ApiUserAsync();
        var colleague = await Factory.ApiUserAsync();
        var queryId = await owner.Api.CreateQueryAsync("ALeRCE", AllPages, "shared");
        var firstRun = (await owner.Api.RunAsync(queryId)).GetProperty("id").GetInt64();

        using (var rejected = await DecideAsync(owner.Api, firstRun, FakeAlerce.Oid(1), "rejected"))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
            var item = await rejected.JsonAsync();
            Assert.Equal("rejected", item.GetProperty("decision").GetString());
            Assert.Equal(owner.User.Email, item.GetProperty("decidedBy").GetString());
        }
        (await DecideAsync(owner.Api, firstRun, FakeAlerce.Oid(2), "interesting")).Dispose();

        // The colleague sees both decisions on the owner's run, with who decided.
        var seen = await AlertsAsync(colleague.Api, firstRun);
        Assert.Equal("rejected", Item(seen, FakeAlerce.Oid(1)).GetProperty("decision").GetString());
        Assert.Equal(owner.User.Email, Item(seen, FakeAlerce.Oid(1)).GetProperty("decidedBy").GetString());
        Assert.Equal("interesting", Item(seen, FakeAlerce.Oid(2)).GetProperty("decision").GetString());
        Assert.Equal(JsonValueKind.Null, Item(seen, FakeAlerce.Oid(3)).GetProperty("decision").ValueKind);
        var (_, html) = await colleague.User.Page.GetAsync($"/alerts/run/{firstRun}/");
        Assert.Contains(owner.User.Email, html, StringComparison.Ordinal);
        var csv = (await colleague.Api.GetStringAsync($"/api/v1/runs/{firstRun}/alerts/export?format=csv")).Split('\n');
        Assert.Matches($",rejected,{System.Text.RegularExpressions.Regex.Escape(owner.User.Email)},\\d{{4}}-", csv.Single(l => l.StartsWith(FakeAlerce.Oid(1) + ",", StringComparison.Ordinal)));
        Assert.EndsWith(",,,", csv.Single(l => l.StartsWith(FakeAlerce.Oid(3) + ",", StringComparison.Ordinal)).TrimEnd('\r'), StringComparison.Ordinal);

        // Tomorrow's run of the same query: the objects come back with their decisions; "undecided only" hides them.
        var secondRun = (await colleague.Api.RunAsync(queryId)).GetProperty("id").GetInt64();
        Assert.NotEqual(firstRun, secondRun);
        var again = await AlertsAsync(colleague.Api, secondRun);
        Assert.Equal("rejected", Item(again, FakeAlerce.Oid(1)).GetProperty("decision").GetString());
        var undecided = await AlertsAsync(colleague.Api, secondRun, "&decision=undecided");
        Assert.Equal(28, undecided.GetProperty("total").GetInt32());
        Assert.DoesNotContain(FakeAlerce.Oid(1), Ids(undecided));
        Assert.DoesNotContain(FakeAlerce.Oid(2), Ids(undecided));
        Assert.Equal([FakeAlerce.Oid(1)], Ids(await AlertsAsync(colleague.Api, secondRun, "&decision=rejected")));
        Assert.Equal(29, (await AlertsAsync(colleague.Api, secondRun, "&decision=not-rejected")).GetProperty("total").GetInt32());
        var (_, undecidedPage) = await colleague.User.Page.GetAsync($"/alerts/run/{secondRun}/?decision=undecided");
        Assert.DoesNotContain($">{FakeAlerce.Oid(1)}</a>", undecidedPage, StringComparison.Ordinal);
        Assert.Contains($">{FakeAlerce.Oid(3)}</a>", undecidedPage, StringComparison.Ordinal);

        // The colleague changes their mind: clearing removes the decision for everyone.
        using var cleared = await DecideAsync(colleague.Api, secondRun, FakeAlerce.Oid(1), null);
        Assert.Equal(JsonValueKind.Null, (await cleared.JsonAsync()).GetProperty("decision").ValueKind);
        Assert.Equal(JsonValueKind.Null, Item(await AlertsAsync(owner.Api, firstRun), FakeAlerce.Oid(1)).GetProperty("decision").ValueKind);
        // Both runs' filters follow: the object is undecided again in each, and the other decision is untouched.
        foreach (var run in new[] { firstRun, secondRun })
        {
            Assert.Empty(Ids(await AlertsAsync(owner.Api, run, "&decision=rejected")));
            Assert.Contains(FakeAlerce.Oid(1), Ids(await AlertsAsync(owner.Api, run, "&decision=undecided&pageSize=100")));
            Assert.Equal([FakeAlerce.Oid(2)], Ids(await AlertsAsync(owner.Api, run, "&decision=interesting")));
        }
    }

    [Fact]
    public async Task PutDecision_BadValueOtherUsersPrivateRunOrUnknownAlert_400Or404()
    {
        var owner = await Factory.ApiUserAsync();
        var stranger = await Factory.ApiUserAsync();
        var queryId = await owner.Api.CreateQueryAsync("ALeRCE", AllPages, "private");
        var runId = (await owner.Api.RunAsync(queryId)).GetProperty("id").GetInt64();

        using var bad = await DecideAsync(owner.Api, runId, FakeAlerce.Oid(1), "maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.JsonAsync()).GetProperty("errors").TryGetProperty("decision", out _));
        using var hidden = await DecideAsync(stranger.Api, runId, FakeAlerce.Oid(1), "rejected");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        using var unknown = await DecideAsync(owner.Api, runId, "ZTF99nothere", "rejected");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(0, await Factory.WithDbAsync(db => db.TriageDecisions.CountAsync()));
        using var hiddenList = await stranger.Api.GetAsync($"/api/v1/runs/{runId}/alerts?decision=rejected");
        Assert.Equal(HttpStatusCode.NotFound, hiddenList.StatusCode);
    }

    [Theory]
    [InlineData("sort=brightest", "sort")]
    [InlineData("dir=up", "dir")]
    [InlineData("decision=maybe", "decision")]
    [InlineData("minProbability=2", "minProbability")]
    [InlineData("minProbability=high", "minProbability")]
    [InlineData("notTarget=perhaps", "notTarget")]
    [InlineData("minDetections=-1", "minDetections")]
    [InlineData("minMag=20&maxMag=18", "maxMag")]
    public async Task ListAlerts_BadFilter_400NamesTheParameter(string query, string field)
    {
        var owner = await Factory.ApiUserAsync();
        var runId = (await owner.Api.RunAsync(await owner.Api.CreateQueryAsync("ALeRCE", AllPages))).GetProperty("id").GetInt64();

        using var response = await owner.Api.GetAsync($"/api/v1/runs/{runId}/alerts?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ListAlerts_StoredDetails_AreListedAndFilterInSql()
    {
        var owner = await Factory.ApiUserAsync();
        var runId = (await owner.Api.RunAsync(await owner.Api.CreateQueryAsync("ALeRCE", AllPages))).GetProperty("id").GetInt64();
        var classes = StoredClassifications.Write([
            new AlertClassification("ALeRCE", "lc_classifier", "1.1.0", "SNIa", 0.81, new DateTime(2023, 10, 1, 0, 0, 0, DateTimeKind.Utc)),
            new AlertClassification("ALeRCE", "lc_classifier", "1.1.0", "SNII", 0.12),
            new AlertClassification("ALeRCE", "stamp_classifier", "1.0.4", "SN", 0.67),
        ]);
        var first = new DateTime(2023, 9, 30, 4, 0, 0, DateTimeKind.Utc);
        await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.Mag, a => 17.0 + a.Position * 0.1).SetProperty(a => a.Band, "r").SetProperty(a => a.Detections, a => a.Position)
            .SetProperty(a => a.FirstDetection, first).SetProperty(a => a.LastDetection, first.AddDays(3))
            .SetProperty(a => a.Classification, a => a.Position % 4 == 0 ? "SNIa" : a.Position % 2 == 0 ? "snIa" : "AGN").SetProperty(a => a.Score, a => a.Position / 30.0)
            .SetProperty(a => a.ClassificationsJson, classes)));

        var page = await AlertsAsync(owner.Api, runId);
        var item = Item(page, FakeAlerce.Oid(4));
        Assert.Equal(17.4, item.GetProperty("lastMagnitude").GetDouble(), 6);
        Assert.Equal("r", item.GetProperty("lastBand").GetString());
        Assert.Equal(first, item.GetProperty("firstDetection").GetDateTime().ToUniversalTime());
        Assert.Equal(first.AddDays(3), item.GetProperty("lastDetection").GetDateTime().ToUniversalTime());
        var listed = item.GetProperty("classifications").EnumerateArray().ToList();
        Assert.Equal(3, listed.Count);
        Assert.Equal(["ALeRCE", "lc_classifier", "1.1.0", "SNIa"],
            new[] { "broker", "classifier", "version", "className" }.Select(k => listed[0].GetProperty(k).GetString()));
        Assert.Equal(0.81, listed[0].GetProperty("probability").GetDouble(), 6);

        // The class filter ignores case, whichever spellings the run holds.
        var sn = await AlertsAsync(owner.Api, runId, "&className=snia&minProbability=0.5");
        Assert.Equal(Enumerable.Range(15, 15).Where(i => i % 2 == 0).Select(FakeAlerce.Oid), Ids(sn));
        var faint = await AlertsAsync(owner.Api, runId, "&minMag=18&maxMag=18.5&minDetections=12");
        Assert.Equal(Enumerable.Range(12, 4).Select(FakeAlerce.Oid), Ids(faint));

        // The panel lists every class of every model, and the three stamps.
        var (_, panel) = await owner.User.Page.GetAsync($"/alerts/run/{runId}/alerts/{FakeAlerce.Oid(4)}/details?partial=1");
        Assert.Contains("stamp_classifier", panel, StringComparison.Ordinal);
        Assert.Contains("SNII", panel, StringComparison.Ordinal);
        Assert.Contains("0.810", panel, StringComparison.Ordinal);
        foreach (var kind in new[] { "science", "template", "difference" })
        {
            Assert.Contains($"/alerts/run/{runId}/alerts/{FakeAlerce.Oid(4)}/stamps/{kind}", panel, StringComparison.Ordinal);
        }
        var (_, results) = await owner.User.Page.GetAsync($"/alerts/run/{runId}/?sort=mag&dir=asc");
        Assert.Contains("17.400 r", results, StringComparison.Ordinal);
        Assert.Contains("simbad.cds.unistra.fr", results, StringComparison.Ordinal);
        Assert.Contains("rel=\"noopener noreferrer\"", results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetMark_AnAlertThatIsATarget_LinksToItAndNotTargetHidesIt()
    {
        var owner = await Factory.ApiUserAsync();
        var queryId = await owner.Api.CreateQueryAsync("ALeRCE", AllPages);
        var runId = (await owner.Api.RunAsync(queryId)).GetProperty("id").GetInt64();
        (await owner.User.CreateTargetsAsync(runId, FakeAlerce.Oid(0))).Dispose();
        var targetId = await Factory.WithDbAsync(db => db.Targets.Where(t => t.Name == FakeAlerce.Oid(0)).Select(t => t.Id).SingleAsync());
        // An object known under an alias only is a target as well.
        await Factory.WithDbAsync(async db =>
        {
            db.TargetNames.Add(new TomAlerts.Targets.TargetName { TargetId = targetId, Name = FakeAlerce.Oid(5), NormalizedName = FakeAlerce.Oid(5).ToLowerInvariant() });
            return await db.SaveChangesAsync();
        });

        var all = await AlertsAsync(owner.Api, runId);
        Assert.Equal(targetId, Item(all, FakeAlerce.Oid(0)).GetProperty("targetId").GetInt32());
        Assert.Equal(targetId, Item(all, FakeAlerce.Oid(5)).GetProperty("targetId").GetInt32());
        Assert.Equal(JsonValueKind.Null, Item(all, FakeAlerce.Oid(1)).GetProperty("targetId").ValueKind);
        var notTargets = await AlertsAsync(owner.Api, runId, "&notTarget=true&pageSize=10");
        Assert.Equal(28, notTargets.GetProperty("total").GetInt32());
        var page3 = await AlertsAsync(owner.Api, runId, "&notTarget=true&sort=target&dir=desc");
        Assert.DoesNotContain(FakeAlerce.Oid(0), Ids(page3));
        Assert.DoesNotContain(FakeAlerce.Oid(5), Ids(page3));
        var byTarget = await AlertsAsync(owner.Api, runId, "&sort=target&dir=desc");
        Assert.Equal([FakeAlerce.Oid(0), FakeAlerce.Oid(5)], Ids(byTarget).Take(2));

        var (_, html) = await owner.User.Page.GetAsync($"/alerts/run/{runId}/");
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, $"href=\"/targets/{targetId}/\" class=\"target-link").Count);
        var (_, filtered) = await owner.User.Page.GetAsync($"/alerts/run/{runId}/?notTarget=true");
        Assert.DoesNotContain("target-link", filtered, StringComparison.Ordinal);
        Assert.Matches("id=\"filter-not-target\"[^>]*checked", filtered);
    }

    [Fact]
    public async Task TargetMark_TargetRenamedAwayOrDeleted_IsNoTargetAgainOnTheRunsFilterAndSort()
    {
        var owner = await Factory.ApiUserAsync();
        var runId = (await owner.Api.RunAsync(await owner.Api.CreateQueryAsync("ALeRCE", AllPages))).GetProperty("id").GetInt64();
        (await owner.User.CreateTargetsAsync(runId, FakeAlerce.Oid(3), FakeAlerce.Oid(4), FakeAlerce.Oid(6))).Dispose();
        var ids = await Factory.WithDbAsync(db => db.Targets.ToDictionaryAsync(t => t.Name, t => t.Id));
        Assert.Equal(27, (await AlertsAsync(owner.Api, runId, "&notTarget=true")).GetProperty("total").GetInt32());

        using var renamed = await owner.Api.PatchAsJsonAsync($"/api/v1/targets/{ids[FakeAlerce.Oid(4)]}", new { name = "SN 2099zz", aliases = Array.Empty<string>() });
        using var deleted = await owner.Api.DeleteAsync($"/api/v1/targets/{ids[FakeAlerce.Oid(6)]}");
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.True(deleted.IsSuccessStatusCode, deleted.StatusCode.ToString());

        var notTargets = await AlertsAsync(owner.Api, runId, "&notTarget=true");
        Assert.Equal(29, notTargets.GetProperty("total").GetInt32());
        Assert.DoesNotContain(FakeAlerce.Oid(3), Ids(notTargets));
        Assert.Equal([FakeAlerce.Oid(3), FakeAlerce.Oid(0), FakeAlerce.Oid(1)], Ids(await AlertsAsync(owner.Api, runId, "&sort=target&dir=desc")).Take(3));
        // Named again after the object, the target is one again.
        using var back = await owner.Api.PatchAsJsonAsync($"/api/v1/targets/{ids[FakeAlerce.Oid(4)]}", new { aliases = new[] { FakeAlerce.Oid(4) } });
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal([FakeAlerce.Oid(3), FakeAlerce.Oid(4), FakeAlerce.Oid(0)], Ids(await AlertsAsync(owner.Api, runId, "&sort=target&dir=desc")).Take(3));
        Assert.Equal([FakeAlerce.Oid(3), FakeAlerce.Oid(4)], Ids(await AlertsAsync(owner.Api, runId, "&sort=target&dir=asc")).TakeLast(2));
    }

    [Fact]
    public async Task ListAlerts_SortOnEveryColumn_PagesInTheColumnsOrderWithTiesInBrokerOrder()
    {
        var owner = await Factory.ApiUserAsync();
        var runId = (await owner.Api.RunAsync(await owner.Api.CreateQueryAsync("ALeRCE", AllPages))).GetProperty("id").GetInt64();
        var start = new DateTime(2023, 9, 1, 0, 0, 0, DateTimeKind.Utc);
        // Values with ties (position modulo a small number), so the broker's order must break them.
        await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.Timestamp, a => start.AddHours(a.Position % 7)).SetProperty(a => a.Mag, a => 18.0 + a.Position % 5)
            .SetProperty(a => a.Ra, a => 10.0 + a.Position % 6).SetProperty(a => a.Dec, a => -5.0 + a.Position % 4)
            .SetProperty(a => a.Score, a => (a.Position % 3) / 3.0).SetProperty(a => a.Detections, a => a.Position % 4)
            .SetProperty(a => a.FirstDetection, a => start.AddDays(a.Position % 3)).SetProperty(a => a.LastDetection, a => start.AddDays(5 + a.Position % 8))
            .SetProperty(a => a.Classification, a => a.Position % 3 == 0 ? "SN" : a.Position % 3 == 1 ? "AGN" : a.Position % 5 == 0 ? null : "VS")
            .SetProperty(a => a.IsNew, a => a.Position % 2 == 0)));
        (await DecideAsync(owner.Api, runId, FakeAlerce.Oid(7), "rejected")).Dispose();
        (await DecideAsync(owner.Api, runId, FakeAlerce.Oid(3), "interesting")).Dispose();
        (await DecideAsync(owner.Api, runId, FakeAlerce.Oid(9), "interesting")).Dispose();
        (await owner.User.CreateTargetsAsync(runId, FakeAlerce.Oid(11))).Dispose();
        var rows = await Factory.WithDbAsync(db => db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == runId).ToListAsync());
        var decision = new Dictionary<string, int> { [FakeAlerce.Oid(7)] = 2, [FakeAlerce.Oid(3)] = 1, [FakeAlerce.Oid(9)] = 1 };
        var keys = new Dictionary<string, Func<RunAlert, IComparable?>>
        {
            ["time"] = a => a.Timestamp, ["name"] = a => a.Name, ["ra"] = a => a.Ra, ["dec"] = a => a.Dec, ["mag"] = a => a.Mag,
            ["first"] = a => a.FirstDetection, ["last"] = a => a.LastDetection, ["detections"] = a => a.Detections, ["score"] = a => a.Score,
            ["class"] = a => a.Classification, ["decision"] = a => decision.GetValueOrDefault(a.AlertId), ["new"] = a => a.IsNew,
            ["target"] = a => a.AlertId == FakeAlerce.Oid(11),
        };
        Assert.Equal(TomAlerts.Web.Features.Runs.RunAlertFilter.SortColumns.Order(), keys.Keys.Order());

        foreach (var (column, key) in keys)
        {
            foreach (var descending in new[] { false, true })
            {
                var expected = (descending ? rows.OrderByDescending(key) : rows.OrderBy(key)).ThenBy(a => a.Position).Select(a => a.AlertId).ToList();
                var listed = new List<string>();
                for (var page = 1; page <= 3; page++)
                {
                    listed.AddRange(Ids(await AlertsAsync(owner.Api, runId, $"&sort={column}&dir={(descending ? "desc" : "asc")}&page={page}&pageSize=10")));
                }
                Assert.True(expected.SequenceEqual(listed), $"sort={column} descending={descending}: {string.Join(",", listed)}");
            }
        }
        var (_, html) = await owner.User.Page.GetAsync($"/alerts/run/{runId}/?sort=decision&dir=desc&pageSize=25");
        Assert.True(html.IndexOf(FakeAlerce.Oid(7), StringComparison.Ordinal) < html.IndexOf(FakeAlerce.Oid(3), StringComparison.Ordinal));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"href=\"/alerts/run/{runId}/?page=1&amp;pageSize=25&amp;sort=decision&amp;dir=asc\""), html, StringComparison.Ordinal);
    }
}
