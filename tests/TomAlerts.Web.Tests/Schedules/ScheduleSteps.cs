using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Schedules;

/// <summary>Saving queries with schedule and notification fields through the query form, and waiting for scheduled runs.</summary>
public static class ScheduleSteps
{
    /// <summary>An ALeRCE query (every object the fake serves) saved through the form with <paramref name="extra"/> schedule fields.</summary>
    public static async Task<(HttpResponseMessage Response, string Name)> PostAlerceQueryAsync(this TestUser user, Dictionary<string, string> extra, int? queryId = null)
    {
        var name = $"scheduled {Guid.NewGuid():N}"[..24];
        var fields = new Dictionary<string, string>(extra) { ["broker"] = "ALeRCE", ["query_name"] = name, ["max_pages"] = "1" };
        var page = queryId is { } id ? $"/alerts/query/{id}/update/" : "/alerts/query/create/?broker=ALeRCE";
        var action = queryId is { } id2 ? $"/alerts/query/{id2}/update/" : "/alerts/query/create/";
        return (await user.Page.PostFormAsync(page, action, fields), name);
    }

    public static async Task<int> SaveAlerceQueryAsync(this TomAlertsFactory factory, TestUser user, Dictionary<string, string> extra)
    {
        var (response, name) = await user.PostAlerceQueryAsync(extra);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        response.Dispose();
        return await factory.WithDbAsync(db => db.BrokerQueries.Where(q => q.Name == name).Select(q => q.Id).SingleAsync());
    }

    /// <summary>Waits until the query has <paramref name="count"/> finished scheduled runs; returns them, oldest first.</summary>
    public static Task<List<QueryRun>> WaitForScheduledRunsAsync(this TomAlertsFactory factory, int queryId, int count) =>
        Poll.UntilAsync(
            async () => (await factory.WithDbAsync(db => db.QueryRuns.AsNoTracking()
                .Where(r => r.BrokerQueryId == queryId && r.Scheduled).OrderBy(r => r.Id).ToListAsync())).Where(r => r.IsFinished).ToList(),
            finished => finished.Count >= count,
            finished => $"Query {queryId} has {finished.Count} of {count} finished scheduled runs.");

    public static Task<int> ScheduledRunCountAsync(this TomAlertsFactory factory, int queryId) =>
        factory.WithDbAsync(db => db.QueryRuns.CountAsync(r => r.BrokerQueryId == queryId && r.Scheduled));
}
