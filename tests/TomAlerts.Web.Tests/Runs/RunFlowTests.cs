using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Targets;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Runs;

/// <summary>Each test gets its own app and database: targets are global, so tests must not see each other's.</summary>
public sealed class RunFlowTests : AppTest
{
    private static readonly Dictionary<string, string> AllPages = new() { ["max_pages"] = "20" };

    [Fact]
    public async Task RunPageCreateRerun_SameAlerts_AreMatchedNotDuplicated()
    {
        Factory.Brokers.MapAlerce(250);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "ALeRCE", AllPages);

        var runId = await Factory.RunQueryAsync(user, queryId);
        var (status, page2) = await user.Page.GetAsync($"/alerts/run/{runId}/?page=2&pageSize=50");
        var picked = new[] { FakeAlerce.Oid(0), FakeAlerce.Oid(60), FakeAlerce.Oid(61) };
        using var created = await user.CreateTargetsAsync(runId, picked);
        var createdHtml = await created.Content.ReadAsStringAsync();
        var targetsAfterFirst = await Factory.WithDbAsync(db => db.Targets.CountAsync());
        var pointsAfterFirst = await Factory.WithDbAsync(db => db.Photometry.CountAsync());

        var secondRun = await Factory.RunQueryAsync(user, queryId);
        using var again = await user.CreateTargetsAsync(secondRun, picked);
        var againHtml = await again.Content.ReadAsStringAsync();

        var run = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(250, run.AlertCount);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(FakeAlerce.Oid(60), page2, StringComparison.Ordinal);
        Assert.Contains("Page 2 of 5", page2, StringComparison.Ordinal);
        Assert.Contains("3 created, 0 matched", createdHtml, StringComparison.Ordinal);
        Assert.Equal(3, targetsAfterFirst);
        Assert.True(pointsAfterFirst >= 3 * 12, $"expected each target's light curve, got {pointsAfterFirst} points");
        Assert.Contains("0 created, 3 matched", againHtml, StringComparison.Ordinal);
        Assert.Equal(targetsAfterFirst, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
        Assert.Equal(pointsAfterFirst, await Factory.WithDbAsync(db => db.Photometry.CountAsync()));
    }

