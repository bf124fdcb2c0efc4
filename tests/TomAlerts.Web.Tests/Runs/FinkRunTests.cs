using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Runs;

/// <summary>Fink through the portal: a ZTF class search and an LSST tag search make targets with light curves, and a Fink alert of an object ALeRCE also gave lands on the same target.</summary>
public sealed class FinkRunTests : AppTest
{
    protected override void Arrange() => Factory.Brokers.MapFink().MapAlerce(3);

    private async Task<(TestUser User, long RunId)> RunAsync(string broker, Dictionary<string, string> fields, TestUser? user = null)
    {
        user ??= await Factory.LoginAsync();
        var runId = await Factory.RunQueryAsync(user, await Factory.SaveQueryAsync(user, broker, fields));
        var run = await Factory.WaitForRunAsync(runId);
        Assert.True(run.Status == RunStatus.Succeeded, $"{broker} run {run.Status}: {run.Error}");
        return (user, runId);
    }

    private async Task CreateAsync(TestUser user, long runId, string alertId)
    {
        using var response = await user.CreateTargetsAsync(runId, alertId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ZtfClassSearch_CreatesATargetWithDetectionsAndLimits()
    {
        var (user, runId) = await RunAsync("Fink", new() { ["classsearch"] = "Early SN Ia candidate, 2" });

        var ids = await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId).Select(a => a.AlertId).ToListAsync());
        Assert.Equal(["ZTF23abtfusv", "ZTF23abvfgke"], ids.Order(StringComparer.Ordinal));
        await CreateAsync(user, runId, "ZTF23abtfusv");

        var target = await Factory.WithDbAsync(db => db.Targets.SingleAsync());
        Assert.Equal("ZTF23abtfusv", target.Name);
        Assert.Equal(150.3157691111, target.Ra!.Value, 6);
        var points = await Factory.WithDbAsync(db => db.Photometry.Where(p => p.TargetId == target.Id).ToListAsync());
        Assert.Equal(3, points.Count(p => p.Kind == PhotometryKind.Detection));
        Assert.Equal(3, points.Count(p => p.Kind == PhotometryKind.Limit));
        Assert.All(points, p => Assert.Equal("ZTF", p.Survey));
    }

    [Fact]
    public async Task LsstTagSearch_CreatesATargetWithSourcesAndForcedPhotometry()
    {
        var (user, runId) = await RunAsync("Fink", new() { ["survey"] = "lsst", ["tag"] = "early_snia_candidate", ["n"] = "2" });

        var ids = await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId).Select(a => a.AlertId).ToListAsync());
        Assert.Contains(FakeAlerceLsst.ObjectId, ids);
        await CreateAsync(user, runId, FakeAlerceLsst.ObjectId);

        var target = await Factory.WithDbAsync(db => db.Targets.SingleAsync());
        Assert.Equal(FakeAlerceLsst.ObjectId, target.Name);
        Assert.NotNull(target.Ra);
        var points = await Factory.WithDbAsync(db => db.Photometry.Where(p => p.TargetId == target.Id).ToListAsync());
        Assert.Equal(11, points.Count);
        Assert.Equal(5, points.Count(p => p.Kind == PhotometryKind.Forced));
        Assert.All(points, p => Assert.Equal("LSST", p.Survey));
        Assert.All(points.Where(p => p.Flux <= 0), p => Assert.Null(p.Magnitude));
    }

    [Fact]
    public async Task FinkAndAlerceAlertsOfOneObject_BecomeOneTarget()
    {
        var (user, finkRun) = await RunAsync("Fink", new() { ["objectId"] = "ZTF23abtfusv" });
        await CreateAsync(user, finkRun, "ZTF23abtfusv");
        var (_, alerceRun) = await RunAsync("ALeRCE", new() { ["oid"] = "ZTF23abtfusv" }, user);
        await CreateAsync(user, alerceRun, "ZTF23abtfusv");

        var target = await Factory.WithDbAsync(db => db.Targets.SingleAsync());
        Assert.Equal("ZTF23abtfusv", target.Name);
        var points = await Factory.WithDbAsync(db => db.Photometry.Where(p => p.TargetId == target.Id).ToListAsync());
        Assert.Contains(points, p => p.Sources.Contains("Fink"));
        Assert.Contains(points, p => p.Sources.Contains("ALeRCE"));
    }
}
