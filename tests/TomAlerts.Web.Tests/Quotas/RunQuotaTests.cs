using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Runs;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Schedules;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Quotas;

/// <summary>Per-user limits on runs (Runs:MaxQueuedPerUser, Runs:MaxPerUserPerHour), admins exempt, and the fair queue.</summary>
public sealed class RunQuotaTests : AppTest
{
    protected override void Arrange() => Factory.Brokers.MapAlerce(1);

    [Fact]
    public async Task Api_UserWithTenRunsWaiting_EleventhIs429ProblemWithRetryAfter()
    {
        var api = await Factory.ApiUserAsync();
        var queryId = await api.Api.CreateQueryAsync("ALeRCE");
        await AddRunsAsync(queryId, api.User.Id, 10, RunStatus.Pending, TimeSpan.Zero);

        using var response = await api.Api.PostAsync($"/api/v1/queries/{queryId}/runs", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "No Retry-After on the 429.");
        var problem = await response.JsonAsync();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Contains("10 runs waiting or running", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, await Factory.WithDbAsync(db => db.QueryRuns.CountAsync(r => r.BrokerQueryId == queryId)));
    }

    [Fact]
    public async Task Api_UserWhoStartedTheHourlyMost_Is429UntilTheOldestRunIsAnHourOld()
    {
        Factory.Settings["Runs:MaxPerUserPerHour"] = "5";
        var api = await Factory.ApiUserAsync();
        var queryId = await api.Api.CreateQueryAsync("ALeRCE");
        await AddRunsAsync(queryId, api.User.Id, 5, RunStatus.Succeeded, TimeSpan.FromMinutes(50));

        using var response = await api.Api.PostAsync($"/api/v1/queries/{queryId}/runs", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var wait = response.Headers.RetryAfter?.Delta;
        Assert.True(wait > TimeSpan.FromMinutes(9) && wait <= TimeSpan.FromMinutes(10), $"Retry-After was {wait}; the oldest run turns an hour old in 10 minutes.");
        Assert.Contains("5 runs in the last hour", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_AdminWithTenRunsWaiting_MayStartMore()
    {
        var admin = await Factory.ApiUserAsync(admin: true);
        var queryId = await admin.Api.CreateQueryAsync("ALeRCE");
        await AddRunsAsync(queryId, admin.User.Id, 10, RunStatus.Pending, TimeSpan.Zero);

        using var response = await admin.Api.PostAsync($"/api/v1/queries/{queryId}/runs", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Page_UserWithTenRunsWaiting_RunButtonSaysWhyAndStartsNothing()
    {
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveAlerceQueryAsync(user, []);
        await AddRunsAsync(queryId, user.Id, 10, RunStatus.Pending, TimeSpan.Zero);

        using var response = await user.Page.PostFormAsync("/alerts/query/list/", $"/alerts/query/{queryId}/run/", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, html) = await user.Page.GetAsync(response.Headers.Location!.OriginalString);

        Assert.Contains("You have 10 runs waiting or running", html, StringComparison.Ordinal);
        Assert.Equal(10, await Factory.WithDbAsync(db => db.QueryRuns.CountAsync(r => r.BrokerQueryId == queryId)));
    }

    [Fact]
    public async Task Queue_ManyRunsOfOneUser_OtherUsersRunsTakeTheirTurnBetween()
    {
        var queue = new RunQueue();
        foreach (var id in new long[] { 1, 2, 3, 4 })
        {
            queue.Enqueue(id, "alice");
        }
        queue.Enqueue(5, "bob");
        queue.Enqueue(6, "carol");
        queue.Enqueue(7, "bob");

        var order = new List<long>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var id in queue.ReadAllAsync(stop.Token))
        {
            order.Add(id);
            if (order.Count == 7)
            {
                break;
            }
        }

        Assert.Equal([1, 5, 6, 2, 7, 3, 4], order);
    }

    /// <summary>Runs of the user's that the workers will not pick up during the test (they were not queued).</summary>
    private Task<int> AddRunsAsync(int queryId, string userId, int count, RunStatus status, TimeSpan ago) =>
        Factory.WithDbAsync(async db =>
        {
            var created = DateTime.UtcNow - ago;
            db.QueryRuns.AddRange(Enumerable.Range(0, count).Select(i => new QueryRun
            {
                BrokerQueryId = queryId, UserId = userId, Status = status, Created = created.AddSeconds(i),
                Finished = status == RunStatus.Pending ? null : created.AddSeconds(i),
            }));
            return await db.SaveChangesAsync();
        });
}
