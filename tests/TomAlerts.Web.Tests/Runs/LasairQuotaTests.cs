using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Runs;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Runs;

/// <summary>
/// Lasair's hourly quota (100 calls on a personal token) against a loopback Lasair that counts calls as the real one does:
/// a search costs a call per page of objects, not one per object, and a run that meets the quota keeps what it stored,
/// says when the quota resets, and can be resumed then.
/// </summary>
public sealed partial class LasairQuotaTests : AppTest
{
    private static readonly Dictionary<string, string> EveryObject = new() { ["sqlquery"] = "ncand >= 1" };

    [Fact]
    public async Task SqlRunOfFiftyObjects_CostsOneLasairCallAndItsAlertsCarryTheListColumns()
    {
        var lasair = Factory.Brokers.MapLasair(50);

        var (_, _, runId) = await LogInAndRunAsync("Lasair", EveryObject);

        var run = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        var alerts = await Factory.WithDbAsync(db => db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == runId).OrderBy(a => a.Position).ToListAsync());
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(50, run.AlertCount);
        Assert.InRange(lasair.Calls, 1, 2);
        Assert.Equal(["/query/"], lasair.Paths.Distinct());
        Assert.Equal(Enumerable.Range(0, 50).Select(FakeLasair.Id), alerts.Select(a => a.AlertId));
        var first = alerts[0];
        Assert.Equal((150.31577584166666, 2.209430991666667, 19.702470779418945), (first.Ra!.Value, first.Dec!.Value, first.Mag!.Value));
        Assert.Equal(TomAlerts.Sky.AstroTime.FromJd(2460282.79437), first.Timestamp);
        Assert.All(alerts, a => Assert.True(a.Ra is not null && a.Dec is not null && a.Mag is not null && a.Timestamp is not null, a.AlertId));
    }

    [Fact]
    public async Task TargetFromAListRow_CostsOneObjectCallAndGetsTheFullObjectsNamesAndLightCurve()
    {
        var lasair = Factory.Brokers.MapLasair(50);
        var (user, _, runId) = await LogInAndRunAsync("Lasair", EveryObject);
        var callsForTheRun = lasair.Calls;

        using var created = await user.CreateTargetsAsync(runId, FakeLasair.FirstId);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(callsForTheRun + 1, lasair.Calls);
        Assert.Equal("/object/", lasair.Paths[^1]);
        var target = await Factory.WithDbAsync(db => db.Targets.AsNoTracking().Include(t => t.Aliases).Include(t => t.Photometry).SingleAsync());
        // The object's TNS name becomes its name (Targets:RenameToTnsName); the survey id stays an alias.
        Assert.Equal("SN2023vjq", target.Name);
        Assert.Contains(target.Aliases, a => a.Name == FakeLasair.FirstId);
        Assert.Contains(target.Photometry, p => p.Magnitude is not null);
        Assert.Contains(target.Photometry, p => p.Limit is not null);
    }

    [Fact]
    public async Task ConeRun_CostsTheConeAndOneQueryForItsHits()
    {
        var lasair = Factory.Brokers.MapLasair(50);

        var (_, _, runId) = await LogInAndRunAsync("Lasair", new() { ["cone_ra"] = "150.3157", ["cone_dec"] = "2.2094", ["cone_radius"] = "20" });

        var alert = await Factory.WithDbAsync(db => db.RunAlerts.AsNoTracking().SingleAsync(a => a.QueryRunId == runId));
        Assert.Equal(["/cone/", "/query/"], lasair.Paths);
        Assert.Equal(FakeLasair.FirstId, alert.AlertId);
        Assert.Equal(19.702470779418945, alert.Mag);
    }

    [Fact]
    public async Task RunMeetingTheQuota_KeepsItsAlertsSaysWhenTheQuotaResetsAndResumesWithoutDuplicates()
    {
        var lasair = Factory.Brokers.MapLasair(2500);
        lasair.QuotaPerHour = 1;
        var (user, queryId, runId) = await LogInAndRunAsync("Lasair", EveryObject);
        var failed = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        var (_, page) = await user.Page.GetAsync($"/alerts/run/{runId}/");

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal(1000, failed.AlertCount);
        Assert.Equal(1, lasair.Refused);
        var (userMessage, technicalDetail) = RunMessages.Split(failed.Error);
        var message = ResetMessage().Match(userMessage);
        Assert.True(message.Success, failed.Error);
        Assert.StartsWith("Lasair answered 429 Too Many Requests", technicalDetail, StringComparison.Ordinal);
        var resetsAt = DateTime.ParseExact(message.Groups[1].Value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        // Lasair asked for an hour's wait: the reset is an hour from now, as a time of day (around midnight too).
        var minutesOff = ((resetsAt.TimeOfDay - DateTime.UtcNow.AddHours(1).TimeOfDay).TotalMinutes + 36 * 60) % (24 * 60) - 12 * 60;
        Assert.InRange(minutesOff, -2, 2);
        Assert.Contains(WebUtilityEncode(userMessage), page, StringComparison.Ordinal);
        Assert.Contains("id=\"resume-run\"", page, StringComparison.Ordinal);

        lasair.QuotaPerHour = 100;
        lasair.ResetQuota();
        using var resume = await user.Page.PostWithTokenAsync($"/alerts/run/{runId}/resume/", [], PageSession.Token(page));
        Assert.Equal(HttpStatusCode.Redirect, resume.StatusCode);
        var resumed = await Factory.WaitForRunAsync(runId);
        var alerts = await Factory.WithDbAsync(db => db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == runId).ToListAsync());

        Assert.Equal(RunStatus.Succeeded, resumed.Status);
        Assert.Null(resumed.Error);
        Assert.Equal(2500, resumed.AlertCount);
        Assert.Equal(2500, alerts.Select(a => a.AlertId).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 2500), alerts.Select(a => a.Position).Order());
        Assert.Equal(2500, resumed.NewAlertCount);
        Assert.All(alerts, a => Assert.True(a.IsNew));
        var (_, resumedPage) = await user.Page.GetAsync($"/alerts/run/{runId}/");
        Assert.DoesNotContain("id=\"resume-run\"", resumedPage, StringComparison.Ordinal);

        // A later run of the query finds nothing new: the resumed run's alerts count as returned before.
        var later = await Factory.RunQueryAsync(user, queryId);
        var laterRun = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == later));
        Assert.Equal((RunStatus.Succeeded, 2500, 0), (laterRun.Status, laterRun.AlertCount, laterRun.NewAlertCount));
    }

    [Fact]
    public async Task ResumeApi_FailedRunWithAlerts_Is202AndCompletes_SucceededRunIs409()
    {
        var lasair = Factory.Brokers.MapLasair(1500);
        lasair.QuotaPerHour = 1;
        var api = await Factory.ApiUserAsync();
        var queryId = await api.Api.CreateQueryAsync("Lasair", new { sqlquery = "ncand >= 1" });
        var failed = await api.Api.RunAsync(queryId);
        var runId = failed.GetProperty("id").GetInt64();
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(1000, failed.GetProperty("alertCount").GetInt32());
        Assert.StartsWith("Lasair's request limit is used up; it resets at ", failed.GetProperty("error").GetString(), StringComparison.Ordinal);

        lasair.QuotaPerHour = 100;
        lasair.ResetQuota();
        using var accepted = await api.Api.PostAsync($"/api/v1/runs/{runId}/resume", null);
        var body = await accepted.JsonAsync();
        var done = await api.Api.WaitForRunAsync(runId);
        using var again = await api.Api.PostAsync($"/api/v1/runs/{runId}/resume", null);
        using var unknown = await api.Api.PostAsync("/api/v1/runs/999999/resume", null);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal($"/api/v1/runs/{runId}", accepted.Headers.Location!.OriginalString);
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(1500, done.GetProperty("alertCount").GetInt32());
        ApiSupport.AssertProblem(again, HttpStatusCode.Conflict);
        Assert.Contains("only a failed or interrupted run that stored alerts", (await again.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        ApiSupport.AssertProblem(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Resume_RunOfAnotherUsersPrivateQuery_IsNotFoundAndLeavesTheRunAlone()
    {
        var lasair = Factory.Brokers.MapLasair(1500);
        lasair.QuotaPerHour = 1;
        var owner = await Factory.ApiUserAsync();
        var runId = (await owner.Api.RunAsync(await owner.Api.CreateQueryAsync("Lasair", new { sqlquery = "ncand >= 1" }, visibility: "private")))
            .GetProperty("id").GetInt64();
        var stranger = await Factory.ApiUserAsync();

        using var response = await stranger.Api.PostAsync($"/api/v1/runs/{runId}/resume", null);
        var run = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));

        ApiSupport.AssertProblem(response, HttpStatusCode.NotFound);
        Assert.Equal(RunStatus.Failed, run.Status);
    }

    private static string WebUtilityEncode(string text) => System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text);

    [GeneratedRegex(@"^Lasair's request limit is used up; it resets at (\d\d:\d\d) UTC( on \d{4}-\d\d-\d\d)?\. The 1000 alerts stored so far are kept; resume the run after that time\.$")]
    private static partial Regex ResetMessage();
}
