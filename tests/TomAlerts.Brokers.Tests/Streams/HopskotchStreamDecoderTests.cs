using System.Text;
using System.Text.Json.Nodes;
using TomAlerts.Brokers.Hermes;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Tests.Streams;

/// <summary>Hopskotch's hop JSON blobs decoded to the Hermes broker's shapes; its form as a stream's filter.</summary>
public class HopskotchStreamDecoderTests
{
    private readonly HopskotchStreamDecoder _decoder = new();
    private readonly FakeBrokerHttp _http = new();

    private HermesBroker Broker() => _http.Broker<HermesBroker>();

    private static readonly byte[] Uuid = Convert.FromHexString("8c2d4e115a7b4b3e9f1c6d0e2a4b8c77");

    private static Dictionary<string, byte[]> Headers() => new()
    {
        ["_id"] = Uuid,
        ["_sender"] = Encoding.UTF8.GetBytes("a.observer-1a2b3c"),
        ["title"] = Encoding.UTF8.GetBytes("LSST photometry of SN 2023vjq host-region transient"),
        ["_format"] = Encoding.UTF8.GetBytes("json"),
    };

    /// <summary>A Hermes message as Hermes publishes it to hermes.*: the submission, one target in degrees and one sexagesimal.</summary>
    private const string HermesSubmission = """
        {"title": "LSST photometry of SN 2023vjq host-region transient", "topic": "hermes.test", "submitter": "A. Observer",
         "authors": "A. Observer (Example Univ.)", "message_text": "Rubin detections.",
         "data": {"event_id": "S260305bx",
                  "targets": [{"name": "LSST-P-DO-169298433216610349", "ra": "150.315783", "dec": "2.209496", "aliases": ["2023vjq"]},
                              {"name": "AT2026abc", "ra": "10:01:15.788", "dec": "-02:12:34.19"}],
                  "photometry": [{"target_name": "AT2026abc", "date_obs": "61110.1512947", "bandpass": "i", "brightness": 22.9, "brightness_unit": "AB mag"}]}}
        """;

    [Fact]
    public void HermesMessage_GivesOneAlertPerTarget_WithTheHopIdAsUuid()
    {
        var alerts = _decoder.Decode(Messages.Json("hermes.test", HermesSubmission, Headers()));

        var generic = alerts.Select(a => Broker().ToGenericAlert(a)).ToList();
        Assert.Equal(["LSST-P-DO-169298433216610349", "AT2026abc"], generic.Select(g => g.Name));
        Assert.Equal("8c2d4e11-5a7b-4b3e-9f1c-6d0e2a4b8c77:LSST-P-DO-169298433216610349", generic[0].Id);
        Assert.Equal((150.315783, 2.209496), (generic[0].Ra!.Value, generic[0].Dec!.Value));
        Assert.Equal(150.31578, generic[1].Ra!.Value, 4);
        Assert.Equal(-2.20950, generic[1].Dec!.Value, 4);
        Assert.Equal("S260305bx", generic[0].Classification);
        Assert.Equal("https://hermes.lco.global/message/8c2d4e11-5a7b-4b3e-9f1c-6d0e2a4b8c77", generic[0].Url);
        Assert.Equal("8c2d4e11-5a7b-4b3e-9f1c-6d0e2a4b8c77", Broker().ToTarget(alerts[0]).Extras["hermes_message_uuid"]);
    }

    [Fact]
    public void HermesMessageWithoutTargets_GivesNoAlert()
    {
        Assert.Empty(_decoder.Decode(Messages.Json("hermes.general", """{"title": "Note", "topic": "hermes.general", "data": {}}""", Headers())));
    }

    [Fact]
    public void Heartbeat_GivesNoAlert()
    {
        Assert.Empty(_decoder.Decode(Messages.Json(HopskotchStreamDecoder.HeartbeatTopic, """{"timestamp": 1735689600000000, "count": 12, "beat": "LUB"}""")));
    }

