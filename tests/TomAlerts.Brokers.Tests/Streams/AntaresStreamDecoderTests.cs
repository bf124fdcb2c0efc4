using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using TomAlerts.Brokers.Antares;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Tests.Streams;

/// <summary>ANTARES loci from its Kafka topics (zlib'd BSON JSON:API documents, or JSON) decoded to the locus <see cref="AntaresBroker"/> reads.</summary>
public class AntaresStreamDecoderTests
{
    private const string Topic = "client.lsst_scimma_quality_transient";
    private readonly AntaresStreamDecoder _decoder = new();
    private readonly FakeBrokerHttp _http = new();

    private AntaresBroker Broker() => _http.Broker<AntaresBroker>(null, new MemoryCache(new MemoryCacheOptions()), NullLogger<AntaresBroker>.Instance);

    /// <summary>The recorded alerts of the locus (ZTF upper limit and detection, two LSST diaSources), newest first as a stream sends them.</summary>
    private static JsonArray Alerts() =>
        new(JsonNode.Parse(Fixtures.Read("antares/alerts_ANT2023ch7kxe_ztf_and_lsst.json"))!["data"]!.AsArray()
            .Reverse().Select(a => a!.DeepClone()).ToArray());

    private static JsonObject Attributes() => new()
    {
        ["ra"] = 150.31577584166666,
        ["dec"] = 2.209430991666667,
        ["htm16"] = 59347121931L,
        ["grav_wave_events"] = new JsonArray(),
        ["properties"] = new JsonObject
        {
            ["num_alerts"] = 16, ["num_mag_values"] = 18, ["newest_alert_magnitude"] = 23.71329856, ["newest_alert_observation_time"] = 61134.0734227,
            ["oldest_alert_observation_time"] = 60240.41233999981, ["ztf_object_id"] = "ZTF23abtfusv",
            ["survey"] = new JsonObject
            {
                ["ztf"] = new JsonObject { ["id"] = new JsonArray("ZTF23abtfusv") },
                ["lsst"] = new JsonObject { ["dia_object_id"] = new JsonArray("169298433216610349") },
            },
        },
        ["tags"] = new JsonArray("extragalactic", "lsst_scimma_quality_transient"),
        ["catalogs"] = new JsonArray("2mass_psc"),
    };

    private static JsonObject Document() => new()
    {
        ["data"] = new JsonObject { ["type"] = "locus", ["id"] = "ANT2023ch7kxe", ["attributes"] = Attributes() },
        ["included"] = Alerts(),
    };

    [Fact]
    public async Task ZlibBson_GivesTheLocus_AndItsLightCurveWithoutCallingAntares()
    {
        var locus = Assert.Single(_decoder.Decode(Messages.Of(Topic, Bson.Zlib(Bson.Write(Document())))));
        var broker = Broker();

        var generic = broker.ToGenericAlert(locus);
        Assert.Equal("ANT2023ch7kxe", generic.Id);
        Assert.Equal("ZTF23abtfusv", generic.Name);
        Assert.Equal((150.31577584166666, 2.209430991666667), (generic.Ra!.Value, generic.Dec!.Value));
        Assert.Equal(18, generic.Detections);
        Assert.Equal(23.71329856, generic.Mag);
        Assert.Contains("lsst_scimma_quality_transient", generic.Classification, StringComparison.Ordinal);

        var points = await broker.ProcessReducedDataAsync(generic.Id, locus, CancellationToken.None);
        Assert.Equal(4, points.Count);
        Assert.Equal(["ZTF", "ZTF", "LSST", "LSST"], points.Select(p => p.Survey));
        Assert.Equal(PhotometryKind.Limit, points[0].Kind);
        Assert.Empty(_http.Requests);
    }

    [Fact]
    public void FlatJsonLocus_GzippedOrNot_IsReadToo()
    {
        var flat = Attributes();
        flat["locus_id"] = "ANT2023ch7kxe";
        flat["alerts"] = new JsonArray(new JsonObject
        {
            ["alert_id"] = "lsst_dia_source:169489221640495148", ["mjd"] = 61134.0734227,
            ["properties"] = new JsonObject
            {
                ["lsst_diaSource_midpointMjdTai"] = 61134.0734227, ["lsst_diaSource_band"] = "r", ["lsst_diaSource_psfFlux"] = 1187.6,
                ["lsst_diaSource_psfFluxErr"] = 105.9, ["lsst_diaSource_diaSourceId"] = 169489221640495148L,
            },
        });
        var json = Encoding.UTF8.GetBytes(flat.ToJsonString());
        using var gzipped = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }

