using Microsoft.EntityFrameworkCore;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Schedules;

/// <summary>What is new: alerts no earlier run of the same query returned, by broker alert id.</summary>
public sealed class NewAlertTests : AppTest
{
    [Fact]
    public async Task SecondRun_OnlyAlertsNoEarlierRunReturned_AreNewAndTheRunPageFiltersThem()
    {
        Factory.Brokers.MapAlerce(2);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveAlerceQueryAsync(user, new());
        var otherQueryId = await Factory.SaveAlerceQueryAsync(user, new());
        var first = await Factory.RunQueryAsync(user, queryId);
        Factory.Brokers.MapAlerce(3);

        var second = await Factory.RunQueryAsync(user, queryId);
        var otherQuery = await Factory.RunQueryAsync(user, otherQueryId);
        var runs = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().Where(r => r.Id == first || r.Id == second || r.Id == otherQuery).ToDictionaryAsync(r => r.Id));
        var newIds = await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == second && a.IsNew).Select(a => a.AlertId).ToListAsync());
        var (_, all) = await user.Page.GetAsync($"/alerts/run/{second}/");
        var (_, newOnly) = await user.Page.GetAsync($"/alerts/run/{second}/?new=1");
        var (_, history) = await user.Page.GetAsync($"/alerts/query/{queryId}/runs/");

        Assert.Equal(2, runs[first].NewAlertCount);
        Assert.Equal(1, runs[second].NewAlertCount);
        Assert.Equal(3, runs[otherQuery].NewAlertCount); // another query's runs do not count
        Assert.Equal([FakeAlerce.Oid(2)], newIds);
        Assert.Contains(FakeAlerce.Oid(0), all, StringComparison.Ordinal);
        Assert.Contains("New only (1)", all, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(all, "new-badge"));
        Assert.DoesNotContain(FakeAlerce.Oid(0), newOnly, StringComparison.Ordinal);
        Assert.Contains(FakeAlerce.Oid(2), newOnly, StringComparison.Ordinal);
        Assert.Contains($"/alerts/run/{second}/?new=1\">1</a>", history, StringComparison.Ordinal);
    }
}
