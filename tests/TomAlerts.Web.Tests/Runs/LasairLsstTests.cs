using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Runs;

/// <summary>
/// A Lasair query with Survey LSST against a loopback Lasair-LSST: the cone and one list query, alerts keyed by their
/// exact 18-digit diaObjectIds, and targets made from the full object (its light curve in nJy, its TNS name).
/// </summary>
public sealed class LasairLsstTests : AppTest
{
    private static readonly Dictionary<string, string> LsstCone = new()
    {
        ["survey"] = "lsst", ["cone_ra"] = "150.31577", ["cone_dec"] = "2.20943", ["cone_radius"] = "30",
    };

    [Fact]
    public async Task LsstConeRun_CostsTheConeAndOneQueryAndStoresTheExactIds()
    {
        var lsst = Factory.Brokers.MapLasairLsst();
        var ztf = Factory.Brokers.MapLasair();

        var (_, _, runId) = await LogInAndRunAsync("Lasair", LsstCone);

        var run = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        var alerts = await Factory.WithDbAsync(db => db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == runId).OrderBy(a => a.Position).ToListAsync());
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(["/cone/", "/query/"], lsst.Paths);
        Assert.Equal(0, ztf.Calls);
        Assert.Equal([FakeLasairLsst.FirstId, FakeLasairLsst.SecondId], alerts.Select(a => a.AlertId));
        Assert.Equal(150.31578312240114, alerts[0].Ra);
        Assert.Equal(TomAlerts.Sky.AstroTime.FromMjdTai(61134.0734227), alerts[0].Timestamp);
        Assert.Equal(31.4 - 2.5 * Math.Log10(2978.3025), alerts[0].Mag!.Value, 9);
    }

    [Fact]
    public async Task TargetsFromLsstRows_FetchTheObjectsWithTheirLightCurvesAndFallBackOnTheImageUrlsFault()
    {
        var lsst = Factory.Brokers.MapLasairLsst();
        var (user, _, runId) = await LogInAndRunAsync("Lasair", LsstCone);

        using var created = await user.CreateTargetsAsync(runId, FakeLasairLsst.FirstId, FakeLasairLsst.SecondId);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(["/cone/", "/query/", "/object/", "/object/", "/object/"], lsst.Paths);
        Assert.Contains("lasair_added=false", lsst.Queries[^1], StringComparison.Ordinal);
        var targets = await Factory.WithDbAsync(db => db.Targets.AsNoTracking().Include(t => t.Aliases).Include(t => t.Photometry).ToListAsync());
        // The first object's TNS name becomes its name (Targets:RenameToTnsName); its diaObjectId stays an alias.
        Assert.Equal(["SN2023vjq", FakeLasairLsst.SecondId], targets.OrderBy(t => t.Id).Select(t => t.Name));
        var first = targets.OrderBy(t => t.Id).First();
        Assert.Contains(first.Aliases, a => a.Name == FakeLasairLsst.FirstId);
        // Six diaSources and five forced fluxes, a forced flux kept beside the detection of its visit.
        Assert.Equal(11, first.Photometry.Count);
        Assert.Equal(5, first.Photometry.Count(p => p.Kind == TomAlerts.Brokers.PhotometryKind.Forced));
        Assert.All(first.Photometry, p => Assert.Equal("nJy", p.FluxUnit));
        Assert.Contains(first.Photometry, p => p.Magnitude is not null && p.Bandpass == "r");
        Assert.Contains(first.Photometry, p => p.Limit is not null && p.Flux < 0);
        var second = targets[1];
        Assert.Equal(150.32293, second.Ra);
        Assert.NotEmpty(second.Photometry);
    }
}
