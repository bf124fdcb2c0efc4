using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Targets;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Upstream;

/// <summary>From a target page to TNS (an AT report) and Hermes (a message), against loopback fakes of both.</summary>
public sealed partial class TargetSubmissionTests : AppTest
{
    private readonly ConcurrentQueue<string> _reports = new();
    private readonly ConcurrentQueue<JsonObject> _messages = new();

    protected override void Arrange()
    {
        Factory.Brokers.MapTns().MapTnsReports(_reports).MapHermesSubmit(_messages);
    }

    private async Task<int> TargetAsync() => await Factory.WithDbAsync(async db =>
    {
        var target = new Target { Name = "ZTF23abtfusv", NormalizedName = "ztf23abtfusv", Created = DateTime.UtcNow, Modified = DateTime.UtcNow };
        target.SetPosition(150.3158, 2.2095);
        Photometry Point(DateTime at, string band, double? mag, double? limit) => new()
        {
            Source = "ALeRCE", SourceLocation = "ZTF23abtfusv", Timestamp = at, Bandpass = band, Magnitude = mag, MagnitudeError = mag is null ? null : 0.05,
            Limit = limit, Kind = mag is null ? PhotometryKind.Limit : PhotometryKind.Detection, Survey = "ZTF",
        };
        target.Photometry.Add(Point(new DateTime(2023, 10, 20, 5, 30, 0, DateTimeKind.Utc), "r", null, 20.6));
        target.Photometry.Add(Point(new DateTime(2023, 10, 22, 4, 25, 43, DateTimeKind.Utc), "g", 19.12, null));
        db.Targets.Add(target);
        await db.SaveChangesAsync();
        await db.ShareWithTeamAsync();
        return target.Id;
    });

    private static Dictionary<string, string> TnsReport(int id) => new()
    {
        ["target"] = id.ToString(), ["redirect_url"] = $"/targets/{id}/",
        ["ra"] = "10:01:15.79", ["dec"] = "+02:12:33.9", ["internal_name"] = "ZTF23abtfusv", ["at_type"] = "1",
        ["discovery_datetime"] = "2023-10-22 04:25:43", ["discovery_mag"] = "19.12", ["discovery_mag_error"] = "0.05",
        ["filterid"] = "110", ["instrumentid"] = "196", ["nondetection_datetime"] = "2023-10-20 05:30:00", ["nondetection_limit"] = "20.6",
        ["nondetection_filterid"] = "111", ["archival_remarks"] = "", ["reporter"] = "A. Observer (Example Univ.)",
        ["reporting_groupid"] = "200", ["data_source_groupid"] = "200", ["proprietary_period_value"] = "0", ["proprietary_period_units"] = "years", ["remarks"] = "",
    };

    [Fact]
    public async Task SubmitMenu_ListsOnlyTheBrokersThatTakeSubmissions()
    {
        var user = await Factory.LoginAsync();
        var id = await TargetAsync();

        var (_, page) = await user.Page.GetAsync($"/targets/{id}/");

        Assert.Equal(["Hermes", "TNS"], SubmitLinks().Matches(page).Select(m => m.Groups[1].Value).Order());
    }

