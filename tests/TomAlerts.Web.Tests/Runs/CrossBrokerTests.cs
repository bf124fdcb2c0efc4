using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Runs;

/// <summary>Keyed brokers end to end: Lasair and TNS against loopback fakes that check the keys they are sent.</summary>
public sealed class CrossBrokerTests : AppTest
{
    protected override void Arrange()
    {
        var brokers = Factory.Brokers;
        brokers.MapLasair();
        brokers.MapTns();
    }

    [Fact]
    public async Task LasairConeThenTnsName_SameTransient_EndsAsOneTargetWithBothNamesAndPhotometry()
    {
        var user = await Factory.LoginAsync();
        var lasairQuery = await Factory.SaveQueryAsync(user, "Lasair", new() { ["cone_ra"] = "150.3157", ["cone_dec"] = "2.2094", ["cone_radius"] = "20" });
        var tnsQuery = await Factory.SaveQueryAsync(user, "TNS", new() { ["target_name"] = "2023vjq" });

        var lasairRun = await Factory.RunQueryAsync(user, lasairQuery);
        using var fromLasair = await user.CreateTargetsAsync(lasairRun, "ZTF23abtfusv");
        var tnsRun = await Factory.RunQueryAsync(user, tnsQuery);
        using var fromTns = await user.CreateTargetsAsync(tnsRun, "2023vjq");
        var lasairHtml = await fromLasair.Content.ReadAsStringAsync();
        var tnsHtml = await fromTns.Content.ReadAsStringAsync();

        var targets = await Factory.WithDbAsync(db => db.Targets.Include(t => t.Aliases).Include(t => t.Photometry).AsNoTracking().ToListAsync());
        var target = Assert.Single(targets);
        Assert.Contains("1 created", lasairHtml, StringComparison.Ordinal);
        Assert.Contains("0 created, 1 matched", tnsHtml, StringComparison.Ordinal);
        // TNS's designation is the target's name (Targets:RenameToTnsName); the ZTF name stays an alias.
        Assert.Equal("SN2023vjq", target.Name);
        Assert.Contains(target.Aliases, a => a.Name == "ZTF23abtfusv" && a.Survey == "ZTF");
        Assert.NotNull(target.GalacticLat);
        Assert.Contains(target.Photometry, p => p.Source == "Lasair" && p.Magnitude is not null);
        Assert.Contains(target.Photometry, p => p.Source == "Lasair" && p.Magnitude is null && p.Limit is not null);
        Assert.Contains(target.Photometry, p => p.Source == "TNS");
    }

    [Fact]
    public async Task LasairWithoutKey_RunFailsWithTheTokenMessageAndLeaksNoKey()
    {
        Factory.Settings["BROKERS:LASAIR:api_key"] = "";
        var user = await Factory.LoginAsync();
        var query = await Factory.SaveQueryAsync(user, "Lasair", new() { ["sqlquery"] = "gmag < 12.0" });

        var runId = await Factory.RunQueryAsync(user, query);
        var run = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        var (status, html) = await user.Page.GetAsync($"/alerts/run/{runId}/");

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("https://lasair-ztf.lsst.ac.uk/", run.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("api_key", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyedBrokers_KeysNeverAppearOnPages()
    {
        var (user, lasairQuery, runId) = await LogInAndRunAsync("Lasair", new() { ["cone_ra"] = "150.3157", ["cone_dec"] = "2.2094", ["cone_radius"] = "20" });

        foreach (var url in new[] { "/brokers/", $"/alerts/run/{runId}/", "/alerts/query/create/?broker=TNS", "/alerts/query/create/?broker=Lasair" })
        {
            var (_, html) = await user.Page.GetAsync(url);
            Assert.DoesNotContain(TomAlertsFactory.LasairKey, html, StringComparison.Ordinal);
            Assert.DoesNotContain(TomAlertsFactory.LasairLsstKey, html, StringComparison.Ordinal);
            Assert.DoesNotContain(TomAlertsFactory.TnsKey, html, StringComparison.Ordinal);
        }
    }
}
