using System.Net;
using System.Text.Json.Nodes;
using TomAlerts.Brokers.Hermes;

namespace TomAlerts.Brokers.Tests.Hermes;

public class HermesBrokerTests
{
    private const string Token = "h3rm3sT0ken";
    private const string Base = "https://hermes.lco.global/api/v0/";
    private static readonly Dictionary<string, string?> Configured = new() { ["api_key"] = Token };

    private static JsonObject Events(string? eventId = null, string? after = null, string? before = null, int? max = null) => new()
    {
        ["query_kind"] = "events", ["event_id"] = eventId, ["published_after"] = after, ["published_before"] = before,
        ["cone"] = null, ["target_name"] = null, ["max_results"] = max,
    };

    private static JsonObject Messages(string? cone = null, string? eventId = null) => new()
    {
        ["query_kind"] = "messages", ["event_id"] = eventId, ["published_after"] = null, ["published_before"] = null,
        ["cone"] = cone, ["target_name"] = null, ["max_results"] = 100,
    };

    private static async Task<List<JsonObject>> Fetch(IBroker broker, JsonObject parameters, FetchFeedback? feedback = null) =>
        await broker.FetchAlertsAsync(parameters, feedback ?? new FetchFeedback(), CancellationToken.None).ToListAsync();

    private static FormResult Clean(Dictionary<string, string?> input)
    {
        var form = new FakeBrokerHttp().Broker<HermesBroker>(Configured).GetFormAsync(CancellationToken.None).Result;
        input[BrokerForm.QueryNameField] = "q";
        return form.Clean("Hermes", input);
    }

    [Fact]
    public void Status_NoApiKey_ListsTheMissingKey()
    {
        var broker = new FakeBrokerHttp().Broker<HermesBroker>();

        Assert.Equal(["BROKERS:HERMES:api_key"], broker.Status.MissingSettings);
        Assert.False(broker.IsStub);
    }