    [Fact]
    public async Task TnsReport_FromTheTargetPage_KeepsTheReportIdAndTheNameBecomesAnAlias()
    {
        var user = await Factory.LoginAsync();
        var id = await TargetAsync();

        var (status, form) = await user.Page.GetAsync($"/alerts/TNS/submit/?target={id}");
        using var response = await user.Page.PostFormAsync($"/alerts/TNS/submit/?target={id}", "/alerts/TNS/submit/", TnsReport(id));
        var (_, page) = await user.Page.GetAsync(response.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("value=\"2023-10-22 04:25:43\"", form, StringComparison.Ordinal);
        Assert.Contains("value=\"2023-10-20 05:30:00\"", form, StringComparison.Ordinal);
        Assert.Contains("<option value=\"110\" selected=\"selected\">g-ZTF</option>", form, StringComparison.Ordinal);
        Assert.Contains("<option value=\"200\" selected=\"selected\">TomAlerts Test Group</option>", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/targets/{id}/", response.Headers.Location!.OriginalString);
        var report = JsonNode.Parse(Assert.Single(_reports))!["at_report"]!["0"]!;
        Assert.Equal(150.315792, double.Parse(report["ra"]!["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), 6);
        Assert.Contains("submitted to TNS (98765)", page, StringComparison.Ordinal);
        Assert.Contains("TNS processed AT report 98765: AT 2026xyz.", page, StringComparison.Ordinal);
        var target = await Factory.WithDbAsync(db => db.Targets.Include(t => t.Aliases).AsNoTracking().SingleAsync(t => t.Id == id));
        // The name TNS gave is the target's name now (Targets:RenameToTnsName); its other form is an alias.
        Assert.Equal("AT 2026xyz", target.Name);
        Assert.Contains(target.Aliases, a => a.Name == "2026xyz" && a.Survey == "TNS");
        Assert.Contains(target.Aliases, a => a.Name == "ZTF23abtfusv" && a.Survey == "ZTF");
    }

    [Fact]
    public async Task TnsReport_NotProcessedYet_IsAskedAgainFromTheTargetPageUntilTnsNamesIt()
    {
        var user = await Factory.LoginAsync();
        var id = await TargetAsync();
        await Factory.WithDbAsync(async db =>
        {
            db.TargetProvenance.Add(new TargetProvenance
            {
                TargetId = id, Broker = "TNS", AlertId = "98765", Action = "submitted, pending", At = DateTime.UtcNow,
                Note = "TNS received AT report 98765 but had not processed it after 10 tries.",
            });
            await db.SaveChangesAsync();
            return 0;
        });
        var check = new Dictionary<string, string> { ["target"] = id.ToString(), ["reference"] = "98765" };

        var (_, before) = await user.Page.GetAsync($"/targets/{id}/");
        using var first = await user.Page.PostFormAsync($"/targets/{id}/", "/alerts/TNS/submit/check/", check);
        var (_, stillPending) = await user.Page.GetAsync(first.Headers.Location!.OriginalString);
        using var second = await user.Page.PostFormAsync($"/targets/{id}/", "/alerts/TNS/submit/check/", check);
        var (_, named) = await user.Page.GetAsync(second.Headers.Location!.OriginalString);
        using var unknown = await user.Page.PostFormAsync($"/targets/{id}/", "/alerts/TNS/submit/check/",
            new Dictionary<string, string> { ["target"] = id.ToString(), ["reference"] = "11111" });

        Assert.Contains("Ask TNS again", before, StringComparison.Ordinal);
        Assert.Contains("has not processed it yet. Ask again later.", stillPending, StringComparison.Ordinal);
        Assert.Contains("TNS processed AT report 98765: AT 2026xyz.", named, StringComparison.Ordinal);
        Assert.DoesNotContain("Ask TNS again", named, StringComparison.Ordinal);
        var target = await Factory.WithDbAsync(db => db.Targets.Include(t => t.Aliases).AsNoTracking().SingleAsync(t => t.Id == id));
        Assert.Equal("AT 2026xyz", target.Name);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task TnsReport_BadInput_StaysOnTheFormWithMessagesBesideTheFields()
    {
        var user = await Factory.LoginAsync();
        var id = await TargetAsync();
        var fields = TnsReport(id);
        fields["discovery_mag"] = "bright";
        fields["nondetection_datetime"] = "2023-10-23 00:00:00";

        using var response = await user.Page.PostFormAsync($"/alerts/TNS/submit/?target={id}", "/alerts/TNS/submit/", fields);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("<div class=\"invalid-feedback d-block\" data-field=\"discovery_mag\">Enter a number.</div>", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"nondetection_datetime\">The last non-detection must be before the discovery.</div>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"bright\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"A. Observer (Example Univ.)\"", html, StringComparison.Ordinal);
        Assert.Empty(_reports);
    }

    [Fact]
    public async Task HermesMessage_FromTheTargetPage_KeepsItsUuidOnTheHistory()
    {
        var user = await Factory.LoginAsync();
        var id = await TargetAsync();

        var (_, form) = await user.Page.GetAsync($"/alerts/Hermes/submit/?target={id}");
        using var response = await user.Page.PostFormAsync($"/alerts/Hermes/submit/?target={id}", "/alerts/Hermes/submit/", new()
        {
            ["target"] = id.ToString(), ["redirect_url"] = $"/targets/{id}/", ["topic"] = "hermes.test", ["title"] = "Photometry of ZTF23abtfusv",
            ["submitter"] = "TomAlerts portal", ["authors"] = "", ["message_text"] = "Rising.", ["photometry"] = "detections:g",
        });
        var (_, page) = await user.Page.GetAsync(response.Headers.Location!.OriginalString);

        Assert.Contains("<option value=\"hermes.test\" selected=\"selected\">hermes.test</option>", form, StringComparison.Ordinal);
        Assert.Contains("value=\"Photometry of ZTF23abtfusv\"", form, StringComparison.Ordinal);
        var message = Assert.Single(_messages);
        Assert.Equal("ZTF23abtfusv", message["data"]!["targets"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(19.12, Assert.Single(message["data"]!["photometry"]!.AsArray())!["brightness"]!.GetValue<double>());
        Assert.Contains("submitted to Hermes (c7e90a44-1f2b-4c3d-8e5f-9a0b1c2d3e4f)", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HermesMessage_MissingTitle_Is422BesideTheField()
    {
        var user = await Factory.LoginAsync();
        var id = await TargetAsync();

        using var response = await user.Page.PostFormAsync($"/alerts/Hermes/submit/?target={id}", "/alerts/Hermes/submit/", new()
        {
            ["target"] = id.ToString(), ["topic"] = "hermes.test", ["title"] = "", ["submitter"] = "TomAlerts portal", ["photometry"] = "all",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("data-field=\"title\">This field is required.</div>", html, StringComparison.Ordinal);
        Assert.Empty(_messages);
    }

    [GeneratedRegex("href=\"/alerts/([^/\"]+)/submit/\\?target=")]
    private static partial Regex SubmitLinks();
}
