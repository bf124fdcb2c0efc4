using System.Net;
using System.Text.Json.Nodes;
using TomAlerts.Brokers.Hermes;
using TomAlerts.Brokers.Tests.Tns;

namespace TomAlerts.Brokers.Tests.Hermes;

public class HermesSubmissionTests
{
    private static readonly Dictionary<string, string?> Configured = new() { ["api_key"] = "hermes-token-123" };

    private readonly FakeBrokerHttp _http = new();

    private HermesBroker Broker(Dictionary<string, string?>? settings = null) => _http.Broker<HermesBroker>(settings ?? Configured);

    private static JsonObject Parameters(string photometry = HermesBroker.AllPhotometry) => new()
    {
        ["topic"] = "hermes.test", ["title"] = "Photometry of ZTF23abtfusv", ["submitter"] = "TomAlerts portal",
        ["authors"] = "A. Observer", ["message_text"] = "Rising.", ["photometry"] = photometry,
    };

    [Fact]
    public async Task Submit_PostsTheTargetAndItsPhotometryWithTheToken()
    {
        _http.On("submit_message/", HttpStatusCode.OK, Fixtures.Read("hermes/submit_message_response.json"));

        var result = await Broker().SubmitAsync(TnsReportTests.Subject(), Parameters(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Message);
        var uuid = JsonNode.Parse(Fixtures.Read("hermes/submit_message_response.json"))!["uuid"]!.GetValue<string>();
        Assert.Equal(uuid, result.Reference);
        var request = _http.Requests.Single();
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://hermes.lco.global/api/v0/submit_message/", request.Uri.ToString());
        Assert.Equal("Token hermes-token-123", request.Headers["Authorization"]);
        var body = JsonNode.Parse(request.Body!)!;
        Assert.Equal("hermes.test", body["topic"]!.GetValue<string>());
        Assert.Equal("TomAlerts portal", body["submitter"]!.GetValue<string>());
        Assert.False(body["submit_to_tns"]!.GetValue<bool>());
        var target = body["data"]!["targets"]![0]!;
        Assert.Equal("""{"name":"ZTF23abtfusv","ra":150.3158,"dec":2.2095,"aliases":["2023vjq"]}""", target.ToJsonString());
        var photometry = body["data"]!["photometry"]!.AsArray();
        Assert.Equal(4, photometry.Count);
        Assert.Equal("""{"target_name":"ZTF23abtfusv","date_obs":"2023-10-20T05:30:00.000","telescope":"ZTF","bandpass":"r","limiting_brightness":20.6,"limiting_brightness_unit":"AB mag"}""",
            photometry[1]!.ToJsonString());
        Assert.Equal("""{"target_name":"ZTF23abtfusv","date_obs":"2023-10-22T04:25:43.000","telescope":"ZTF","bandpass":"g","brightness":19.12,"brightness_error":0.05,"brightness_unit":"AB mag"}""",
            photometry[2]!.ToJsonString());
    }

    [Fact]
    public async Task Submit_DetectionsOfOneBand_SendsOnlyThose()
    {
        _http.On("submit_message/", HttpStatusCode.OK, Fixtures.Read("hermes/submit_message_response.json"));

        await Broker().SubmitAsync(TnsReportTests.Subject(), Parameters("detections:r"), CancellationToken.None);

        var photometry = JsonNode.Parse(_http.Requests.Single().Body!)!["data"]!["photometry"]!.AsArray();
        Assert.Equal(18.7, Assert.Single(photometry)!["brightness"]!.GetValue<double>());
    }

    [Fact]
    public async Task Submit_400_ListsTheFieldErrorsReadably()
    {
        _http.On("submit_message/", HttpStatusCode.BadRequest, Fixtures.Read("hermes/submit_message_error_400.json"));

        var result = await Broker().SubmitAsync(TnsReportTests.Subject(), Parameters(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal("Hermes refused the message: data.photometry[0].brightness_unit: \"nJy\" is not a valid choice.; "
            + "data.photometry[1].telescope: Must have at least one of telescope or instrument set; "
            + "data.photometry[1].instrument: Must have at least one of telescope or instrument set", result.Message);
    }

    [Fact]
    public async Task Submit_200WithoutScimmaCredential_IsARefusal()
    {
        _http.On("submit_message/", HttpStatusCode.OK, Fixtures.Read("hermes/submit_message_no_scimma_credential_200.json"));

        var result = await Broker().SubmitAsync(TnsReportTests.Subject(), Parameters(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Null(result.Reference);
        Assert.Equal("Hermes refused the message: User account does not have an associated SCIMMA auth credential. Please logout and log back in.", result.Message);
    }

    [Fact]
    public async Task Form_WithoutToken_SaysWhatIsMissingAndSendingThrows()
    {
        var broker = Broker(new());

        var form = await broker.GetSubmissionFormAsync(TnsReportTests.Subject(), CancellationToken.None);

        Assert.Contains("BROKERS:HERMES:api_key", form.Notice, StringComparison.Ordinal);
        Assert.Equal(["all", "detections:g", "detections:r", "none"], form.Field("photometry")!.Choices.Select(c => c.Value));
        await Assert.ThrowsAsync<BrokerNotConfiguredException>(() => broker.SubmitAsync(TnsReportTests.Subject(), Parameters(), CancellationToken.None));
    }

    [Fact]
    public async Task Form_TopicsAreTheProfilesWritableTopics()
    {
        _http.On("profile/", HttpStatusCode.OK, """{"api_token": "hermes-token-123", "writable_topics": ["hermes.test", "tomtoolkit.test"]}""");

        var form = await Broker().GetSubmissionFormAsync(TnsReportTests.Subject(), CancellationToken.None);

        Assert.Equal(["hermes.test", "tomtoolkit.test"], form.Field("topic")!.Choices.Select(c => c.Value));
    }
}
