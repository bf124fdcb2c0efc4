using System.Net;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Tests;

/// <summary>The HTTP reading every broker shares through <see cref="BrokerBase"/>, seen from a broker that only reads.</summary>
public sealed class BrokerHttpTests : IDisposable
{
    private readonly FakeBrokerHttp _fake = new();

    public void Dispose() => _fake.Dispose();

    [Broker("Reader", DefaultBaseUrl = "https://reader.test/api")]
    private sealed class ReadingBroker(HttpClient http, BrokerSettings settings) : BrokerBase(http, settings)
    {
        public Task<JsonNode?> JsonAsync(string url) => GetJsonAsync(url, CancellationToken.None);

        public Task<string> TextAsync(string url) => GetTextAsync(url, CancellationToken.None);

        public override Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken) => Task.FromResult(new BrokerForm());

        public override IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback, CancellationToken cancellationToken) =>
            NoAlerts(cancellationToken);

        public override GenericAlert ToGenericAlert(JsonObject alert) => new() { Id = "", Name = "" };
    }

    private ReadingBroker Broker() => _fake.Broker<ReadingBroker>();

    [Fact]
    public async Task GetJson_BinaryBody_SaysSoInsteadOfQuotingTheBytes()
    {
        var garbage = new string(Enumerable.Range(0, 300).Select(i => (char)(i % 7 == 0 ? '\uFFFD' : i % 5 == 0 ? '\u0001' : 'x')).ToArray());
        _fake.On("objects", HttpStatusCode.OK, garbage, "application/octet-stream");

        var error = await Assert.ThrowsAsync<BrokerException>(() => Broker().JsonAsync("objects"));

        Assert.Equal("Reader sent a response that is not JSON: (300 bytes of binary data)", error.TechnicalDetail);
    }

    [Fact]
    public async Task GetJson_HtmlPage_QuotesItsTextWithoutTags()
    {
        _fake.On("objects", HttpStatusCode.OK, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");

        var error = await Assert.ThrowsAsync<BrokerException>(() => Broker().JsonAsync("objects"));

        Assert.Equal("Reader sent a response that is not JSON: 502 Bad Gateway", error.TechnicalDetail);
    }

    [Fact]
    public async Task GetJson_Success_ReadsTheBodyAskingForJsonAtTheBrokersAddress()
    {
        _fake.On("objects", HttpStatusCode.OK, """{"items": [1, 2]}""");

        var json = await Broker().JsonAsync("objects?page=2");

        Assert.Equal(2, json!["items"]!.AsArray().Count);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal("https://reader.test/api/objects?page=2", request.Uri.AbsoluteUri);
        Assert.Equal("application/json", request.Headers["Accept"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetJsonOrText_ErrorStatus_IsATypedErrorInTheBrokersWords(bool json)
    {
        _fake.On("objects", HttpStatusCode.NotFound, """{"detail": "Object not found."}""");
        var broker = Broker();

        var error = await Assert.ThrowsAsync<BrokerHttpException>(() => json ? broker.JsonAsync("objects/x") : (Task)broker.TextAsync("objects/x"));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Equal("Reader answered 404 Not Found: Object not found.", error.TechnicalDetail);
    }

    [Fact]
    public async Task GetText_Success_GivesTheBodyAsSent()
    {
        _fake.On("lightcurve.csv", HttpStatusCode.OK, "#Date,JD(TCB),averagemag\n2023-01-01,1,17.2\n", "text/csv");

        Assert.Equal("#Date,JD(TCB),averagemag\n2023-01-01,1,17.2\n", await Broker().TextAsync("lightcurve.csv"));
    }

    [Fact]
    public async Task GetText_NoConnection_SaysTheBrokerCouldNotBeReached()
    {
        _fake.On(_ => true, _ => throw new HttpRequestException("Connection refused (reader.test:443)"));

        var error = await Assert.ThrowsAsync<BrokerException>(() => Broker().TextAsync("objects"));

        Assert.Equal("Could not reach Reader: Connection refused (reader.test:443)", error.TechnicalDetail);
    }

    [Fact]
    public async Task GetJson_AttemptTimedOut_SaysHowLongItWaitedAndToTryAgainInAFewMinutes()
    {
        _fake.On(_ => true, _ => throw new Polly.Timeout.TimeoutRejectedException(TimeSpan.FromSeconds(12.5)));

        var error = await Assert.ThrowsAsync<BrokerException>(() => Broker().JsonAsync("objects"));

        Assert.Equal("Reader did not answer within 12.5 s; it may be busy. Try again in a few minutes.", error.Message);
        Assert.Contains("no answer within 12.5 s", error.TechnicalDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJson_CircuitOpen_SaysTomAlertsPausedCallsAfterRepeatedFailures()
    {
        _fake.On(_ => true, _ => throw new Polly.CircuitBreaker.BrokenCircuitException());

        var error = await Assert.ThrowsAsync<BrokerException>(() => Broker().JsonAsync("objects"));

        Assert.StartsWith("TomAlerts has paused calls to Reader for a short while after repeated failures", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("failing repeatedly", error.Message, StringComparison.Ordinal);
        Assert.Contains("circuit breaker", error.TechnicalDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJson_RateLimited_SaysWhenItResetsAndKeepsTheBrokersWordsAsDetail()
    {
        _fake.On(_ => true, _ =>
        {
            var response = FakeBrokerHttp.Respond(HttpStatusCode.TooManyRequests, """{"detail": "Request was throttled."}""");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(new DateTimeOffset(2030, 1, 2, 13, 45, 0, TimeSpan.Zero));
            return response;
        });

        var error = await Assert.ThrowsAsync<BrokerRateLimitException>(() => Broker().JsonAsync("objects"));

        Assert.Equal("Reader's request limit is used up; it resets at 13:45 UTC. Try again after that.", error.Message);
        Assert.Equal("Reader answered 429 Too Many Requests: Request was throttled.", error.TechnicalDetail);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task GetJson_KeyRefused_NamesTheSettingAnAdministratorChecks(HttpStatusCode status)
    {
        _fake.On("objects", status, """{"detail": "Invalid token."}""");

        var error = await Assert.ThrowsAsync<BrokerHttpException>(() => Broker().JsonAsync("objects"));

        Assert.Contains("refused this portal's key", error.Message, StringComparison.Ordinal);
        Assert.Contains("an administrator checks the BROKERS:READER:api_key setting", error.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid token.", error.TechnicalDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJson_ServerError_SaysItIsTheBrokersProblemAndUsuallyTemporary()
    {
        _fake.On("objects", HttpStatusCode.BadGateway, "<html><body>Bad Gateway</body></html>", "text/html");

        var error = await Assert.ThrowsAsync<BrokerHttpException>(() => Broker().JsonAsync("objects"));

        Assert.Equal("Reader had a problem of its own (HTTP 502) and could not answer. This is usually temporary; try again in a few minutes.", error.Message);
    }
}
