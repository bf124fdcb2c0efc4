using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Security;

/// <summary>Everything a broker (or a user) sends is shown as text on every page it reaches.</summary>
public sealed class XssTests : AppTest
{
    protected override void Arrange()
    {
        // ALeRCE fails on purpose here; its circuit must not open before the run records what ALeRCE said.
        Factory.Settings["BROKERS:ALERCE:resilience:CircuitBreaker:MinimumThroughput"] = "100";
        Factory.Brokers.MapHostileGaia().MapHostileAlerceError().MapEmptyLasair();
    }

    [Fact]
    public async Task HostileBrokerText_IsEncodedOnEveryPageItReaches()
    {
        var (user, gaiaQuery, gaiaRun) = await LogInAndRunAsync("Gaia", new() { ["target_name"] = "script" });
        using var created = await user.CreateTargetsAsync(gaiaRun, HostileBroker.ScriptName);
        var createdHtml = await created.Content.ReadAsStringAsync();
        var target = await Factory.WithDbAsync(db => db.Targets.AsNoTracking().SingleAsync());
        var alerceQuery = await Factory.SaveQueryAsync(user, "ALeRCE", []);
        var alerceRun = await Factory.RunQueryAsync(user, alerceQuery);
        var lasairQuery = await Factory.SaveQueryAsync(user, "Lasair", new() { ["sqlquery"] = HostileBroker.ScriptName });
        var lasairRun = await Factory.RunQueryAsync(user, lasairQuery);
        using var named = await user.Page.PostFormAsync("/alerts/query/create/?broker=Gaia", "/alerts/query/create/",
            new() { ["broker"] = "Gaia", ["query_name"] = HostileBroker.ScriptQueryName, ["target_name"] = "x", ["visibility"] = "Shared" });

        HostileBroker.AssertInert("the created-targets page", createdHtml);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", createdHtml, StringComparison.Ordinal);
        var pages = new Dictionary<string, string>
        {
            [$"/alerts/run/{gaiaRun}/"] = "&lt;img src=x onerror=alert(2)&gt;",
            [$"/alerts/run/{gaiaRun}/?sort=name&dir=desc"] = "&lt;script&gt;alert(1)&lt;/script&gt;",
            ["/targets/"] = "&lt;script&gt;alert(1)&lt;/script&gt;",
            ["/targets/?name=script"] = "&lt;script&gt;alert(1)&lt;/script&gt;",
            [$"/targets/{target.Id}/"] = "AT&lt;script&gt;alert(4)&lt;/script&gt;",
            [$"/targets/{target.Id}/delete/"] = "&lt;script&gt;alert(1)&lt;/script&gt;",
            [$"/targets/{target.Id}/photometry/"] = "&lt;script&gt;alert(1)&lt;/script&gt;",
            [$"/alerts/run/{alerceRun}/"] = "&lt;script src=//evil.example/x.js",
            [$"/alerts/query/{alerceQuery}/runs/"] = "&lt;script src=//evil.example/x.js",
            [$"/alerts/run/{lasairRun}/"] = "No objects found with conditions: &lt;script&gt;alert(1)&lt;/script&gt;",
            ["/brokers/"] = "&lt;script src=//evil.example/x.js",
            ["/alerts/query/list/"] = "&lt;script&gt;alert(7)&lt;/script&gt; query",
        };
        foreach (var (url, encoded) in pages)
        {
            var (status, html) = await user.Page.GetAsync(url);

            Assert.Equal(HttpStatusCode.OK, status);
            HostileBroker.AssertInert(url, html);
            Assert.True(html.Contains(encoded, StringComparison.Ordinal), $"{url} does not show {encoded}:\n{html[html.IndexOf("<main", StringComparison.Ordinal)..]}");
        }
        var (_, detail) = await user.Page.GetAsync($"/targets/{target.Id}/");
        Assert.Contains("&quot;&gt;&lt;svg onload=alert(3)&gt;", detail, StringComparison.Ordinal); // the comment extra
    }
}
