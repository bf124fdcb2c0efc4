using System.Text;
using System.Text.Json.Nodes;
using Avro;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using TomAlerts.Brokers.Fink;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Tests.Streams;

/// <summary>Fink's schemaless Avro alerts (writer schema, or its version, in the key) decoded to the rows <see cref="FinkBroker"/> reads.</summary>
public class FinkStreamDecoderTests
{
    private readonly FinkStreamDecoder _decoder = new();
    private readonly FakeBrokerHttp _http = new();

    private FinkBroker Broker() =>
        _http.Broker<FinkBroker>(null, new MemoryCache(new MemoryCacheOptions()), TimeProvider.System, NullLogger<FinkBroker>.Instance);

    private static string Nullable(string type) => $"[\"null\", \"{type}\"]";

    private static string Field(string spec)
    {
        var (name, type) = (spec.Split(':')[0], spec.Split(':')[1]);
        return $"{{\"name\": \"{name}\", \"type\": {Nullable(type)}, \"default\": null}}";
    }

    private static string Fields(string specs) => string.Join(", ", specs.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Field));

    private const string ZtfCandidate = "jd:double fid:int pid:long diffmaglim:float candid:long isdiffpos:string ra:double dec:double magpsf:float sigmapsf:float ndethist:int jdstarthist:double";

    /// <summary>The shape of Fink's ZTF distribution (field names of its schema), smaller.</summary>
    private static readonly Schema ZtfSchema = Schema.Parse($$$"""
        {"type": "record", "name": "topLevelRecord", "fields": [
          {{{Fields("schemavsn:string objectId:string candid:long")}}},
          {"name": "candidate", "type": {"type": "record", "name": "candidate", "namespace": "topLevelRecord", "fields": [{{{Fields(ZtfCandidate)}}}]}},
          {"name": "prv_candidates", "type": ["null", {"type": "array", "items": ["null", {"type": "record", "name": "prv_candidates", "namespace": "topLevelRecord",
            "fields": [{{{Fields("jd:double fid:int pid:long diffmaglim:float candid:long magpsf:float sigmapsf:float")}}}]}]}], "default": null},
          {"name": "cutoutScience", "type": {"type": "record", "name": "cutoutScience", "namespace": "topLevelRecord", "fields": [{{{Fields("fileName:string stampData:bytes")}}}]}},
          {{{Fields("cdsxmatch:string roid:int rf_snia_vs_nonia:double snn_snia_vs_nonia:double snn_sn_vs_all:double mulens:double rf_kn_vs_nonkn:double fink_broker_version:string fink_science_version:string")}}}
        ]}
        """);

    private const string DiaSource = "diaSourceId:long diaObjectId:long ra:double dec:double midpointMjdTai:double band:string psfFlux:float psfFluxErr:float reliability:float";

    /// <summary>A Rubin alert (sections as in the Rubin schema) with Fink's additions: a classifier section and top-level values.</summary>
    private static readonly Schema LsstSchema = Schema.Parse($$$"""
        {"type": "record", "name": "alert", "namespace": "fink", "fields": [
          {{{Fields("diaSourceId:long observation_reason:string")}}},
          {"name": "diaSource", "type": {"type": "record", "name": "diaSource", "fields": [{{{Fields(DiaSource)}}}]}},
          {"name": "prvDiaSources", "type": ["null", {"type": "array", "items": "diaSource"}], "default": null},
          {"name": "prvDiaForcedSources", "type": ["null", {"type": "array", "items": {"type": "record", "name": "diaForcedSource",
            "fields": [{{{Fields("diaForcedSourceId:long diaObjectId:long midpointMjdTai:double band:string psfFlux:float psfFluxErr:float")}}}]}}], "default": null},
          {"name": "diaObject", "type": ["null", {"type": "record", "name": "diaObject",
            "fields": [{{{Fields("diaObjectId:long ra:double dec:double nDiaSources:int firstDiaSourceMjdTai:double lastDiaSourceMjdTai:double")}}}]}], "default": null},
          {"name": "clf", "type": ["null", {"type": "record", "name": "clf", "fields": [{{{Fields("earlySNIa_score:double snnSnVsOthers_score:double")}}}]}], "default": null},
          {{{Fields("main_label_crossmatch:string fink_broker_version:string")}}},
          {"name": "cutoutDifference", "type": ["null", "bytes"], "default": null}
        ]}
        """);

    private static Dictionary<string, object?> ZtfAlert() => new()
    {
        ["schemavsn"] = "3.3",
        ["objectId"] = "ZTF23abtfusv",
        ["candid"] = 2501358703715015006L,
        ["candidate"] = new Dictionary<string, object?>
        {
            ["jd"] = 2460255.8587, ["fid"] = 1, ["pid"] = 2501358703715L, ["diffmaglim"] = 20.5, ["candid"] = 2501358703715015006L,
            ["isdiffpos"] = "t", ["ra"] = 150.3157758, ["dec"] = 2.2094309, ["magpsf"] = 18.26, ["sigmapsf"] = 0.05, ["ndethist"] = 12,
            ["jdstarthist"] = 2460240.91,
        },
        ["prv_candidates"] = new object?[]
        {
            new Dictionary<string, object?> { ["jd"] = 2460240.91, ["fid"] = 2, ["pid"] = 2486412333715L, ["candid"] = 2486412333715015000L, ["magpsf"] = 19.86, ["sigmapsf"] = 0.1, ["diffmaglim"] = 20.3 },
            new Dictionary<string, object?> { ["jd"] = 2460237.94, ["fid"] = 2, ["pid"] = 2483439393715L, ["diffmaglim"] = 20.74 },
        },
        ["cutoutScience"] = new Dictionary<string, object?> { ["fileName"] = "candid2501358703715015006_pid2501358703715_targ_sci.fits.gz", ["stampData"] = new byte[] { 0x1f, 0x8b, 1, 2 } },
        ["cdsxmatch"] = "Unknown",
        ["roid"] = 0,
        ["rf_snia_vs_nonia"] = 0.873,
        ["snn_snia_vs_nonia"] = 0.61,
        ["snn_sn_vs_all"] = 0.77,
        ["mulens"] = 0.0,
        ["rf_kn_vs_nonkn"] = 0.02,
        ["fink_broker_version"] = "3.1",
        ["fink_science_version"] = "5.10.1",
    };

    private static Dictionary<string, object?> Source(long id, double mjd, string band, double flux) => new()
    {
        ["diaSourceId"] = id, ["diaObjectId"] = 169298433216610349L, ["ra"] = 150.31578312, ["dec"] = 2.20949588, ["midpointMjdTai"] = mjd,
        ["band"] = band, ["psfFlux"] = flux, ["psfFluxErr"] = 131.2, ["reliability"] = 0.93,
    };

    private static Dictionary<string, object?> LsstAlert() => new()
    {
        ["diaSourceId"] = 169489221640495148L,
        ["observation_reason"] = "survey",
        ["diaSource"] = Source(169489221640495148L, 61110.1512947, "i", 4021.7041),
        ["prvDiaSources"] = new object?[] { Source(169489221640495001L, 61102.1845312, "r", 2301.5522) },
        ["prvDiaForcedSources"] = new object?[]
        {
            new Dictionary<string, object?> { ["diaForcedSourceId"] = 7L, ["diaObjectId"] = 169298433216610349L, ["midpointMjdTai"] = 61094.2290117, ["band"] = "g", ["psfFlux"] = 85.2877, ["psfFluxErr"] = 120.09 },
        },
        ["diaObject"] = new Dictionary<string, object?>
        {
            ["diaObjectId"] = 169298433216610349L, ["ra"] = 150.3157, ["dec"] = 2.2094, ["nDiaSources"] = 2, ["firstDiaSourceMjdTai"] = 61102.1845312,
            ["lastDiaSourceMjdTai"] = 61110.1512947,
        },
        ["clf"] = new Dictionary<string, object?> { ["earlySNIa_score"] = 0.71, ["snnSnVsOthers_score"] = 0.4 },
        ["main_label_crossmatch"] = "Unknown",
        ["fink_broker_version"] = "4.0",
        ["cutoutDifference"] = new byte[] { 1, 2, 3 },
    };

    private static StreamMessage Message(string topic, byte[] value, byte[]? key) => Messages.Of(topic, value, key);

    [Fact]
    public async Task Ztf_WriterSchemaInKey_GivesTheApiRow_AndItsLightCurveWithoutCallingFink()
    {
        var alert = Assert.Single(_decoder.Decode(Message("fink_sn_candidates_ztf", AvroAlerts.Write(ZtfSchema, ZtfAlert()), AvroAlerts.Key(ZtfSchema))));
        var broker = Broker();

        var generic = broker.ToGenericAlert(alert);
        Assert.Equal("ZTF23abtfusv", generic.Id);
        Assert.Equal((150.3157758, 2.2094309), (generic.Ra!.Value, generic.Dec!.Value));
        Assert.Equal(18.26, generic.Mag);
        Assert.Equal("g", generic.Band);
        Assert.Equal(0.873, generic.Score);
        Assert.Null(generic.Classification); // cdsxmatch "Unknown" is no class
        Assert.Equal(12, generic.Detections);
        Assert.Contains(generic.Classifications, c => c.Classifier == "snn_sn_vs_all" && c.Probability == 0.77);
        Assert.Null(alert["d:cutoutScience"]);

        var points = await broker.ProcessReducedDataAsync(generic.Id, alert, CancellationToken.None);
        Assert.Equal([PhotometryKind.Limit, PhotometryKind.Detection, PhotometryKind.Detection], points.Select(p => p.Kind));
        Assert.Equal(20.74, points[0].Limit);
        Assert.Equal(("r", 19.86), (points[1].Bandpass, points[1].Magnitude!.Value));
        Assert.Empty(_http.Requests);
    }

    [Fact]
    public async Task Lsst_WriterSchemaInKey_GivesTheLsstRow_AndDetectionsAndForcedPhotometry()
    {
        var alert = Assert.Single(_decoder.Decode(Message("fink_early_snia_candidate_lsst", AvroAlerts.Write(LsstSchema, LsstAlert()), AvroAlerts.Key(LsstSchema))));
        var broker = Broker();

        var generic = broker.ToGenericAlert(alert);
        Assert.Equal("169298433216610349", generic.Id);
        Assert.Equal("169489221640495148", FinkRows.ExactId(alert["r:diaSourceId"]));
        // The alert's diaSource position, not the diaObject's mean.
        Assert.Equal((150.31578312, 2.20949588), (generic.Ra!.Value, generic.Dec!.Value));
        Assert.Equal("i", generic.Band);
        Assert.Equal(31.4 - 2.5 * Math.Log10(4021.7041), generic.Mag!.Value, 3);
        Assert.Equal(0.71, generic.Score);
        Assert.Equal(2, generic.Detections);
        Assert.Equal("4.0", alert["f:fink_broker_version"]!.GetValue<string>());
        // Avro floats as written, not widened (2301.5522f is 2301.55224609375 as a double).
        Assert.Equal(2301.5522, alert[FinkRows.StreamLightCurve]![0]!["r:psfFlux"]!.GetValue<double>());
        Assert.Equal("https://lsst.fink-portal.org/169298433216610349", generic.Url);

        var points = await broker.ProcessReducedDataAsync(generic.Id, alert, CancellationToken.None);
        Assert.Equal([PhotometryKind.Forced, PhotometryKind.Detection, PhotometryKind.Detection], points.Select(p => p.Kind));
        Assert.Equal(["g", "r", "i"], points.Select(p => p.Bandpass));
        Assert.Empty(_http.Requests);
    }

    [Theory]
    [InlineData("2.5_3.5.3")]
    [InlineData("2.5_3.5.3_replayed")]
    public void VersionKey_UsesTheBundledSchema(string key)
    {
        var schema = AvroAlerts.Bundled("2.5_3.5.3");

        var alert = Assert.Single(_decoder.Decode(Message("fink_kn_candidates_ztf", AvroAlerts.Write(schema, ZtfAlert()), Encoding.UTF8.GetBytes(key))));

        Assert.Equal("ZTF23abtfusv", Broker().ToGenericAlert(alert).Id);
        Assert.Equal(0.02, alert["d:rf_kn_vs_nonkn"]!.GetValue<double>());
        Assert.Equal(3, ((JsonArray)alert[FinkRows.StreamLightCurve]!).Count);
    }

    [Fact]
    public void UnknownVersionKey_IsPoison_NamingTheVersion()
    {
        var e = Assert.Throws<StreamMessageException>(() =>
            _decoder.Decode(Message("fink_sn_candidates_ztf", AvroAlerts.Write(ZtfSchema, ZtfAlert()), Encoding.UTF8.GetBytes("1.1_0.4.4"))));

        Assert.Contains("\"1.1_0.4.4\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("2.5_3.5.3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedValue_IsPoison()
    {
        var bytes = AvroAlerts.Write(ZtfSchema, ZtfAlert());

        var e = Assert.Throws<StreamMessageException>(() => _decoder.Decode(Message("fink_sn_candidates_ztf", bytes[..(bytes.Length / 2)], AvroAlerts.Key(ZtfSchema))));

        Assert.Contains("cannot be read with the writer schema in the key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueOfAnotherSchema_IsPoison()
    {
        var lsstBytes = AvroAlerts.Write(LsstSchema, LsstAlert());

        var e = Assert.Throws<StreamMessageException>(() => _decoder.Decode(Message("fink_sn_candidates_ztf", lsstBytes, AvroAlerts.Key(ZtfSchema))));

        Assert.Contains("writer schema in the key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemaWithTrailingBytes_IsPoison_SayingSo()
    {
        var bytes = AvroAlerts.Write(ZtfSchema, ZtfAlert()).Concat(new byte[] { 0, 0, 0 }).ToArray();

        var e = Assert.Throws<StreamMessageException>(() => _decoder.Decode(Message("fink_sn_candidates_ztf", bytes, AvroAlerts.Key(ZtfSchema))));

        Assert.Contains("3 of its", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "has no key")]
    [InlineData("{\"type\": \"record\", \"name\": \"x\"", "not a readable Avro schema")]
    public void MissingOrBrokenKey_IsPoison(string? key, string reason)
    {
        var e = Assert.Throws<StreamMessageException>(() =>
            _decoder.Decode(Message("fink_sn_candidates_ztf", AvroAlerts.Write(ZtfSchema, ZtfAlert()), key is null ? null : Encoding.UTF8.GetBytes(key))));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_ArchiveSearches_CannotApply()
    {
        IFiltersAlerts broker = Broker();

        var problems = broker.CheckFilter(new JsonObject
        {
            ["survey"] = "lsst", ["tag"] = "early_snia_candidate", ["n"] = "10", ["startdate"] = "2026-03-01", ["window"] = "2", ["conesearch"] = "150.3, 2.2, 5",
        });

        Assert.Equal(["n", "startdate", "tag", "window"], problems.Keys.Order());
        Assert.Equal(FinkFilter.TagMessage, problems["tag"]);
        Assert.Empty(broker.CheckFilter(new JsonObject { ["survey"] = "ztf", ["classsearch"] = "SN candidate, 10", ["objectId"] = "ZTF23abtfusv" }));
    }

    [Fact]
    public void Filter_SurveyIdsConeAndClass_PassAndBlock()
    {
        IFiltersAlerts broker = Broker();
        var ztf = _decoder.Decode(Message("t", AvroAlerts.Write(ZtfSchema, ZtfAlert()), AvroAlerts.Key(ZtfSchema)))[0];
        var lsst = _decoder.Decode(Message("t", AvroAlerts.Write(LsstSchema, LsstAlert()), AvroAlerts.Key(LsstSchema)))[0];
        var classified = ZtfAlert();
        classified["cdsxmatch"] = "RRLyr";
        var star = _decoder.Decode(Message("t", AvroAlerts.Write(ZtfSchema, classified), AvroAlerts.Key(ZtfSchema)))[0];

        Assert.True(broker.Matches(new JsonObject(), ztf));
        Assert.False(broker.Matches(new JsonObject { ["survey"] = "lsst" }, ztf));
        Assert.True(broker.Matches(new JsonObject { ["survey"] = "lsst" }, lsst));
        Assert.True(broker.Matches(new JsonObject { ["objectId"] = "ZTF21aaaaaaa, ZTF23abtfusv" }, ztf));
        Assert.False(broker.Matches(new JsonObject { ["objectId"] = "ZTF21aaaaaaa" }, ztf));
        Assert.True(broker.Matches(new JsonObject { ["conesearch"] = "150.3157758, 2.2104309, 4" }, ztf)); // 3.6 arcsec away
        Assert.False(broker.Matches(new JsonObject { ["conesearch"] = "150.3157758, 2.2104309, 3" }, ztf));
        Assert.True(broker.Matches(new JsonObject { ["classsearch"] = "rrlyr, 10" }, star));
        Assert.False(broker.Matches(new JsonObject { ["classsearch"] = "RRLyr, 10" }, ztf));
    }
}
