using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Runs;

/// <summary>
/// One LSST object through the portal end to end: found by ALeRCE's LSST API and by Lasair-LSST, and as ZTF23abtfusv by
/// ALeRCE-ZTF 0.24″ away. Each broker's target creation lands on one target, with each survey's points once.
/// </summary>
public sealed class LsstTargetTests : AppTest
{
    private static readonly Dictionary<string, string> LsstCone = new()
    {
        ["survey"] = "lsst", ["ra"] = "150.31577", ["dec"] = "2.20943", ["radius"] = "30",
    };

    private static readonly Dictionary<string, string> LasairLsstCone = new()
    {
        ["survey"] = "lsst", ["cone_ra"] = "150.31577", ["cone_dec"] = "2.20943", ["cone_radius"] = "30",
    };

    protected override void Arrange()
    {
        Factory.Brokers.MapAlerce(3).MapAlerceLsst().MapTns("tns/search_by_lsst_internal_name.json", "tns/get_object_2023vjq_with_lsst.json");
        Factory.Brokers.MapLasairLsst();
    }

    private async Task<long> RunAsync(TestUser user, string broker, Dictionary<string, string> fields)
    {
        var runId = await Factory.RunQueryAsync(user, await Factory.SaveQueryAsync(user, broker, fields));
        var run = await Factory.WaitForRunAsync(runId);
        Assert.True(run.Status == RunStatus.Succeeded, $"{broker} run {run.Status}: {run.Error}");
        return runId;
    }

    private async Task CreateAsync(TestUser user, long runId, string alertId)
    {
        using var response = await user.CreateTargetsAsync(runId, alertId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AlerceLsstRun_ListsTheObjectOnceByItsExactId()
    {
        var user = await Factory.LoginAsync();

        var runId = await RunAsync(user, "ALeRCE", LsstCone);

        // The cone answer lists the object once per classifier: one alert each, ids kept exact (above 2^53).
        var ids = await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId).Select(a => a.AlertId).ToListAsync());
        Assert.Equal([FakeAlerceLsst.ObjectId, "169298433216610412"], ids);
    }

    [Fact]
    public async Task LsstAndZtfAlertsOfOneObject_BecomeOneTargetWithBothSurveysLightCurves()
    {
        var user = await Factory.LoginAsync();
        await CreateAsync(user, await RunAsync(user, "ALeRCE", LsstCone), FakeAlerceLsst.ObjectId);
        await CreateAsync(user, await RunAsync(user, "Lasair", LasairLsstCone), FakeAlerceLsst.ObjectId);
        await CreateAsync(user, await RunAsync(user, "ALeRCE", new() { ["oid"] = "ZTF23abtfusv" }), "ZTF23abtfusv");

        var target = await Factory.WithDbAsync(db => db.Targets.Include(t => t.Aliases).SingleAsync());
        var names = target.Aliases.Select(a => a.Name).Append(target.Name).ToList();
        Assert.Contains(FakeAlerceLsst.ObjectId, names);
        Assert.Contains("ZTF23abtfusv", names);
        // Created from the LSST alert, the ZTF one matched it by position, and the TNS name one of them carries named it.
        Assert.Equal("SN2023vjq", target.Name);
        Assert.Equal("ZTF", target.Aliases.Single(a => a.Name == "ZTF23abtfusv").Survey);

        var points = await Factory.WithDbAsync(db => db.Photometry.Where(p => p.TargetId == target.Id).ToListAsync());
        var lsst = points.Where(p => p.Survey == "LSST").ToList();
        // Six diaSources and five forced sources, each once though both brokers reported it.
        Assert.Equal(11, lsst.Count);
        Assert.All(lsst, p => Assert.Equal(["ALeRCE", "Lasair"], p.Sources.Order()));
        Assert.Equal(["g", "i", "r", "u", "z"], lsst.Select(p => p.Bandpass).Distinct().Order());
        Assert.Contains(lsst, p => p.Kind == PhotometryKind.Forced);
        Assert.All(lsst.Where(p => p.Flux <= 0), p => Assert.Null(p.Magnitude)); // negative flux: a limit, never a magnitude
        Assert.Contains(points, p => p.Survey == "ZTF" && p.Kind == PhotometryKind.Detection);
    }

    [Fact]
    public async Task TnsObjectListingTheLsstDesignation_MatchesTheLsstTarget()
    {
        var user = await Factory.LoginAsync();
        await CreateAsync(user, await RunAsync(user, "ALeRCE", LsstCone), FakeAlerceLsst.ObjectId);

        var tnsRun = await RunAsync(user, "TNS", new() { ["internal_name"] = "LSST-P-DO-" + FakeAlerceLsst.ObjectId });
        var tnsAlert = await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == tnsRun).Select(a => a.AlertId).SingleAsync());
        using var fromTns = await user.CreateTargetsAsync(tnsRun, tnsAlert);

        Assert.Contains("0 created, 1 matched", await fromTns.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var target = await Factory.WithDbAsync(db => db.Targets.Include(t => t.Aliases).SingleAsync());
        Assert.Equal("SN2023vjq", target.Name); // TNS named it; the LSST id stays an alias
        Assert.Contains(target.Aliases, a => a.Name == FakeAlerceLsst.ObjectId);
        Assert.Equal("LSST", target.Aliases.Single(a => a.Name == "LSST-P-DO-" + FakeAlerceLsst.ObjectId).Survey);
    }
}
