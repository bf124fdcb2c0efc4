using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Runs;

/// <summary>
/// Hermes queries against a loopback Hermes: an events query lists each event with its latest sequence (and its target has
/// no position), a messages cone query gives an alert per target, whose target keeps the message's position.
/// </summary>
public sealed class HermesTests : AppTest
{
    [Fact]
    public async Task EventQueryRun_ListsTheEventWithItsLatestSequence_AndItsTargetHasNoPosition()
    {
        var hermes = FakeHermes.Map(Factory.Brokers);

        var (user, _, runId) = await LogInAndRunAsync("Hermes", new() { ["query_kind"] = "events", ["event_id"] = "S260305bx", ["max_results"] = "100" });

        var run = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        var alert = Assert.Single(await Factory.WithDbAsync(db => db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == runId).ToListAsync()));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal([FakeHermes.Prefix + "/nonlocalizedevents/?event_id_exact=S260305bx&limit=100&offset=0"], hermes.Calls);
        Assert.Equal(("S260305bx", 0.91, "INITIAL: BNS 91%, FAR 2.1e-10 Hz (1 per 151 yr)"), (alert.AlertId, alert.Score!.Value, alert.Classification!));
        Assert.Null(alert.Ra);
        var (_, html) = await user.Page.GetAsync($"/alerts/run/{runId}/");
        Assert.Contains("INITIAL: BNS 91%", html, StringComparison.Ordinal);
        Assert.Contains("https://gracedb.ligo.org/superevents/S260305bx/view/", html, StringComparison.Ordinal);

        using var created = await user.CreateTargetsAsync(runId, "S260305bx");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var target = await Factory.WithDbAsync(db => db.Targets.AsNoTracking().Include(t => t.Extras).SingleAsync(t => t.Name == "S260305bx"));
        Assert.Null(target.Ra);
        Assert.Contains(target.Extras, e => e.Key == "skymap_url" && e.Value.EndsWith("bayestar.multiorder.fits,1", StringComparison.Ordinal));
        var (status, page) = await user.Page.GetAsync($"/targets/{target.Id}/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("S260305bx", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageConeRun_GivesAnAlertPerTarget_AndCreatesTheTargetAtItsPosition()
    {
        var hermes = FakeHermes.Map(Factory.Brokers);

        var (user, _, runId) = await LogInAndRunAsync("Hermes", new() { ["query_kind"] = "messages", ["cone"] = "10:01:15.79, +02:12:34.2, 0.001" });

        var alerts = await Factory.WithDbAsync(db => db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == runId).OrderBy(a => a.Position).ToListAsync());
        Assert.Equal([FakeHermes.Prefix + "/messages/?cone_search=150.31579167%2C2.2095%2C0.001&limit=100&offset=0"], hermes.Calls);
        Assert.Equal(["LSST-P-DO-169298433216610349", "2023vjq"], alerts.Select(a => a.Name));
        Assert.Equal(150.315783, alerts[0].Ra);

        using var created = await user.CreateTargetsAsync(runId, alerts[0].AlertId);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var target = await Factory.WithDbAsync(db => db.Targets.AsNoTracking().Include(t => t.Photometry).SingleAsync());
        Assert.Equal(("LSST-P-DO-169298433216610349", 150.315783, 2.209496), (target.Name, target.Ra!.Value, target.Dec!.Value));
        // Hermes' message items carry no photometry.
        Assert.Empty(target.Photometry);
    }

    [Fact]
    public async Task WrongToken_EndsTheRunWithHermesWordsAndTheKeyToCheck()
    {
        FakeHermes.Map(Factory.Brokers);
        Factory.Settings["BROKERS:HERMES:api_key"] = "not-the-token";

        var (_, _, runId) = await LogInAndRunAsync("Hermes", new() { ["query_kind"] = "events" });

        var run = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("Hermes answered 403 Forbidden: Invalid token. Check BROKERS:HERMES:api_key", run.Error, StringComparison.Ordinal);
    }
}
