using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;

namespace TomAlerts.Web.Tests.Support;

/// <summary>The steps of the run flow as a user takes them through the pages.</summary>
public static partial class RunSteps
{
    public static async Task<int> SaveQueryAsync(this TomAlertsFactory factory, TestUser user, string broker, Dictionary<string, string> fields)
    {
        var name = $"{broker} query {Guid.NewGuid():N}"[..30];
        var all = new Dictionary<string, string>(fields) { ["broker"] = broker, ["query_name"] = name };
        using var response = await user.Page.PostFormAsync($"/alerts/query/create/?broker={broker}", "/alerts/query/create/", all);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await factory.WithDbAsync(db => db.BrokerQueries.Where(q => q.Name == name).Select(q => q.Id).SingleAsync());
    }

    /// <summary>Clicks Run on the list and follows the run until it ends; returns the run id.</summary>
    public static async Task<long> RunQueryAsync(this TomAlertsFactory factory, TestUser user, int queryId)
    {
        using var response = await user.Page.PostFormAsync("/alerts/query/list/", $"/alerts/query/{queryId}/run/", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var runId = long.Parse(RunIdPattern().Match(response.Headers.Location!.OriginalString).Groups[1].Value);
        await factory.WaitForRunAsync(runId);
        return runId;
    }

    public static async Task<QueryRun> WaitForRunAsync(this TomAlertsFactory factory, long runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
            if (run.IsFinished)
            {
                return run;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Run {runId} did not finish in time; it is {run.Status}.");
            await Task.Delay(50);
        }
    }

    public static async Task<HttpResponseMessage> CreateTargetsAsync(this TestUser user, long runId, params string[] alertIds)
    {
        var fields = alertIds.Select(id => new KeyValuePair<string, string>("alerts", id)).Append(new("runId", runId.ToString()));
        var (_, html) = await user.Page.GetAsync($"/alerts/run/{runId}/");
        return await user.Page.PostWithTokenAsync("/alerts/alert/create/", fields, PageSession.Token(html));
    }

    [GeneratedRegex(@"/alerts/run/(\d+)/")]
    private static partial Regex RunIdPattern();
}
