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

        Assert.Equal("Reader sent a response that is not JSON: (300 bytes of binary data)", error.Message);
    }

    [Fact]
    public async Task GetJson_HtmlPage_QuotesItsTextWithoutTags()
    {
        _fake.On("objects", HttpStatusCode.OK, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");

        var error = await Assert.ThrowsAsync<BrokerException>(() => Broker().JsonAsync("objects"));

        Assert.Equal("Reader sent a response that is not JSON: 502 Bad Gateway", error.Message);
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
        Assert.Equal("Reader answered 404 Not Found: Object not found.", error.Message);
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

        Assert.Equal("Could not reach Reader: Connection refused (reader.test:443)", error.Message);
    }
}
