using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Runs;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Resilience;

/// <summary>Rate limits, the circuit breaker, slow answers and what the health page makes of them.</summary>
public sealed class RateLimitAndCircuitTests : AppTest
{
    private int _requests;

    protected override void Arrange() => Factory.WithFastBrokers();

    /// <summary>Lasair's cone and query calls; the first <paramref name="limited"/> calls get a 429 with <paramref name="retryAfter"/>.</summary>
    private void MapLasair(int limited, string retryAfter)
    {
        Factory.Brokers.Map("/lasair/api/", async context =>
        {
            if (Interlocked.Increment(ref _requests) <= limited)
            {
                context.Response.Headers.RetryAfter = retryAfter;
                await Write(context, 429, Fixtures.Read("lasair/error_429_throttled.json"));
                return;
            }
            await Write(context, 200, context.Request.Path.Value!.EndsWith("/cone/", StringComparison.Ordinal)
                ? """[{"object": "ZTF23abtfusv", "separation": 0.41}]"""
                : $"[{System.Text.Json.Nodes.JsonNode.Parse(Fixtures.Read("lasair/query_list_rows.json"))![0]!.ToJsonString()}]");
        });
    }

    private static async Task Write(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    /// <summary>Starts a run and collects every progress line the run page's status poll shows until it ends.</summary>
    private async Task<(QueryRun Run, List<string> Progress, TimeSpan Elapsed)> RunWatchingAsync(TestUser user, int queryId)
    {
        var watch = Stopwatch.StartNew();
        var runId = await user.Page.StartRunAsync(queryId);
        var progress = new List<string>();
        await user.Page.WaitForRunAsync(runId, status =>
        {
            if ((string?)status["progress"] is { } line)
            {
                progress.Add(line);
            }
        }, TimeSpan.FromSeconds(30));
        var run = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        return (run, progress, watch.Elapsed);
    }

    [Fact]
    public async Task Run_429WithRetryAfter_WaitsShowsItOnTheRunAndSucceeds()
    {
        MapLasair(limited: 1, retryAfter: "1");
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "Lasair", BrokerCase.Lasair.Query);

        var (run, progress, elapsed) = await RunWatchingAsync(user, queryId);
        var health = await user.Page.WaitForHealthAsync("Lasair", "429");
        var calls = await Factory.WithDbAsync(db => db.BrokerCalls.AsNoTracking().Where(c => c.Broker == "Lasair").OrderBy(c => c.Id).ToListAsync());

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(1, run.AlertCount);
        Assert.True(elapsed >= TimeSpan.FromSeconds(1), $"The run took {elapsed.TotalMilliseconds:0} ms, less than the 1 s Retry-After.");
        Assert.Contains("Waiting 1 s for the Lasair rate limit.", progress);
        Assert.Equal(3, _requests); // the throttled cone, the cone again, the query for its hit
        Assert.Equal(429, calls[0].Status);
        Assert.Equal(0, calls[0].RateLimitRemaining);
        Assert.Contains("asked to wait 1 s", health, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_429AskingForLongerThanTheTimeout_FailsAtOnceWithTheBrokersWords()
    {
        MapLasair(limited: int.MaxValue, retryAfter: "3600");
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "Lasair", BrokerCase.Lasair.Query);

        var (run, _, elapsed) = await RunWatchingAsync(user, queryId);
        var health = await user.Page.WaitForHealthAsync("Lasair", "asked to wait 3600 s");

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Matches(@"^Lasair's request limit is used up; it resets at \d\d:\d\d UTC( on \d{4}-\d\d-\d\d)?\. Nothing was stored before that; run the query again after that time\.$", RunMessages.Split(run.Error).Message);
        Assert.Equal(1, _requests);
        Assert.True(elapsed < TimeSpan.FromSeconds(3), $"The run took {elapsed.TotalMilliseconds:0} ms to give up.");
        Assert.Contains("Lasair answered 429", health, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tns429_IsWaitedOutByTheTnsClientAlone_NotRetriedByThePipelineToo()
    {
        var searches = 0;
        Factory.Brokers.Map("/tns/api/get/", async context =>
        {
            context.Response.Headers["x-rate-limit-limit"] = "25";
            if (context.Request.Path.Value!.EndsWith("/search", StringComparison.Ordinal) && Interlocked.Increment(ref searches) == 1)
            {
                context.Response.Headers["x-rate-limit-remaining"] = "0";
                context.Response.Headers["x-rate-limit-reset"] = "1";
                await Write(context, 429, Fixtures.Read("tns/error_429_too_many_requests.json"));
                return;
            }
            context.Response.Headers["x-rate-limit-remaining"] = "17";
            context.Response.Headers["x-rate-limit-reset"] = "40";
            await Write(context, 200, context.Request.Path.Value!.EndsWith("/search", StringComparison.Ordinal)
                ? Fixtures.Read("tns/search_by_internal_name.json")
                : Fixtures.Read("tns/get_object_2023vjq.json"));
        });
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "TNS", BrokerCase.Tns.Query);

        var (run, progress, _) = await RunWatchingAsync(user, queryId);
        await user.Page.WaitForHealthAsync("TNS", "TNS answered 429");
        // The calls after the 429 are logged as they end, so the latest window's count may show a moment after the 429.
        var health = await user.Page.WaitForHealthAsync("TNS", " 17 "); // requests left in the latest window TNS reported

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(2, searches);
        Assert.Contains(progress, p => p.Contains("TNS rate limit", StringComparison.Ordinal));
        Assert.Contains("TNS answered 429", health, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Circuit_RepeatedFailures_OpensFailsFastShowsBannersAndIsClosedAfterARestart()
    {
        Factory.Brokers.MapText("/alerce/", 500, """{"message": "Internal Server Error"}""");
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "ALeRCE", []);
        var tripping = new[]
        {
            ("BROKERS:ALERCE:resilience:CircuitBreaker:MinimumThroughput", "2"),
            ("BROKERS:ALERCE:resilience:CircuitBreaker:BreakDuration", "00:05:00"),
        };
        await using var app = await Factory.DeriveAsync(user, tripping);

        var first = await app.RunAsync(queryId);
        var watch = Stopwatch.StartNew();
        var second = await app.RunAsync(queryId);
        watch.Stop();
        var health = await app.Page.WaitForHealthAsync("ALeRCE", "Paused after repeated failures");
        var (_, form) = await app.Page.GetAsync("/alerts/query/create/?broker=ALeRCE");
        var (_, results) = await app.Page.GetAsync($"/alerts/run/{second.Id}/");
        var (_, otherForm) = await app.Page.GetAsync("/alerts/query/create/?broker=Gaia");
        await using var restarted = await Factory.DeriveAsync(user, tripping);
        var afterRestart = await restarted.Page.HealthRowAsync("ALeRCE");

        Assert.Equal(RunStatus.Failed, first.Status);
        Assert.Contains("ALeRCE answered 500", first.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, second.Status);
        Assert.StartsWith("TomAlerts has paused calls to ALeRCE for 5 minutes after repeated failures", second.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("failing repeatedly", second.Error, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"A run against an open circuit took {watch.ElapsedMilliseconds} ms.");
        Assert.Contains("retrying at", health, StringComparison.Ordinal);
        Assert.Contains("id=\"circuit-banner\"", form, StringComparison.Ordinal);
        Assert.Contains("TomAlerts has paused calls to ALeRCE after repeated failures", form, StringComparison.Ordinal);
        Assert.Contains("id=\"circuit-banner\"", results, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"circuit-banner\"", otherForm, StringComparison.Ordinal);
        Assert.Contains("Working normally", afterRestart, StringComparison.Ordinal);
        Assert.Contains("ALeRCE answered 500 Internal Server Error", afterRestart, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_AfterCalls_ShowsLatencyCallsLastSuccessAndSurvivesARestart()
    {
        Factory.Brokers.MapAlerce(30);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "ALeRCE", []);
        await Factory.RunQueryAsync(user, queryId);
        await Factory.RunQueryAsync(user, queryId);

        var health = await user.Page.WaitForHealthAsync("ALeRCE", " ms 4 "); // all four calls written
        await using var restarted = await Factory.DeriveAsync(user);
        var afterRestart = await restarted.Page.HealthRowAsync("ALeRCE");
        var calls = await Factory.WithDbAsync(db => db.BrokerCalls.AsNoTracking().Where(c => c.Broker == "ALeRCE").ToListAsync());

        Assert.Equal(4, calls.Count); // the form's classifier lists (ZTF and LSST, one client), then one page per run
        Assert.All(calls, c => Assert.True(c.Succeeded && c.Status == 200));
        Assert.Matches(@"\d+ / \d+ ms 4 ", health);
        Assert.Matches(@"\d+ s ago", health);
        Assert.Matches(@"\d+ / \d+ ms 4 ", afterRestart);
        Assert.Contains("Working normally", afterRestart, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AnswerThatStallsAfterItsHeaders_CountsAgainstTheAttemptTimeout()
    {
        Factory.Brokers.Map("/alerce/objects/", async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"total": 1, "items": [""");
            await context.Response.Body.FlushAsync();
            await Task.Delay(BrokerFaults.SlowDelay, context.RequestAborted);
        });
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "ALeRCE", []);

        var (run, _, elapsed) = await RunWatchingAsync(user, queryId);
        var health = await user.Page.WaitForHealthAsync("ALeRCE", "did not answer within");

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.StartsWith("ALeRCE did not answer within ", run.Error, StringComparison.Ordinal);
        Assert.Contains(" s; it may be busy. Try again in a few minutes.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("failing repeatedly", run.Error, StringComparison.Ordinal);
        Assert.True(elapsed < TimeSpan.FromSeconds(3), $"The run took {elapsed.TotalMilliseconds:0} ms.");
        Assert.Contains("HTTP 200", health, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryForm_BrokerSlowerThanThePageBudget_RendersWithinASecondSayingSo()
    {
        Factory.Brokers.Map("/alerce/classifiers", async context => await Task.Delay(BrokerFaults.SlowDelay, context.RequestAborted));
        var user = await Factory.LoginAsync();
        await user.Page.GetAsync("/alerts/query/create/?broker=Gaia"); // views compiled, so the clock measures the broker wait

        var watch = Stopwatch.StartNew();
        var (status, html) = await user.Page.GetAsync("/alerts/query/create/?broker=ALeRCE");
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"The form took {watch.ElapsedMilliseconds} ms.");
        Assert.Contains("ALeRCE did not answer in time; it may be busy. Try again in a few minutes.", html, StringComparison.Ordinal);
        Assert.Contains("type=\"submit\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokerCalls_OlderThanTheRetention_ArePrunedOnStart()
    {
        var user = await Factory.LoginAsync();
        await Factory.WithDbAsync(async db =>
        {
            db.BrokerCalls.Add(new TomAlerts.Brokers.BrokerCall { Broker = "ALeRCE", At = DateTime.UtcNow.AddDays(-8), DurationMs = 5, Status = 200, Succeeded = true });
            db.BrokerCalls.Add(new TomAlerts.Brokers.BrokerCall { Broker = "ALeRCE", At = DateTime.UtcNow.AddDays(-6), DurationMs = 5, Status = 200, Succeeded = true });
            return await db.SaveChangesAsync();
        });

        await using var restarted = await Factory.DeriveAsync(user);
        await Poll.UntilAsync(() => Factory.WithDbAsync(db => db.BrokerCalls.CountAsync()), calls => calls <= 1,
            calls => $"{calls} broker calls are left; the old one was not pruned.", TimeSpan.FromSeconds(10));

        var left = await Factory.WithDbAsync(db => db.BrokerCalls.AsNoTracking().SingleAsync());
        Assert.True(left.At > DateTime.UtcNow.AddDays(-7));
    }
}
