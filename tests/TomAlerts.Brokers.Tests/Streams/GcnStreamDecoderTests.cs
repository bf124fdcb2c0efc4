using System.Text;
using System.Text.Json.Nodes;
using TomAlerts.Brokers.Gcn;
using TomAlerts.Brokers.Hermes;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Tests.Streams;

/// <summary>GCN's JSON topics decoded to the Hermes broker's events and message alerts, read by <see cref="HermesBroker"/>.</summary>
public class GcnStreamDecoderTests
{
    private readonly GcnStreamDecoder _decoder = new();
    private readonly FakeBrokerHttp _http = new();

    private HermesBroker Broker() => _http.Broker<HermesBroker>();

    /// <summary>An IGWN alert as GCN sends it on igwn.gwalert (its sky map a base64 FITS file).</summary>
    internal const string Igwn = """
        {"superevent_id": "S260305bx", "alert_type": "INITIAL", "time_created": "2026-03-05T12:12:07Z",
         "event": {"time": "2026-03-05T12:02:41.355Z", "far": 2.1e-10, "significant": true, "instruments": ["H1", "L1", "V1"],
                   "group": "CBC", "pipeline": "gstlal", "search": "AllSky",
                   "properties": {"HasNS": 0.92, "HasRemnant": 0.71, "HasMassGap": 0.03},
                   "classification": {"BNS": 0.91, "NSBH": 0.05, "BBH": 0.0, "Terrestrial": 0.04},
                   "duration": null, "central_frequency": null, "skymap": "U0lNUExFICA9ICAgICAgICAgICAgICAgICAgICBU"},
         "external_coinc": null,
         "urls": {"gracedb": "https://gracedb.ligo.org/superevents/S260305bx/view/"}}
        """;

    private const string Guano = """
        {"$schema": "https://gcn.nasa.gov/schema/gcn/notices/swift/bat/guano/alert.schema.json",
         "mission": "Swift", "instrument": "BAT-GUANO", "messenger": "EM", "record_number": 3, "alert_datetime": "2023-01-01T05:33:01Z",
         "alert_tense": "current", "alert_type": "update", "trigger_time": "2022-12-31T21:46:05.13Z", "ra": 336.26, "dec": 25.139,
         "ra_uncertainty": [0.05], "containment_probability": 0.9, "systematic_included": true, "rate_snr": 15.8, "classification": {"GRB": 1},
         "far": 0.00001, "data_archive_page": "https://guano.swift.psu.edu/trigger_report?id=694215995", "id": [694215995]}
        """;

    private const string EinsteinProbe = """
        {"$schema": "https://gcn.nasa.gov/schema/v6.1.0/gcn/notices/einstein_probe/wxt/alert.schema.json",
         "instrument": "WXT", "trigger_time": "2024-03-01T21:46:05.13Z", "id": ["01708973486"], "ra": 120, "dec": 40, "ra_dec_error": 0.02,
         "image_energy_range": [0.5, 4], "net_count_rate": 1, "image_snr": 1}
        """;

    private const string IceCube = """
        {"type": "IceCube LVK Alert Nu Track Search", "reference": {"gcn.notices.LVK.alert": "S230914ak-2-Preliminary"}, "ref_ID": "S230914ak",
         "alert_datetime": "2023-09-14T11:49:16.526Z", "trigger_time": "2023-09-14T11:14:01Z", "pval_generic": 0.0191, "n_events_coincident": 2,
         "coincident_events": [
           {"event_dt": 12.91, "localization": {"ra": 17.48, "dec": 16.15, "ra_dec_error": 0.5, "containment_probability": 0.9}, "id": ["138590_39138551"]},
           {"event_dt": 222.46, "localization": {"ra": 13.82, "dec": 18.66, "ra_dec_error": 0.5, "containment_probability": 0.9}, "id": ["138590_39164579"]}],
         "most_probable_direction": {"ra": 17.49, "dec": 16.18}}
        """;