    [Fact]
    public void IgwnAlertOnHopskotch_IsAHermesEvent()
    {
        var alert = Assert.Single(_decoder.Decode(Messages.Json("igwn.gwalert", GcnStreamDecoderTests.Igwn, Headers())));

        Assert.Equal("S260305bx", Broker().ToGenericAlert(alert).Id);
    }

    [Fact]
    public void CircularRelayedByHop_IsReadFromItsHeader()
    {
        var alert = Assert.Single(_decoder.Decode(Messages.Json("gcn.circulars",
            """{"header": {"title": "GCN CIRCULAR", "number": "40001", "subject": "LIGO/Virgo/KAGRA S260305bx: Identification", "date": "26/03/05 13:00:00 GMT", "from": "A. Observer"}, "body": "..."}""")));

        Assert.Equal("GCN Circular 40001", Broker().ToGenericAlert(alert).Name);
    }

    [Theory]
    [InlineData("gcn.classic.text.LVC_INITIAL", "{}", "(GCN classic text)")]
    [InlineData("gcn.classic.voevent.LVC_INITIAL", "<voe:VOEvent/>", "(VOEvent XML)")]
    [InlineData("hermes.test", "not json", "not JSON")]
    [InlineData("lvk.openalerts", """{"a": 1}""", "does not read the Hopskotch topic lvk.openalerts")]
    public void Unreadable_IsPoisonSayingWhy(string topic, string value, string reason)
    {
        var e = Assert.Throws<StreamMessageException>(() => _decoder.Decode(Messages.Json(topic, value, Headers())));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_EventIdConeTargetAndDates_PassAndBlock()
    {
        IFiltersAlerts broker = Broker();
        var message = _decoder.Decode(Messages.Json("hermes.test", HermesSubmission, Headers()))[0];
        var gw = _decoder.Decode(Messages.Json("igwn.gwalert", GcnStreamDecoderTests.Igwn))[0];

        // The query kind (events by default) does not filter: the topics decide the kind.
        Assert.True(broker.Matches(new JsonObject { ["query_kind"] = "events", ["max_results"] = "100" }, message));
        Assert.True(broker.Matches(new JsonObject { ["event_id"] = "s260305bx" }, message));
        Assert.True(broker.Matches(new JsonObject { ["event_id"] = "S260305bx" }, gw));
        Assert.False(broker.Matches(new JsonObject { ["event_id"] = "S250101a" }, gw));
        Assert.False(broker.Matches(new JsonObject { ["event_id"] = "S250101a" }, message));
        Assert.True(broker.Matches(new JsonObject { ["cone"] = "150.3158, 2.2095, 0.001" }, message));
        Assert.False(broker.Matches(new JsonObject { ["cone"] = "150.3160, 2.2095, 0.0001" }, message)); // 0.8 arcsec away
        Assert.False(broker.Matches(new JsonObject { ["cone"] = "150.3158, 2.2095, 1" }, gw));
        Assert.True(broker.Matches(new JsonObject { ["target_name"] = "lsst-p-do" }, message));
        Assert.False(broker.Matches(new JsonObject { ["target_name"] = "AT2026" }, message));
        Assert.True(broker.Matches(new JsonObject { ["published_after"] = "2026-03-05T12:00:00", ["published_before"] = "2026-03-06" }, gw));
        Assert.False(broker.Matches(new JsonObject { ["published_after"] = "2026-03-05T12:30:00" }, gw));
    }

    [Fact]
    public void Filter_UnreadableConeOrDate_HasItsMessage()
    {
        IFiltersAlerts broker = Broker();

        var problems = broker.CheckFilter(new JsonObject { ["cone"] = "150.3, 2.2", ["published_after"] = "yesterday-ish", ["event_id"] = "S260305bx" });

        Assert.Equal(["cone", "published_after"], problems.Keys.Order());
        Assert.Empty(broker.CheckFilter(new JsonObject { ["query_kind"] = "events", ["max_results"] = "100", ["event_id"] = "S260305bx" }));
    }
}
