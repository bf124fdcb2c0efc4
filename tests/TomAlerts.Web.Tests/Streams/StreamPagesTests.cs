using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Streams;

public class StreamPagesTests(TomAlertsFactory factory) : IClassFixture<TomAlertsFactory>
{
    private static string Unique(string name) => $"{name} {Guid.NewGuid():N}"[..(name.Length + 9)];

    [Fact]
    public async Task Choose_EachSourceSaysConfiguredOrWhatItNeeds()
    {
        var user = await factory.LoginAsync();

        var (status, html) = await user.Page.GetAsync("/streams/create/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-source=\"Lasair\"", html, StringComparison.Ordinal);
        Assert.Contains("configured", html, StringComparison.Ordinal);
        Assert.Contains("needs an ANTARES stream key and secret", html, StringComparison.Ordinal);
        Assert.Contains("needs an OIDC client id and secret", html, StringComparison.Ordinal);
        Assert.Contains("gcn.notices.einstein_probe.wxt.alert", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ViaTheForm_ListShowsItWithItsTopicsAndStatus()
    {
        var user = await factory.LoginAsync();
        var name = Unique("Form stream");
        var (formStatus, form) = await user.Page.GetAsync("/streams/create/?source=Lasair");
        Assert.Equal(HttpStatusCode.OK, formStatus);
        Assert.Contains("lasair_&lt;userId&gt;&lt;filter name&gt;", form, StringComparison.Ordinal);

        using var response = await user.Page.PostFormAsync("/streams/create/?source=Lasair", "/streams/create/", new()
        {
            ["source"] = "Lasair", ["name"] = name, ["topics"] = "lasair_12sn_like\nlasair_12fast_risers\n", ["visibility"] = "Shared", ["start"] = "true",
        });
        var (_, list) = await user.Page.GetAsync("/streams/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(name, list, StringComparison.Ordinal);
        Assert.Contains("lasair_12fast_risers", list, StringComparison.Ordinal);
        Assert.Contains("data-state=\"starting\"", list, StringComparison.Ordinal);
        Assert.Contains("stream-stop", list, StringComparison.Ordinal);
        Assert.Contains("id=\"nav-streams\"", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_BadInput_MessagesBesideFieldsAndEnteredValuesKept()
    {
        var user = await factory.LoginAsync();

        using var response = await user.Page.PostFormAsync("/streams/create/?source=Fink", "/streams/create/", new()
        {
            ["source"] = "Fink", ["name"] = "", ["topics"] = "fink_early_sn_candidates_ztf\nno spaces allowed", ["webhookUrl"] = "https://example.org/hook",
            ["autoCreateTargets"] = "true",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("data-field=\"name\">Give the subscription a name.", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"topics\">&quot;no spaces allowed&quot; is not a Kafka topic name", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"webhookSecret\"", html, StringComparison.Ordinal);
        Assert.Matches("fink_early_sn_candidates_ztf(\n|&#xA;)no spaces allowed</textarea>", html);
        Assert.Contains("value=\"https://example.org/hook\"", html, StringComparison.Ordinal);
        Assert.Matches("id=\"field-autoCreateTargets\"[^>]*checked", html);
    }

    [Fact]
    public async Task Details_StartStopAndDelete_FromThePages()
    {
        var user = await factory.LoginAsync();
        var name = Unique("Page stream");
        using (await user.Page.PostFormAsync("/streams/create/?source=Antares", "/streams/create/", new()
        {
            ["source"] = "Antares", ["name"] = name, ["topics"] = "lsst_scimma_quality_transient",
        }))
        {
        }
        var id = await factory.WithDbAsync(db => db.StreamSubscriptions.Where(s => s.Name == name).Select(s => s.Id).SingleAsync());

        using var started = await user.Page.PostFormAsync($"/streams/{id}/", $"/streams/{id}/start/", new() { ["back"] = $"/streams/{id}/" });
        var (_, details) = await user.Page.GetAsync($"/streams/{id}/");
        using var deleted = await user.Page.PostFormAsync($"/streams/{id}/delete/", $"/streams/{id}/delete/", []);

        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.Contains("data-state=\"failing\"", details, StringComparison.Ordinal);
        Assert.Contains("ANTARES stream key and secret", details, StringComparison.Ordinal);
        Assert.Contains("Dead letters (0)", details, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.StreamSubscriptions.AnyAsync(s => s.Id == id)));
    }

    [Fact]
    public async Task LiveRun_EndpointGivesTheAlertsAfterAPosition_AndThePageSaysWhatItListensTo()
    {
        var user = await factory.LoginAsync();
        var name = Unique("Live stream");
        using (await user.Page.PostFormAsync("/streams/create/?source=Lasair", "/streams/create/", new()
        {
            ["source"] = "Lasair", ["name"] = name, ["topics"] = "lasair_3live",
        }))
        {
        }
        var runId = await factory.WithDbAsync(async db =>
        {
            var s = await db.StreamSubscriptions.SingleAsync(x => x.Name == name);
            var run = new QueryRun { BrokerQueryId = s.BrokerQueryId, Status = RunStatus.Running, Created = DateTime.UtcNow, Started = DateTime.UtcNow };
            db.QueryRuns.Add(run);
            await db.SaveChangesAsync();
            for (var position = 0; position < 5; position++)
            {
                db.RunAlerts.Add(new RunAlert { QueryRunId = run.Id, Position = position, AlertId = $"ZTF26live{position}", Name = $"ZTF26live{position}", Payload = "{}", Ra = 10 + position, Dec = -5 });
            }
            run.AlertCount = 5;
            s.CurrentRunId = run.Id;
            s.MessagesConsumed = 7;
            s.LastMessageAt = new DateTime(2026, 3, 2, 4, 5, 6, DateTimeKind.Utc);
            await db.SaveChangesAsync();
            return run.Id;
        });

        var live = JsonDocument.Parse(await user.Page.Client.GetStringAsync($"/alerts/run/{runId}/live?after=2")).RootElement;
        var (_, page) = await user.Page.GetAsync($"/alerts/run/{runId}/");

        Assert.Equal(["ZTF26live3", "ZTF26live4"], live.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("alertId").GetString()));
        Assert.Equal(4, live.GetProperty("alerts")[1].GetProperty("position").GetInt32());
        Assert.Equal(5, live.GetProperty("alertCount").GetInt32());
        Assert.False(live.GetProperty("finished").GetBoolean());
        Assert.Equal("Listening to lasair_3live — 7 messages, last at 2026-03-02 04:05:06 UTC", live.GetProperty("listening").GetString());
        Assert.Contains("Listening to lasair_3live &#x2014; 7 messages, last at 2026-03-02 04:05:06 UTC", page, StringComparison.Ordinal);
        Assert.Contains("data-after=\"4\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"run-status\"", page, StringComparison.Ordinal);
        Assert.Contains("ZTF26live4", page, StringComparison.Ordinal);
    }
}
