using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Runs;

/// <summary>What the run page and the run history say: the query's filters, counts in words, Retry after a failure.</summary>
public sealed class RunPageWordsTests : AppTest
{
    [Fact]
    public async Task RunPage_RestatesTheQuerysFiltersWithTheFormsLabelsAndLeavesEmptyOnesOut()
    {
        Factory.Brokers.MapAlerce(3);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "ALeRCE", new() { ["ndet"] = "4", ["order_mode"] = "DESC", ["oid"] = "" });

        var runId = await Factory.RunQueryAsync(user, queryId);
        var (_, html) = await user.Page.GetAsync($"/alerts/run/{runId}/");

        var filters = Section(html, "id=\"query-filters\"", "</section>");
        Assert.Contains("<dt class=\"col-sm-3\">Detections Lower</dt>", filters, StringComparison.Ordinal);
        Assert.Contains(">4</dd>", filters, StringComparison.Ordinal);
        Assert.Contains("<dt class=\"col-sm-3\">Sort Order</dt>", filters, StringComparison.Ordinal);
        Assert.Contains(">Descending</dd>", filters, StringComparison.Ordinal); // the choice's label, not its value
        Assert.DoesNotContain(">ndet<", filters, StringComparison.Ordinal);
        Assert.DoesNotContain("query_name", filters, StringComparison.Ordinal);
        Assert.DoesNotContain("Object", filters, StringComparison.Ordinal); // the empty object id is left out
    }

    [Fact]
    public async Task RunPage_OneAlert_SaysOneAlertNotOneAlerts()
    {
        Factory.Brokers.MapAlerce(1);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "ALeRCE", []);

        var runId = await Factory.RunQueryAsync(user, queryId);
        var (_, html) = await user.Page.GetAsync($"/alerts/run/{runId}/");

        Assert.Contains("The run finished with 1 alert in", html, StringComparison.Ordinal);
        Assert.DoesNotContain("1 alerts", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedRun_Retry_StartsANewRunOfTheSameQuery()
    {
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "ALeRCE", []);
        await using var broken = await FakeBrokerServer.StartAsync();
        broken.MapText("/", 503, "<html><body>Service Unavailable</body></html>", "text/html");
        await using var app = await Factory.DeriveAsync(user, ("BROKERS:ALERCE:base_url", broken.Url + "/alerce"));
        var failedId = await app.Page.StartRunAsync(queryId);
        var failed = await app.App.WaitForRunAsync(failedId);
        var (_, page) = await app.Page.GetAsync($"/alerts/run/{failedId}/");
        var (_, history) = await app.Page.GetAsync($"/alerts/query/{queryId}/runs/");

        using var retry = await app.Page.PostWithTokenAsync($"/alerts/query/{queryId}/run/", [], PageSession.Token(page));

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("id=\"retry-run\"", page, StringComparison.Ordinal);
        Assert.Contains("action=\"/alerts/query/" + queryId + "/run/\" id=\"retry-run-form\"", page, StringComparison.Ordinal);
        Assert.Contains("class=\"btn btn-sm btn-outline-primary retry-run\">Retry</button>", history, StringComparison.Ordinal);
        Assert.Contains("ALeRCE had a problem of its own (HTTP 503)", page, StringComparison.Ordinal);
        Assert.Contains("<summary>Technical detail</summary>", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        var runs = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().Where(r => r.BrokerQueryId == queryId).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync());
        Assert.Equal(2, runs.Count);
        Assert.Equal($"/alerts/run/{runs[1]}/", retry.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SucceededRun_HasNoRetryButton()
    {
        Factory.Brokers.MapAlerce(2);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "ALeRCE", []);

        var runId = await Factory.RunQueryAsync(user, queryId);
        var (_, html) = await user.Page.GetAsync($"/alerts/run/{runId}/");

        Assert.DoesNotContain("id=\"retry-run\"", html, StringComparison.Ordinal);
        Assert.Contains("The run finished with 2 alerts in", html, StringComparison.Ordinal);
    }

    private static string Section(string html, string start, string end)
    {
        var at = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(at >= 0, $"The page has no {start}.");
        var stop = html.IndexOf(end, at, StringComparison.Ordinal);
        return html[at..(stop < 0 ? html.Length : stop)];
    }
}
