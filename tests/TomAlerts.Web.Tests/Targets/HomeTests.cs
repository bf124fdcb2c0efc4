using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Targets;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Targets;

/// <summary>The home page: new alerts of scheduled runs since the last visit, recent targets, one's lists, brokers in a line.</summary>
public sealed class HomeTests : AppTest
{
    [Fact]
    public async Task Home_ScheduledRunWithNewAlerts_ShownOnceThenNotAfterTheVisit()
    {
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "ALeRCE", new() { ["max_pages"] = "1" });
        var other = await Factory.LoginAsync();
        var hidden = await Factory.SaveQueryAsync(other, "ALeRCE", new() { ["max_pages"] = "1", ["visibility"] = "private" });
        await Factory.WithDbAsync(async db =>
        {
            var at = DateTime.UtcNow.AddHours(-1);
            db.QueryRuns.AddRange(
                new QueryRun { BrokerQueryId = queryId, Status = RunStatus.Succeeded, Created = at, Finished = at, Scheduled = true, NewAlertCount = 7, AlertCount = 9 },
                new QueryRun { BrokerQueryId = queryId, Status = RunStatus.Succeeded, Created = at, Finished = at, Scheduled = false, NewAlertCount = 4, AlertCount = 4 },
                new QueryRun { BrokerQueryId = hidden, Status = RunStatus.Succeeded, Created = at, Finished = at, Scheduled = true, NewAlertCount = 5, AlertCount = 5 });
            db.Targets.Add(new Target { Name = "SN 2026home", NormalizedName = TargetNames.Normalize("SN 2026home"), Created = at, Modified = at });
            db.TargetLists.Add(new TargetList { Name = "My picks", OwnerId = user.Id, Created = at, Modified = at });
            db.TargetLists.Add(new TargetList { Name = "Their picks", OwnerId = other.Id, Created = at, Modified = at });
            var saved = await db.SaveChangesAsync();
            await db.ShareWithTeamAsync();
            return saved;
        });

        var (status, first) = await user.Page.GetAsync("/");
        var (_, second) = await user.Page.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("7 new", first, StringComparison.Ordinal);
        Assert.DoesNotContain("4 new", first, StringComparison.Ordinal);
        Assert.DoesNotContain("5 new", first, StringComparison.Ordinal);
        Assert.Contains(">SN 2026home</a>", first, StringComparison.Ordinal);
        Assert.Contains("My picks", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Their picks", first, StringComparison.Ordinal);
        Assert.Contains("data-broker=\"TNS\"", first, StringComparison.Ordinal);
        Assert.DoesNotContain("7 new", second, StringComparison.Ordinal);
        Assert.Contains("Since your last visit", second, StringComparison.Ordinal);
    }
}