    [Fact]
    public async Task CreateTargets_LightCurve_KeepsLimitsAsLimits()
    {
        Factory.Brokers.MapAlerce(1);
        var (user, _, runId) = await LogInAndRunAsync("ALeRCE", []);

        using var created = await user.CreateTargetsAsync(runId, FakeAlerce.Oid(0));
        var target = await Factory.WithDbAsync(db => db.Targets.Include(t => t.Photometry).Include(t => t.Extras).Include(t => t.Provenance).AsNoTracking()
            .SingleAsync(t => t.Name == FakeAlerce.Oid(0)));
        var (_, detail) = await user.Page.GetAsync($"/targets/{target.Id}/");

        Assert.Equal(12, target.Photometry.Count(p => p.Magnitude is not null));
        Assert.Equal(4, target.Photometry.Count(p => p.Magnitude is null && p.Limit is not null));
        Assert.Contains(target.Extras, e => e.Key == "class" && e.Value == "SNIa");
        Assert.Equal(runId, Assert.Single(target.Provenance).QueryRunId);
        Assert.Contains("id=\"lightcurve\"", detail, StringComparison.Ordinal);
        Assert.Contains("10:01:15", detail, StringComparison.Ordinal); // RA 150.3158° in sexagesimal
        // The plot reads its points from the target's light curve; the table of every point is read when it is opened, or on its own page.
        Assert.Contains($"data-src=\"/targets/{target.Id}/lightcurve/\"", detail, StringComparison.Ordinal);
        using var curve = await user.Page.Client.GetAsync($"/targets/{target.Id}/lightcurve/");
        Assert.Equal("application/json", curve.Content.Headers.ContentType?.MediaType);
        var series = System.Text.Json.JsonDocument.Parse(await curve.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.Equal(12, series.Sum(s => s.GetProperty("detections").GetArrayLength()));
        Assert.Equal(4, series.Sum(s => s.GetProperty("limits").GetArrayLength()));
        Assert.DoesNotContain("id=\"photometry-table\"", detail, StringComparison.Ordinal);
        Assert.Contains($"href=\"/targets/{target.Id}/photometry/\"", detail, StringComparison.Ordinal);
        var (tableStatus, table) = await user.Page.GetAsync($"/targets/{target.Id}/photometry/?partial=1");
        Assert.Equal(HttpStatusCode.OK, tableStatus);
        Assert.StartsWith("<table", table.TrimStart(), StringComparison.Ordinal);
        Assert.Equal(16, System.Text.RegularExpressions.Regex.Count(table[table.IndexOf("<tbody>", StringComparison.Ordinal)..], "<tr>"));
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Count(table, "<td>limit</td>"));
        var (_, full) = await user.Page.GetAsync($"/targets/{target.Id}/photometry/");
        Assert.Contains($"Photometry of <a href=\"/targets/{target.Id}/\">{FakeAlerce.Oid(0)}</a>", full, StringComparison.Ordinal);
        Assert.Contains("id=\"photometry-table\"", full, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTargets_NearbyAlertWithAnotherName_MatchesByPositionAndBecomesAnAlias()
    {
        Factory.Brokers.MapAlerce(1);
        var (user, _, runId) = await LogInAndRunAsync("ALeRCE", []);
        await Factory.WithDbAsync(async db =>
        {
            // The same transient, already known under its TNS name, 1 arcsecond away.
            db.Targets.Add(new TomAlerts.Targets.Target { Name = "SN 2023vjq", NormalizedName = "sn2023vjq", Created = DateTime.UtcNow, Modified = DateTime.UtcNow });
            await db.SaveChangesAsync();
            await db.ShareWithTeamAsync();
            var t = await db.Targets.SingleAsync(x => x.Name == "SN 2023vjq");
            t.SetPosition(150.31577623641664 + 1.0 / 3600, 2.209430147125912);
            return await db.SaveChangesAsync();
        });

        using var created = await user.CreateTargetsAsync(runId, FakeAlerce.Oid(0));
        var html = await created.Content.ReadAsStringAsync();
        var target = await Factory.WithDbAsync(db => db.Targets.Include(t => t.Aliases).AsNoTracking().SingleAsync(t => t.Name == "SN 2023vjq"));

        Assert.Contains("0 created, 1 matched", html, StringComparison.Ordinal);
        Assert.Contains(target.Aliases, a => a.Name == FakeAlerce.Oid(0));
        Assert.False(await Factory.WithDbAsync(db => db.Targets.AnyAsync(t => t.Name == FakeAlerce.Oid(0))));
    }

    /// <summary>
    /// Two app instances over one database (as two processes), each asked to create the same object at the same moment;
    /// both find no target before either inserts, so the unique name index refuses the loser, who retries and matches.
    /// </summary>
    [Fact]
    public async Task CreateTargets_TwoRacingRequests_EndWithOneTargetTheLoserMatched()
    {
        Factory.Brokers.MapAlerce(5);
        var barrier = new TargetInsertBarrier(parties: 2);
        Factory.TestServices.Add(services =>
        {
            services.AddSingleton<TargetCreationLock>(); // one per app instance, as one per process
            services.ConfigureDbContext<AppDbContext>(options => options.AddInterceptors(barrier));
        });
        var (user, _, runId) = await LogInAndRunAsync("ALeRCE", []);
        await using var otherInstance = await Factory.DeriveAsync(user);
        var oid = FakeAlerce.Oid(3);

        var responses = await Task.WhenAll(user.CreateTargetsAsync(runId, oid), otherInstance.Page.CreateTargetsAsync(runId, oid));
        var pages = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        var provenance = await Factory.WithDbAsync(db => db.TargetProvenance.Where(p => p.AlertId == oid).Select(p => p.Action).ToListAsync());

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(pages, html => html.Contains("1 created, 0 matched", StringComparison.Ordinal));
        Assert.Single(pages, html => html.Contains("0 created, 1 matched", StringComparison.Ordinal));
        Assert.Equal(1, await Factory.WithDbAsync(db => db.Targets.CountAsync(t => t.Name == oid)));
        Assert.Equal(["created", "matched"], provenance.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CreateTargets_NothingSelected_GoesBackWithAMessage()
    {
        Factory.Brokers.MapAlerce(2);
        var (user, _, runId) = await LogInAndRunAsync("ALeRCE", []);

        using var response = await user.CreateTargetsAsync(runId);
        var (_, page) = await user.Page.GetAsync($"/alerts/run/{runId}/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Please select at least one alert from which to create a target.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTargets_MoreThanTheCap_NothingCreatedAndTheMessageSaysWhy()
    {
        Factory.Brokers.MapAlerce(2);
        var (user, _, runId) = await LogInAndRunAsync("ALeRCE", []);
        var ids = Enumerable.Range(0, 1001).Select(i => FakeAlerce.Oid(i % 2)).ToArray();

        using var response = await user.CreateTargetsAsync(runId, ids);
        var (_, page) = await user.Page.GetAsync($"/alerts/run/{runId}/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("You selected 1,001 alerts; targets are created from at most 1,000 at a time.", page, StringComparison.Ordinal);
        Assert.Equal(0, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
    }

    [Fact]
    public async Task CreateTargets_PhotometryFails_TargetStaysWithAWarning()
    {
        Factory.Brokers.MapAlerce(3);
        var (user, _, runId) = await LogInAndRunAsync("ALeRCE", []);
        Factory.Brokers.MapText("/alerce/objects/ZTF23zz00002/lightcurve", 502, "<html><body>Bad Gateway</body></html>", "text/html");

        using var response = await user.CreateTargetsAsync(runId, FakeAlerce.Oid(2));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("1 created", html, StringComparison.Ordinal);
        Assert.Contains("its photometry could not be fetched from ALeRCE", html, StringComparison.Ordinal);
        Assert.True(await Factory.WithDbAsync(db => db.Targets.AnyAsync(t => t.Name == FakeAlerce.Oid(2))));
    }

    [Theory]
    [InlineData(500, "{\"message\": \"Internal Server Error\"}", "application/json", "ALeRCE answered 500")]
    [InlineData(200, "<html><body>maintenance</body></html>", "text/html", "not JSON")]
    [InlineData(400, "{\"errors\": {\"order_mode\": \"bad\"}, \"message\": \"Input payload validation failed\"}", "application/json", "Input payload validation failed")]
    public async Task Run_BrokerFails_RunIsFailedWithAReadableMessage(int status, string body, string contentType, string expected)
    {
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "ALeRCE", []);
        await using var broken = await FakeBrokerServer.StartAsync();
        broken.MapText("/", status, body, contentType);
        await using var app = await Factory.DeriveAsync(user, ("BROKERS:ALERCE:base_url", broken.Url + "/alerce"));

        var runId = await app.Page.StartRunAsync(queryId);
        var run = await app.App.WaitForRunAsync(runId);
        var (pageStatus, html) = await app.Page.GetAsync($"/alerts/run/{runId}/");

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, pageStatus);
        Assert.Contains("The run failed.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunResults_SortedByScore_ShowsHighestFirst()
    {
        Factory.Brokers.MapAlerce(60);
        var (user, _, runId) = await LogInAndRunAsync("ALeRCE", AllPages);

        var (_, html) = await user.Page.GetAsync($"/alerts/run/{runId}/?sort=score&dir=desc&pageSize=25");
        var best = await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId).OrderByDescending(a => a.Score).Select(a => a.Name).FirstAsync());
        var worst = await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId).OrderBy(a => a.Score).Select(a => a.Name).FirstAsync());

        Assert.Contains(best, html, StringComparison.Ordinal);
        Assert.DoesNotContain($">{worst}</a>", html, StringComparison.Ordinal);
    }
}
