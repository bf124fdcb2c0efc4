using System.Globalization;
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

    /// <summary>Clicks Run on the list; returns the id of the run page it leads to.</summary>
    public static async Task<long> StartRunAsync(this PageSession page, int queryId)
    {
        using var response = await page.PostFormAsync("/alerts/query/list/", $"/alerts/query/{queryId}/run/", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var runId = RunIdPattern().Match(response.Headers.Location!.OriginalString);
        Assert.True(runId.Success, $"Run led to {response.Headers.Location}, not to a run page.");
        return long.Parse(runId.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Clicks Run on the list and follows the run until it ends; returns the run id.</summary>
    public static async Task<long> RunQueryAsync(this TomAlertsFactory factory, TestUser user, int queryId)
    {
        var runId = await user.Page.StartRunAsync(queryId);
        await factory.WaitForRunAsync(runId);
        return runId;
    }

    public static Task<HttpResponseMessage> CreateTargetsAsync(this TestUser user, long runId, params string[] alertIds) =>
        user.Page.CreateTargetsAsync(runId, alertIds);

    /// <summary>Ticks <paramref name="alertIds"/> on the run page and clicks Create targets.</summary>
    public static async Task<HttpResponseMessage> CreateTargetsAsync(this PageSession page, long runId, params string[] alertIds)
    {
        var fields = alertIds.Select(id => new KeyValuePair<string, string>("alerts", id)).Append(new("runId", runId.ToString(CultureInfo.InvariantCulture)));
        var (_, html) = await page.GetAsync($"/alerts/run/{runId}/");
        return await page.PostWithTokenAsync("/alerts/alert/create/", fields, PageSession.Token(html));
    }

    [GeneratedRegex(@"/alerts/run/(\d+)/")]
    private static partial Regex RunIdPattern();
}