    [Fact]
    public async Task FetchAlertsAsync_NoApiKey_SaysWhatIsMissingAndCallsNothing()
    {
        var fake = new FakeBrokerHttp();

        var error = await Assert.ThrowsAsync<BrokerNotConfiguredException>(() => Fetch(fake.Broker<HermesBroker>(), Events()));

        Assert.Contains("`api_key` in settings.BROKERS['HERMES']", error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task FetchAlertsAsync_Events_SendsTheTokenAndFollowsNextWithTheNextOffset()
    {
        var fake = new FakeBrokerHttp()
            .On("offset=0", HttpStatusCode.OK, Fixtures.Read("hermes/nonlocalizedevents_page1.json"))
            .On("offset=2", HttpStatusCode.OK, Fixtures.Read("hermes/nonlocalizedevents_empty.json"));
        var broker = fake.Broker<HermesBroker>(Configured);

        var alerts = await Fetch(broker, Events(max: 100));

        Assert.Equal(["S260305bx", "S260221ab"], alerts.Select(a => broker.ToGenericAlert(a).Id));
        Assert.Equal([Base + "nonlocalizedevents/?limit=100&offset=0", Base + "nonlocalizedevents/?limit=98&offset=2"],
            fake.Requests.Select(r => r.Uri.AbsoluteUri));
        Assert.All(fake.Requests, r => Assert.Equal("Token " + Token, r.Headers["Authorization"]));
        Assert.All(fake.Requests, r => Assert.DoesNotContain(Token, r.Uri.AbsoluteUri, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FetchAlertsAsync_EventsBeyondTheMaximum_StopsAndSaysSo()
    {
        var fake = new FakeBrokerHttp().On("nonlocalizedevents/", HttpStatusCode.OK, Fixtures.Read("hermes/nonlocalizedevents_page1.json"));
        var feedback = new FetchFeedback();

        var alerts = await Fetch(fake.Broker<HermesBroker>(Configured), Events(max: 2), feedback);

        Assert.Equal(2, alerts.Count);
        Assert.Equal(Base + "nonlocalizedevents/?limit=2&offset=0", Assert.Single(fake.Requests).Uri.AbsoluteUri);
        Assert.Equal("Stopped after 2 of 3 results (the query's maximum).", feedback.Text);
    }

    [Fact]
    public async Task FetchAlertsAsync_EventFilters_MapToTheServersFilters()
    {
        var fake = new FakeBrokerHttp().On("nonlocalizedevents/", HttpStatusCode.OK, Fixtures.Read("hermes/nonlocalizedevents_empty.json"));
        var feedback = new FetchFeedback();

        var alerts = await Fetch(fake.Broker<HermesBroker>(Configured), Events("S000000aa", "2026-03-01", "2026-03-31T23:59:59", 100), feedback);

        Assert.Empty(alerts);
        Assert.Equal(Base + "nonlocalizedevents/?event_id_exact=S000000aa&created_after=2026-03-01T00%3A00%3A00Z"
                     + "&created_before=2026-03-31T23%3A59%3A59Z&limit=100&offset=0", Assert.Single(fake.Requests).Uri.AbsoluteUri);
        Assert.Equal("Hermes found no events for this query.", feedback.Text);
    }

    [Fact]
    public void ToGenericAlert_Event_ShowsItsLatestSequence()
    {
        var broker = new FakeBrokerHttp().Broker<HermesBroker>(Configured);
        var page = JsonNode.Parse(Fixtures.Read("hermes/nonlocalizedevents_page1.json"))!["results"]!.AsArray();

        var gw = broker.ToGenericAlert(page[0]!.AsObject());
        var retracted = broker.ToGenericAlert(page[1]!.AsObject());

        Assert.Equal("S260305bx", gw.Name);
        Assert.Equal(0.91, gw.Score);
        Assert.Equal("INITIAL: BNS 91%, FAR 2.1e-10 Hz (1 per 151 yr)", gw.Classification);
        Assert.Equal(new DateTime(2026, 3, 5, 12, 12, 7, DateTimeKind.Utc), gw.Timestamp);
        Assert.Equal("https://gracedb.ligo.org/superevents/S260305bx/view/", gw.Url);
        Assert.Null(gw.Ra);
        Assert.Null(gw.Dec);
        Assert.Equal("RETRACTION", retracted.Classification);
        Assert.Null(retracted.Score);
    }

    [Fact]
    public void ToGenericAlert_FrequentFalseAlarms_AreQuotedInDays()
    {
        var broker = new FakeBrokerHttp().Broker<HermesBroker>(Configured);
        var evt = JsonNode.Parse("""
            {"event_id": "S260401a", "sequences": [{"sequence_type": "PRELIMINARY", "data": {"alert_type": "PRELIMINARY",
              "event": {"far": 1e-6, "classification": {"BBH": 0.2, "Terrestrial": 0.8}}}}]}
            """)!.AsObject();

        var alert = broker.ToGenericAlert(evt);

        Assert.Equal(0.8, alert.Score);
        Assert.Equal("PRELIMINARY: Terrestrial 80%, FAR 1e-6 Hz (1 per 11.6 d)", alert.Classification);
    }

    [Fact]
    public void ToTarget_Event_HasNoPositionAndKeepsTheLatestSequenceAsExtras()
    {
        var broker = new FakeBrokerHttp().Broker<HermesBroker>(Configured);
        var gw = JsonNode.Parse(Fixtures.Read("hermes/nonlocalizedevents_page1.json"))!["results"]![0]!.AsObject();

        var target = broker.ToTarget(gw);

        Assert.Equal("S260305bx", target.Name);
        Assert.Null(target.Ra);
        Assert.Null(target.Dec);
        Assert.Equal("INITIAL", target.Extras["hermes_sequence_type"]);
        Assert.Equal("2.1E-10", target.Extras["far"]);
        Assert.Equal("https://gracedb.ligo.org/api/superevents/S260305bx/files/bayestar.multiorder.fits,1", target.Extras["skymap_url"]);
    }

    [Fact]
    public async Task ConeParameters_AreAMessageConeInDegreesTheFormAccepts()
    {
        var fake = new FakeBrokerHttp().On("messages/", HttpStatusCode.OK, Fixtures.Read("hermes/messages_cone_page1.json"));
        var broker = fake.Broker<HermesBroker>(Configured);
        var parameters = broker.ConeParameters(150.3158, 2.2095, 3.6);
        var form = await broker.GetFormAsync(CancellationToken.None);

        var cleaned = form.CleanFields(parameters.ToDictionary(p => p.Key, p => (string?)p.Value!.ToString()));
        var alerts = await Fetch(broker, parameters);

        Assert.True(cleaned.IsValid, string.Join(" ", cleaned.Errors.ToDictionary().SelectMany(e => e.Value)));
        Assert.Equal(Base + "messages/?cone_search=150.3158%2C2.2095%2C0.001&limit=100&offset=0", Assert.Single(fake.Requests).Uri.AbsoluteUri);
        Assert.Equal(2, alerts.Count);
    }

    [Fact]
    public async Task FetchAlertsAsync_MessageCone_SendsDegreesAndGivesAnAlertPerTargetWithItsPosition()
    {
        var fake = new FakeBrokerHttp().On("messages/", HttpStatusCode.OK, Fixtures.Read("hermes/messages_cone_page1.json"));
        var broker = fake.Broker<HermesBroker>(Configured);

        var alerts = await Fetch(broker, Messages("10:01:15.79, +02:12:34.2, 0.001"));

        Assert.Equal(Base + "messages/?cone_search=150.31579167%2C2.2095%2C0.001&limit=100&offset=0", Assert.Single(fake.Requests).Uri.AbsoluteUri);
        var first = broker.ToGenericAlert(alerts[0]);
        Assert.Equal("c7e90a44-1f2b-4c3d-8e5f-9a0b1c2d3e4f:LSST-P-DO-169298433216610349", first.Id);
        Assert.Equal("LSST-P-DO-169298433216610349", first.Name);
        Assert.Equal(150.315783, first.Ra);
        Assert.Equal(2.209496, first.Dec);
        Assert.Equal("S260305bx", first.Classification);
        Assert.Equal("https://hermes.lco.global/message/c7e90a44-1f2b-4c3d-8e5f-9a0b1c2d3e4f", first.Url);
        Assert.Equal("2023vjq", broker.ToGenericAlert(alerts[1]).Name);
        var target = broker.ToTarget(alerts[0]);
        Assert.Equal(("LSST-P-DO-169298433216610349", 150.315783, 2.209496), (target.Name, target.Ra!.Value, target.Dec!.Value));
        Assert.Equal("S260305bx", target.Extras["hermes_event_ids"]);
        Assert.Empty(await broker.ProcessReducedDataAsync(first.Id, alerts[0], CancellationToken.None));
    }

    [Fact]
    public async Task FetchAlertsAsync_MessageWithTwoTargets_GivesOneAlertEach()
    {
        var page = JsonNode.Parse(Fixtures.Read("hermes/messages_cone_page1.json"))!.AsObject();
        var results = page["results"]!.AsArray();
        var second = results[1]!["targets"]![0]!.DeepClone();
        results.RemoveAt(1);
        results[0]!["targets"]!.AsArray().Add(second);
        var fake = new FakeBrokerHttp().On("messages/", HttpStatusCode.OK, page.ToJsonString());
        var broker = fake.Broker<HermesBroker>(Configured);

        var alerts = await Fetch(broker, Messages(eventId: "S260305bx"));

        Assert.Equal(["LSST-P-DO-169298433216610349", "2023vjq"], alerts.Select(a => broker.ToGenericAlert(a).Name));
        Assert.Equal(2, alerts.Select(a => broker.ToGenericAlert(a).Id).Distinct().Count());
        Assert.Equal(Base + "messages/?event_id_exact=S260305bx&limit=100&offset=0", fake.Requests[0].Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("hermes/error_403_invalid_token.json", "Hermes answered 403 Forbidden: Invalid token. Check BROKERS:HERMES:api_key, the API token on your Hermes profile.")]
    [InlineData("hermes/error_403_not_authenticated.json", "Hermes answered 403 Forbidden: Authentication credentials were not provided. Check BROKERS:HERMES:api_key, the API token on your Hermes profile.")]
    public async Task FetchAlertsAsync_Forbidden_SaysSoReadablyWithTheKeyToCheck(string fixture, string message)
    {
        var fake = new FakeBrokerHttp().On("nonlocalizedevents/", HttpStatusCode.Forbidden, Fixtures.Read(fixture));

        var error = await Assert.ThrowsAsync<BrokerHttpException>(() => Fetch(fake.Broker<HermesBroker>(Configured), Events()));

        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.Equal(message, error.TechnicalDetail);
    }

    [Fact]
    public void Form_FieldsOfTheOtherKind_AreRefusedBesideTheField()
    {
        var events = Clean(new() { ["query_kind"] = "events", ["cone"] = "150, 2, 0.1", ["target_name"] = "2023" });
        var messages = Clean(new() { ["query_kind"] = "messages", ["published_after"] = "2026-03-01" });

        Assert.Equal(["A cone searches messages (their targets); events have no position."], events.Errors.For("cone"));
        Assert.Single(events.Errors.For("target_name"));
        Assert.Equal(["Hermes filters messages by cone, event id and target name only; dates apply to events."], messages.Errors.For("published_after"));
    }

    [Theory]
    [InlineData("150.3, 2.2", "Enter the cone as \"RA, Dec, radius\", e.g. 150.3158, 2.2095, 0.001.")]
    [InlineData("25:00:00, 2.2, 0.1", "The cone's RA must be decimal degrees (0 to 360) or hh:mm:ss.")]
    [InlineData("150.3, 2.2, 0", "The cone's radius must be a number of degrees above 0 and at most 180.")]
    public void Form_BadCone_SaysWhatIsWrong(string cone, string message)
    {
        var result = Clean(new() { ["query_kind"] = "messages", ["cone"] = cone });

        Assert.Equal([message], result.Errors.For("cone"));
    }

    [Fact]
    public void Form_BadDate_IsRefused()
    {
        var result = Clean(new() { ["query_kind"] = "events", ["published_before"] = "next tuesday" });

        Assert.Single(result.Errors.For("published_before"));
        Assert.True(Clean(new() { ["query_kind"] = "messages", ["cone"] = "10:01:15.79, +02:12:34.2, 0.001" }).IsValid);
    }
}
