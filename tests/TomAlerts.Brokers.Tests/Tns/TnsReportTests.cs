using System.Net;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.Extensions.Caching.Memory;
using TomAlerts.Brokers.Tns;

namespace TomAlerts.Brokers.Tests.Tns;

public class TnsReportTests
{
    private static readonly Dictionary<string, string?> Configured = new()
    {
        ["api_key"] = "tnsSecretApiKey0123456789",
        ["bot_id"] = "12345",
        ["bot_name"] = "tom_bot",
        ["reporter"] = "A. Observer (Example Univ.) on behalf of the test group",
        ["group_name"] = "TomAlerts Test Group",
    };

    private readonly FakeBrokerHttp _http = new();
    private readonly InstantTimeProvider _time = new(new DateTimeOffset(2026, 3, 5, 12, 0, 0, TimeSpan.Zero));
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());

    public static SubmissionSubject Subject() => new(7, "ZTF23abtfusv", ["2023vjq"], 150.3158, 2.2095,
    [
        new PhotometryPoint { Timestamp = new DateTime(2023, 10, 18, 3, 0, 0, DateTimeKind.Utc), Bandpass = "g", Limit = 20.1, Kind = PhotometryKind.Limit, Survey = "ZTF" },
        new PhotometryPoint { Timestamp = new DateTime(2023, 10, 20, 5, 30, 0, DateTimeKind.Utc), Bandpass = "r", Limit = 20.6, Kind = PhotometryKind.Limit, Survey = "ZTF" },
        new PhotometryPoint { Timestamp = new DateTime(2023, 10, 22, 4, 25, 43, DateTimeKind.Utc), Bandpass = "g", Magnitude = 19.12, MagnitudeError = 0.05, Survey = "ZTF" },
        new PhotometryPoint { Timestamp = new DateTime(2023, 10, 25, 4, 0, 0, DateTimeKind.Utc), Bandpass = "r", Magnitude = 18.7, MagnitudeError = 0.04, Survey = "ZTF" },
    ]);

    private TnsBroker Broker(Dictionary<string, string?>? settings = null)
    {
        _http.On("/get/values", HttpStatusCode.OK, Fixtures.Read("tns/get_values.json"));
        return _http.Broker<TnsBroker>(settings ?? Configured, _time, _cache, new RecordingLogger<TnsBroker>());
    }

    private static bool Is(HttpRequestMessage r, string method) => r.RequestUri!.AbsolutePath.EndsWith(method, StringComparison.Ordinal);

    private async Task<(TnsBroker Broker, JsonObject Parameters)> FilledAsync(Dictionary<string, string?>? changes = null)
    {
        var broker = Broker();
        var form = await broker.GetSubmissionFormAsync(Subject(), CancellationToken.None);
        var input = form.InitialValues();
        foreach (var (key, value) in changes ?? [])
        {
            input[key] = value;
        }
        var cleaned = form.CleanFields(input);
        Assert.True(cleaned.IsValid, string.Join("; ", cleaned.Errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        return (broker, cleaned.Parameters);
    }

    [Fact]
    public async Task Form_IsPrefilledFromTheEarliestDetectionTheLimitBeforeItAndTheSettings()
    {
        var form = await Broker().GetSubmissionFormAsync(Subject(), CancellationToken.None);
        var initial = form.InitialValues();

        Assert.Null(form.Notice);
        Assert.Equal("150.3158", initial["ra"]);
        Assert.Equal("2.2095", initial["dec"]);
        Assert.Equal("2023-10-22 04:25:43", initial["discovery_datetime"]);
        Assert.Equal("19.12", initial["discovery_mag"]);
        Assert.Equal("110", initial["filterid"]);
        Assert.Equal("196", initial["instrumentid"]);
        Assert.Equal("2023-10-20 05:30:00", initial["nondetection_datetime"]);
        Assert.Equal("20.6", initial["nondetection_limit"]);
        Assert.Equal("111", initial["nondetection_filterid"]);
        Assert.Equal("200", initial["reporting_groupid"]);
        Assert.Equal("A. Observer (Example Univ.) on behalf of the test group", initial["reporter"]);
        Assert.Contains(form.Field("instrumentid")!.Choices, c => c.Label == "Rubin - LSSTCam");
    }

    [Fact]
    public async Task Form_TnsListsAreAskedOnce_ForEveryFormAndSendAfterIt()
    {
        var (broker, parameters) = await FilledAsync();
        _http.On(r => Is(r, "/set/bulk-report"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("tns/bulk_report_received.json")));
        _http.On(r => Is(r, "/get/bulk-report-reply"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("tns/bulk_report_reply_new_object.json")));

        await broker.GetSubmissionFormAsync(Subject(), CancellationToken.None);
        await Broker().GetSubmissionFormAsync(Subject(), CancellationToken.None);
        await broker.SubmitAsync(Subject(), parameters, CancellationToken.None);

        Assert.Single(_http.Requests, r => r.Uri.AbsolutePath.EndsWith("/get/values", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Form_WithoutTnsLists_AsksForIdsWithANotice()
    {
        var broker = _http.On("/get/values", HttpStatusCode.ServiceUnavailable, "down").Broker<TnsBroker>(Configured, _time, _cache, new RecordingLogger<TnsBroker>());

        var form = await broker.GetSubmissionFormAsync(Subject(), CancellationToken.None);

        Assert.NotNull(form.Notice);
        Assert.Equal(FieldKind.Integer, form.Field("filterid")!.Kind);
        Assert.Equal("110", form.InitialValues()["filterid"]);
    }

    [Theory]
    [InlineData("2023-10-23 00:00:00", "The last non-detection must be before the discovery.")]
    [InlineData("yesterday", "Enter a UTC date and time as yyyy-MM-dd HH:mm:ss.")]
    public async Task Form_BadNonDetection_IsAnErrorBesideTheField(string date, string message)
    {
        var form = await Broker().GetSubmissionFormAsync(Subject(), CancellationToken.None);
        var input = form.InitialValues();
        input["nondetection_datetime"] = date;

        var cleaned = form.CleanFields(input);

        Assert.Equal([message], cleaned.Errors.For("nondetection_datetime"));
    }

    [Fact]
    public async Task Form_NoNonDetectionNorArchivalRemarks_IsRefused()
    {
        var form = await Broker().GetSubmissionFormAsync(Subject() with { Photometry = [Subject().Photometry[2]] }, CancellationToken.None);

        var cleaned = form.CleanFields(form.InitialValues());

        Assert.Contains("TNS needs the last non-detection (date and limit) or archival remarks.", cleaned.Errors.For("nondetection_datetime"));
    }

    [Fact]
    public async Task Submit_SendsTheAtReportAndPollsTheReplyForTheName()
    {
        var (broker, parameters) = await FilledAsync();
        _http.On(r => Is(r, "/set/bulk-report"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("tns/bulk_report_received.json")));
        var polls = 0;
        _http.On(r => Is(r, "/get/bulk-report-reply"), _ => ++polls < 3
            ? FakeBrokerHttp.Respond(HttpStatusCode.NotFound, Fixtures.Read("tns/bulk_report_reply_not_processed.json"))
            : FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("tns/bulk_report_reply_new_object.json")));

        var result = await broker.SubmitAsync(Subject(), parameters, CancellationToken.None);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal("98765", result.Reference);
        Assert.Equal(["AT 2026xyz", "2026xyz"], result.Names);
        Assert.Equal("TNS processed AT report 98765: AT 2026xyz.", result.Message);
        Assert.Equal([TnsBroker.ReplyInterval, TnsBroker.ReplyInterval], _time.Delays);

        var sent = _http.Requests.Single(r => r.Uri.AbsolutePath.EndsWith("/set/bulk-report", StringComparison.Ordinal));
        Assert.StartsWith("tns_marker{\"tns_id\": 12345", sent.Headers["User-Agent"], StringComparison.Ordinal);
        var form = HttpUtility.ParseQueryString(sent.Body!);
        Assert.Equal("tnsSecretApiKey0123456789", form["api_key"]);
        var report = JsonNode.Parse(form["data"]!)!["at_report"]!["0"]!;
        Assert.Equal("150.3158", report["ra"]!["value"]!.GetValue<string>());
        Assert.Equal("2.2095", report["dec"]!["value"]!.GetValue<string>());
        Assert.Equal("200", report["reporting_groupid"]!.GetValue<string>());
        Assert.Equal("200", report["data_source_groupid"]!.GetValue<string>());
        Assert.Equal("2023-10-22 04:25:43", report["discovery_datetime"]!.GetValue<string>());
        Assert.Equal("1", report["at_type"]!.GetValue<string>());
        Assert.Equal("ZTF23abtfusv", report["internal_name"]!.GetValue<string>());
        Assert.Equal("0", report["proprietary_period"]!["proprietary_period_value"]!.GetValue<string>());
        Assert.Equal("years", report["proprietary_period"]!["proprietary_period_units"]!.GetValue<string>());
        var point = report["photometry"]!["photometry_group"]!["0"]!;
        Assert.Equal("19.12", point["flux"]!.GetValue<string>());
        Assert.Equal("0.05", point["flux_error"]!.GetValue<string>());
        Assert.Equal("1", point["flux_unitid"]!.GetValue<string>());
        Assert.Equal("110", point["filterid"]!.GetValue<string>());
        Assert.Equal("196", point["instrumentid"]!.GetValue<string>());
        var limit = report["non_detection"]!;
        Assert.Equal("2023-10-20 05:30:00", limit["obsdate"]!.GetValue<string>());
        Assert.Equal("20.6", limit["limiting_flux"]!.GetValue<string>());
        Assert.Equal("111", limit["filterid"]!.GetValue<string>());

        var poll = HttpUtility.ParseQueryString(_http.Requests.Last().Body!);
        Assert.Equal("98765", poll["report_id"]);
    }

    [Fact]
    public async Task Submit_ArchivalRemarksInsteadOfALimit_SendsAnArchivalNonDetection()
    {
        var (broker, parameters) = await FilledAsync(new() { ["nondetection_datetime"] = "", ["nondetection_limit"] = "", ["archival_remarks"] = "Not covered before." });
        _http.On(r => Is(r, "/set/bulk-report"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("tns/bulk_report_received.json")));
        _http.On(r => Is(r, "/get/bulk-report-reply"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("tns/bulk_report_reply_new_object.json")));

        await broker.SubmitAsync(Subject(), parameters, CancellationToken.None);

        var sent = _http.Requests.Single(r => r.Uri.AbsolutePath.EndsWith("/set/bulk-report", StringComparison.Ordinal));
        var limit = JsonNode.Parse(HttpUtility.ParseQueryString(sent.Body!)["data"]!)!["at_report"]!["0"]!["non_detection"]!;
        Assert.Equal("""{"archiveid":"0","archival_remarks":"Not covered before."}""", limit.ToJsonString());
    }

    [Fact]
    public async Task Submit_Rejected_GivesTnsFieldMessages()
    {
        var (broker, parameters) = await FilledAsync();
        _http.On(r => Is(r, "/set/bulk-report"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("tns/bulk_report_received.json")));
        _http.On(r => Is(r, "/get/bulk-report-reply"), _ => FakeBrokerHttp.Respond(HttpStatusCode.BadRequest, Fixtures.Read("tns/bulk_report_reply_rejected.json")));

        var result = await broker.SubmitAsync(Subject(), parameters, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal("98765", result.Reference);
        Assert.Equal("TNS rejected AT report 98765: non_detection: Last non-detection must precede the discovery.; reporting_groupid: Required field.", result.Message);
    }

    [Fact]
    public async Task Submit_NeverProcessed_StopsAfterTheBoundAndKeepsTheReportId()
    {
        var (broker, parameters) = await FilledAsync();
        _http.On(r => Is(r, "/set/bulk-report"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("tns/bulk_report_received.json")));
        _http.On(r => Is(r, "/get/bulk-report-reply"), _ => FakeBrokerHttp.Respond(HttpStatusCode.NotFound, Fixtures.Read("tns/bulk_report_reply_not_processed.json")));

        var result = await broker.SubmitAsync(Subject(), parameters, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.True(result.Pending);
        Assert.Equal("98765", result.Reference);
        Assert.Empty(result.Names);
        Assert.Equal(TnsBroker.ReplyAttempts, _http.Requests.Count(r => r.Uri.AbsolutePath.EndsWith("/get/bulk-report-reply", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CheckSubmission_AsksTheReplyOnce_PendingUntilTnsProcessedTheReport()
    {
        var broker = Broker();
        var processed = false;
        _http.On(r => Is(r, "/get/bulk-report-reply"), _ => processed
            ? FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("tns/bulk_report_reply_new_object.json"))
            : FakeBrokerHttp.Respond(HttpStatusCode.NotFound, Fixtures.Read("tns/bulk_report_reply_not_processed.json")));

        var before = await broker.CheckSubmissionAsync("98765", CancellationToken.None);
        processed = true;
        var after = await broker.CheckSubmissionAsync("98765", CancellationToken.None);

        Assert.True(before.Pending);
        Assert.Empty(before.Names);
        Assert.False(after.Pending);
        Assert.Equal("TNS processed AT report 98765: AT 2026xyz.", after.Message);
        Assert.Contains("AT 2026xyz", after.Names);
        Assert.Equal(2, _http.Requests.Count(r => r.Uri.AbsolutePath.EndsWith("/get/bulk-report-reply", StringComparison.Ordinal)));
        Assert.All(_http.Requests.Where(r => r.Uri.AbsolutePath.EndsWith("/get/bulk-report-reply", StringComparison.Ordinal)),
            r => Assert.Contains("report_id=98765", r.Body ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submit_BadKey_IsTnsErrorInItsWords()
    {
        var (broker, parameters) = await FilledAsync();
        _http.On(r => Is(r, "/set/bulk-report"), _ => FakeBrokerHttp.Respond(HttpStatusCode.Unauthorized, Fixtures.Read("tns/error_401_unauthorized.json")));

        var error = await Assert.ThrowsAsync<BrokerHttpException>(() => broker.SubmitAsync(Subject(), parameters, CancellationToken.None));

        Assert.StartsWith("TNS answered 401", error.TechnicalDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_WithoutTheBot_SaysWhatIsMissing()
    {
        var (_, parameters) = await FilledAsync();
        var broker = Broker(new() { ["group_name"] = "200" });

        var error = await Assert.ThrowsAsync<BrokerNotConfiguredException>(() => broker.SubmitAsync(Subject(), parameters, CancellationToken.None));

        Assert.StartsWith("TNS is not configured: BROKERS:TNS:api_key, BROKERS:TNS:bot_id, BROKERS:TNS:bot_name are missing", error.Message, StringComparison.Ordinal);
    }
}