        foreach (var value in new[] { json, gzipped.ToArray() })
        {
            var locus = Assert.Single(_decoder.Decode(Messages.Of(Topic, value)));
            Assert.Equal("ANT2023ch7kxe", Broker().ToGenericAlert(locus).Id);
            var alert = Assert.Single(locus[AntaresLocus.StreamAlertsKey]!.AsArray())!;
            Assert.Equal("lsst_dia_source:169489221640495148", alert["id"]!.GetValue<string>());
            Assert.Equal(61134.0734227, alert["attributes"]!["mjd"]!.GetValue<double>());
        }
    }

    [Fact]
    public void IncompleteLocus_IsPoisonNamingWhatIsMissing()
    {
        var document = Document();
        document["data"]!["attributes"]!.AsObject().Remove("tags");
        document["data"]!["attributes"]!.AsObject().Remove("dec");

        var e = Assert.Throws<StreamMessageException>(() => _decoder.Decode(Messages.Of(Topic, Bson.Zlib(Bson.Write(document)))));

        Assert.Equal("The ANTARES locus is incomplete: it has no dec, tags.", e.Message);
    }

    [Fact]
    public void TruncatedBson_AndGarbage_ArePoison()
    {
        var bson = Bson.Write(Document());
        var truncated = Bson.Zlib(bson[..(bson.Length / 2)]);

        var e1 = Assert.Throws<StreamMessageException>(() => _decoder.Decode(Messages.Of(Topic, truncated)));
        var e2 = Assert.Throws<StreamMessageException>(() => _decoder.Decode(Messages.Of(Topic, [0x78, 0x9c, 1, 2, 3])));
        var e3 = Assert.Throws<StreamMessageException>(() => _decoder.Decode(Messages.Of(Topic, Encoding.UTF8.GetBytes("locus?"))));

        Assert.Contains("neither BSON nor JSON", e1.Message, StringComparison.Ordinal);
        Assert.Matches("cannot be decompressed|neither BSON nor JSON", e2.Message);
        Assert.Contains("neither BSON nor JSON", e3.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BsonWithABadLength_IsPoisonSayingSo()
    {
        var bson = Bson.Write(Document());
        bson[^1] = 1; // the document no longer ends in its zero

        var e = Assert.Throws<StreamMessageException>(() => _decoder.Decode(Messages.Of(Topic, Bson.Zlib(bson))));

        Assert.Contains("neither BSON nor JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_EsQueryCannotApply_SimpleFieldsCan()
    {
        IFiltersAlerts broker = Broker();
        var locus = _decoder.Decode(Messages.Of(Topic, Bson.Zlib(Bson.Write(Document()))))[0];

        Assert.Equal(AntaresFilter.EsQueryMessage, broker.CheckFilter(new JsonObject { ["esquery"] = """{"query": {"match_all": {}}}""" })["esquery"]);
        Assert.Empty(broker.CheckFilter(new JsonObject { ["tag"] = "extragalactic", ["max_alerts"] = "20" }));

        Assert.True(broker.Matches(new JsonObject(), locus));
        Assert.True(broker.Matches(new JsonObject { ["tag"] = "nuclear_transient, extragalactic" }, locus));
        Assert.False(broker.Matches(new JsonObject { ["tag"] = "nuclear_transient" }, locus));
        Assert.True(broker.Matches(new JsonObject { ["ztfid"] = "ZTF23abtfusv", ["antid"] = "ANT2023ch7kxe" }, locus));
        Assert.False(broker.Matches(new JsonObject { ["ztfid"] = "ZTF21aaaaaaa" }, locus));
        Assert.True(broker.Matches(new JsonObject { ["nobs__gt"] = "18", ["nobs__lt"] = 20 }, locus));
        Assert.False(broker.Matches(new JsonObject { ["nobs__gt"] = "19" }, locus));
        Assert.True(broker.Matches(new JsonObject { ["mag__min"] = 23, ["mag__max"] = 24 }, locus));
        Assert.False(broker.Matches(new JsonObject { ["mag__max"] = 23 }, locus));
        Assert.False(broker.Matches(new JsonObject { ["mjd__gt"] = 60300 }, locus));
        Assert.False(broker.Matches(new JsonObject { ["mjd__lt"] = 61000 }, locus));
        Assert.True(broker.Matches(new JsonObject { ["ra"] = 150.3158, ["dec"] = 2.2094, ["sr"] = 0.001 }, locus));
        Assert.False(broker.Matches(new JsonObject { ["ra"] = 150.32, ["dec"] = 2.2094, ["sr"] = 0.001 }, locus));
    }
}