    [Fact]
    public void Igwn_IsAHermesEvent_WithoutItsSkyMap()
    {
        var alert = Assert.Single(_decoder.Decode(Messages.Json("igwn.gwalert", Igwn)));

        var generic = Broker().ToGenericAlert(alert);

        Assert.Equal("S260305bx", generic.Id);
        Assert.Null(generic.Ra);
        Assert.Null(generic.Dec);
        Assert.StartsWith("INITIAL: BNS 91%, FAR 2.1e-10 Hz", generic.Classification, StringComparison.Ordinal);
        Assert.Equal(0.91, generic.Score);
        Assert.Equal(new DateTime(2026, 3, 5, 12, 12, 7, DateTimeKind.Utc), generic.Timestamp);
        Assert.Equal("https://gracedb.ligo.org/superevents/S260305bx/view/", generic.Url);
        Assert.DoesNotContain("skymap", alert.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("S260305bx", Broker().ToTarget(alert).Name);
    }

    [Fact]
    public void IgwnRetraction_IsTheEventWithNoClasses()
    {
        var alert = Assert.Single(_decoder.Decode(Messages.Json("igwn.gwalert",
            """{"superevent_id": "S260305bx", "alert_type": "RETRACTION", "time_created": "2026-03-05T13:00:00Z", "event": null, "urls": null}""")));

        var generic = Broker().ToGenericAlert(alert);

        Assert.Equal("S260305bx", generic.Id);
        Assert.Equal("RETRACTION", generic.Classification);
    }

    [Fact]
    public void SwiftGuano_IsAnAlertAtItsPosition()
    {
        var alert = Assert.Single(_decoder.Decode(Messages.Json("gcn.notices.swift.bat.guano", Guano)));

        var generic = Broker().ToGenericAlert(alert);

        Assert.Equal("Swift BAT-GUANO 694215995", generic.Name);
        Assert.Equal((336.26, 25.139), (generic.Ra!.Value, generic.Dec!.Value));
        Assert.Equal(new DateTime(2022, 12, 31, 21, 46, 5, 130, DateTimeKind.Utc), generic.Timestamp);
        Assert.Equal("https://guano.swift.psu.edu/trigger_report?id=694215995", generic.Url);
        Assert.Equal(0.9, alert["notice"]!["containment_probability"]!.GetValue<double>());
        var target = Broker().ToTarget(alert);
        Assert.Equal(("Swift BAT-GUANO 694215995", 336.26), (target.Name, target.Ra!.Value));
    }

    [Fact]
    public void EinsteinProbe_IsAnAlertAtItsPosition()
    {
        var alert = Assert.Single(_decoder.Decode(Messages.Json("gcn.notices.einstein_probe.wxt.alert", EinsteinProbe)));

        var generic = Broker().ToGenericAlert(alert);

        Assert.Equal("EP WXT 01708973486", generic.Name);
        Assert.Equal((120.0, 40.0), (generic.Ra!.Value, generic.Dec!.Value));
    }

    [Fact]
    public void IceCube_GivesOneAlertPerCoincidentTrack_ReferencingTheGwEvent()
    {
        var alerts = _decoder.Decode(Messages.Json(GcnNotices.IceCubeLvkTopic, IceCube));

        var generic = alerts.Select(a => Broker().ToGenericAlert(a)).ToList();
        Assert.Equal(["IceCube 138590_39138551", "IceCube 138590_39164579"], generic.Select(g => g.Name));
        Assert.Equal((17.48, 16.15), (generic[0].Ra!.Value, generic[0].Dec!.Value));
        Assert.Equal("S230914ak", generic[0].Classification);
        Assert.Equal(new DateTime(2023, 9, 14, 11, 14, 13, 910, DateTimeKind.Utc), generic[0].Timestamp);
        Assert.NotEqual(generic[0].Id, generic[1].Id);
    }

    [Fact]
    public void IceCube_WithoutCoincidentTracks_GivesNoAlert()
    {
        var none = JsonNode.Parse(IceCube)!.AsObject();
        none["coincident_events"] = new JsonArray();
        none["n_events_coincident"] = 0;

        Assert.Empty(_decoder.Decode(Messages.Json(GcnNotices.IceCubeLvkTopic, none.ToJsonString())));
    }

    [Fact]
    public void Circular_IsAnAlertWithoutPosition_NamedByItsNumber()
    {
        var alert = Assert.Single(_decoder.Decode(Messages.Json("gcn.circulars",
            """{"circularId": 40000, "subject": "GRB 250101A: Swift detection", "body": "...", "eventId": "GRB 250101A", "createdOn": 1735689600000, "submitter": "A. Observer"}""")));

        var generic = Broker().ToGenericAlert(alert);

        Assert.Equal("GCN Circular 40000", generic.Name);
        Assert.Null(generic.Ra);
        Assert.Equal("GRB 250101A", generic.Classification);
        Assert.Equal("https://gcn.nasa.gov/circulars/40000", generic.Url);
        Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), generic.Timestamp);
    }

    [Fact]
    public void NoticeWithoutPosition_GivesNoAlert()
    {
        Assert.Empty(_decoder.Decode(Messages.Json("gcn.notices.swift.bat.guano",
            """{"mission": "Swift", "instrument": "BAT-GUANO", "alert_type": "retraction", "trigger_time": "2022-12-31T21:46:05.13Z", "id": [694215995]}""")));
    }

    [Theory]
    [InlineData("gcn.classic.voevent.LVC_PRELIMINARY", "VOEvent XML", "igwn.gwalert")]
    [InlineData("gcn.classic.text.SWIFT_BAT_GRB_POS_ACK", "GCN classic text", "gcn.notices.swift.bat.guano")]
    [InlineData("gcn.classic.binary.FERMI_GBM_FIN_POS", "GCN classic binary", "gcn.notices.<mission>")]
    public void ClassicTopics_ArePoison_NamingTheJsonTopicToTake(string topic, string format, string instead)
    {
        var e = Assert.Throws<StreamMessageException>(() => _decoder.Decode(Messages.Of(topic, Encoding.UTF8.GetBytes("<?xml version='1.0'?><voe:VOEvent/>"))));

        Assert.StartsWith($"This topic's format ({format}) is not read by TomAlerts; subscribe to the JSON topic ", e.Message, StringComparison.Ordinal);
        Assert.Contains(instead, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void XmlOnAnyTopic_IsPoison_AsVoEvent()
    {
        var e = Assert.Throws<StreamMessageException>(() => _decoder.Decode(Messages.Json("gcn.notices.swift.bat.guano", "  <voe:VOEvent ivorn=\"ivo://nasa.gsfc.gcn/SWIFT\"/>")));

        Assert.Contains("(VOEvent XML)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("igwn.gwalert", """{"alert_type": "INITIAL"}""", "no superevent_id")]
    [InlineData("gcn.circulars", """{"subject": "x"}""", "no number")]
    [InlineData("gcn.notices.swift.bat.guano", "{\"ra\": 1", "not JSON")]
    public void Unreadable_IsPoisonSayingWhy(string topic, string value, string reason)
    {
        var e = Assert.Throws<StreamMessageException>(() => _decoder.Decode(Messages.Json(topic, value)));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
