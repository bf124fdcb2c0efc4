using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Runs;

/// <summary>
/// ANTARES through the portal end to end: a tag search paged by links.next, a target from the locus ANT2023ch7kxe
/// (ZTF23abtfusv and an LSST object on one locus) with both surveys' photometry, and ALeRCE's ZTF23abtfusv landing on
/// the same target.
/// </summary>
public sealed class AntaresTargetTests : AppTest
{
    private const string Locus = "ANT2023ch7kxe";

    protected override void Arrange() => Factory.Brokers.MapAntares().MapAlerce(3);

    private async Task<long> RunAsync(TestUser user, string broker, Dictionary<string, string> fields)
    {
        var runId = await Factory.RunQueryAsync(user, await Factory.SaveQueryAsync(user, broker, fields));
        var run = await Factory.WaitForRunAsync(runId);
        Assert.True(run.Status == RunStatus.Succeeded, $"{broker} run {run.Status}: {run.Error}");
        return runId;
    }

    private async Task<string> CreateAsync(TestUser user, long runId, string alertId)
    {
        using var response = await user.CreateTargetsAsync(runId, alertId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task TagQueryRun_CreatesTheTargetWithBothSurveysPhotometry()
    {
        var user = await Factory.LoginAsync();

        var runId = await RunAsync(user, "ANTARES", new() { ["tag"] = "lsst_scimma_quality_transient" });
        await CreateAsync(user, runId, Locus);

        // Two loci carry the tag, one per page: the second came by links.next.
        var alerts = await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId).OrderBy(a => a.Id).Select(a => new { a.AlertId, a.Name }).ToListAsync());
        Assert.Equal([(Locus, "ZTF23abtfusv"), ("ANT2026c4xk2q7mwe9t", "169375514096173140")], alerts.Select(a => (a.AlertId, a.Name)));
        Assert.Contains(Factory.Brokers.Requests, r => r.StartsWith($"GET {FakeAntares.Prefix}/loci?", StringComparison.Ordinal) && r.Contains("page%5Boffset%5D=1", StringComparison.Ordinal));

        var target = await Factory.WithDbAsync(db => db.Targets.Include(t => t.Aliases).Include(t => t.Extras).SingleAsync());
        // TNS's name among the locus' names is the target's name (Targets:RenameToTnsName); the ZTF name stays an alias.
        Assert.Equal("SN2023vjq", target.Name);
        Assert.Equal("ANTARES", target.Aliases.Single(a => a.Name == Locus).Survey);
        Assert.Equal("LSST", target.Aliases.Single(a => a.Name == "169298433216610349").Survey);
        Assert.Equal("ZTF", target.Aliases.Single(a => a.Name == "ZTF23abtfusv").Survey);
        Assert.Contains(target.Extras, e => e.Key == "catalog:tns_public_objects" && e.Value == "SN 2023vjq");

        var points = await Factory.WithDbAsync(db => db.Photometry.Where(p => p.TargetId == target.Id).ToListAsync());
        Assert.Equal([("LSST", PhotometryKind.Detection), ("LSST", PhotometryKind.Limit), ("ZTF", PhotometryKind.Detection), ("ZTF", PhotometryKind.Limit)],
            points.Select(p => (p.Survey!, p.Kind)).Order());
        Assert.All(points, p => Assert.Equal("ANTARES", p.Source));
    }

    [Fact]
    public async Task AntaresLocusAndAlerceAlertOfOneObject_AreOneTarget()
    {
        var user = await Factory.LoginAsync();
        await CreateAsync(user, await RunAsync(user, "ANTARES", new() { ["tag"] = "in_tns" }), Locus);

        var fromAlerce = await CreateAsync(user, await RunAsync(user, "ALeRCE", new() { ["oid"] = "ZTF23abtfusv" }), "ZTF23abtfusv");

        Assert.Contains("0 created, 1 matched", fromAlerce, StringComparison.Ordinal);
        var target = await Factory.WithDbAsync(db => db.Targets.SingleAsync());
        Assert.Equal("SN2023vjq", target.Name); // the TNS name the locus carries
        // ZTF candidate 2486412333715015000 came from both brokers: one point with two sources.
        var shared = await Factory.WithDbAsync(db => db.Photometry.SingleAsync(p => p.TargetId == target.Id && p.SourceId == "2486412333715015000"));
        Assert.Equal(["ANTARES", "ALeRCE"], shared.Sources);
    }
}
