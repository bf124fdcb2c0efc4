using System.Text.Json.Nodes;
using TomAlerts.Brokers.Lasair;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Tests.Streams;

/// <summary>Lasair filter topics decoded to the shapes <see cref="LasairBroker"/> reads, and Lasair's form as a stream's filter.</summary>
public class LasairStreamDecoderTests
{
    private const string Topic = "lasair_42lsst-sn-near-galaxy";
    private readonly LasairStreamDecoder _decoder = new();
    private readonly FakeBrokerHttp _http = new();

    private LasairBroker Broker() => _http.Broker<LasairBroker>(new Dictionary<string, string?> { ["api_key"] = "k", ["lsst_api_key"] = "l" });

    // An LSST filter selecting objects.diaObjectId, ra, decl, nDiaSources and Sherlock's class, with the lite light curve.
    private const string LsstLite = """
        {"diaObjectId": 169298433216610349, "ra": 150.31578312240114, "decl": 2.209495887710154, "nDiaSources": 3,
         "classification": "SN", "UTC": "2026-04-03 01:52:10",
         "alert": {
           "diaSourcesList": [
             {"psfFlux": 2301.5522, "psfFluxErr": 131.2043, "midpointMjdTai": 61102.1845312, "band": "r", "reliability": 0.91},
             {"psfFlux": 4021.7041, "psfFluxErr": 152.3318, "midpointMjdTai": 61110.1512947, "band": "i", "reliability": 0.95},
             {"psfFlux": -1187.6284, "psfFluxErr": 205.9463, "midpointMjdTai": 61134.0734227, "band": "u", "reliability": 0.60}
           ],
           "diaForcedSourcesList": [
             {"psfFlux": 85.2877, "psfFluxErr": 120.0913, "midpointMjdTai": 61094.2290117, "band": "g"}
           ]}}
        """;

    [Fact]
    public void Source_IsLasair_DecodedForTheLasairBroker()
    {
        Assert.Equal(StreamSource.Lasair, _decoder.Source);
        Assert.Equal(Broker().Name, _decoder.Broker);
    }

    [Fact]
    public async Task LsstLite_GivesTheObjectWithItsLightCurve_WithoutCallingLasair()
    {
        var alert = Assert.Single(_decoder.Decode(Messages.Json(Topic, LsstLite)));
        var broker = Broker();

        var generic = broker.ToGenericAlert(alert);
        Assert.Equal("169298433216610349", generic.Id);
        Assert.Equal(150.31578312240114, generic.Ra);
        Assert.Equal(2.209495887710154, generic.Dec);
        Assert.Equal("SN", generic.Classification);
        Assert.Equal(3, generic.Detections);
        // The newest detection with a magnitude: the i-band one (the u-band flux is negative).
        Assert.Equal("i", generic.Band);
        Assert.Equal(31.4 - 2.5 * Math.Log10(4021.7041), generic.Mag!.Value, 3);

        var points = await broker.ProcessReducedDataAsync(generic.Id, alert, CancellationToken.None);
        Assert.Equal(4, points.Count);
        // The fading u-band diaSource (a negative difference flux) is a limit by the one flux rule.
        Assert.Equal([PhotometryKind.Forced, PhotometryKind.Detection, PhotometryKind.Detection, PhotometryKind.Limit], points.Select(p => p.Kind));
        Assert.All(points, p => Assert.Equal("LSST", p.Survey));
        Assert.Empty(_http.Requests);
    }

    [Fact]
    public void LsstWithoutAlert_IsTheFiltersListRow()
    {
        var alert = Assert.Single(_decoder.Decode(Messages.Json(Topic,
            """{"diaObjectId": 169298433216610349, "ra": 150.3, "decl": 2.2, "latest_psfFlux": 3630.78, "r_psfFlux": 3630.78, "UTC": "2026-04-03 01:52:10"}""")));

        var generic = Broker().ToGenericAlert(alert);

        Assert.Equal("169298433216610349", generic.Id);
        Assert.Equal(22.5, generic.Mag!.Value, 3);
        Assert.Equal("r", generic.Band);
        Assert.True(Broker().IsSummary(alert));
    }

    [Fact]
    public async Task ZtfLiteWithCandidates_GivesDetectionsAndLimits_WithoutCallingLasair()
    {
        var alert = Assert.Single(_decoder.Decode(Messages.Json("lasair_2Hasabsmag", """
            {"objectId": "ZTF23abtfusv", "ramean": 150.3157, "decmean": 2.2094, "ncand": 2, "UTC": "2026-04-03 01:52:10",
             "alert": {"candidates": [
               {"candid": 2501358703715015006, "jd": 2460255.8587, "fid": 1, "magpsf": 18.26, "sigmapsf": 0.05, "ra": 150.3158, "dec": 2.2094},
               {"jd": 2460250.8, "fid": 2, "diffmaglim": 20.7, "magpsf": 20.7},
               {"candid": 2496412333715015000, "jd": 2460240.91, "fid": 2, "magpsf": 19.86, "sigmapsf": 0.1}
             ]}}
            """)));
        var broker = Broker();

        var generic = broker.ToGenericAlert(alert);
        Assert.Equal("ZTF23abtfusv", generic.Id);
        Assert.Equal(150.3157, generic.Ra);
        Assert.Equal(18.26, generic.Mag);
        Assert.Equal("g", generic.Band);
        Assert.Equal(2, generic.Detections);

        var points = await broker.ProcessReducedDataAsync(generic.Id, alert, CancellationToken.None);
        Assert.Equal([PhotometryKind.Detection, PhotometryKind.Limit, PhotometryKind.Detection], points.Select(p => p.Kind));
        Assert.Equal(20.7, points[1].Limit);
        Assert.Empty(_http.Requests);
    }

    [Fact]
    public async Task ZtfFullAlert_CandidateAndPrvCandidates_BecomeTheLightCurve()
    {
        var alert = Assert.Single(_decoder.Decode(Messages.Json("lasair_2Hasabsmag", """
            {"objectId": "ZTF23abtfusv", "UTC": "2026-04-03 01:52:10",
             "alert": {"objectId": "ZTF23abtfusv",
               "candidate": {"candid": 2501358703715015006, "jd": 2460255.8587, "fid": 2, "magpsf": 18.5, "sigmapsf": 0.04, "ra": 150.3158, "dec": 2.2094},
               "prv_candidates": [{"candid": null, "jd": 2460250.8, "fid": 1, "diffmaglim": 20.1, "magpsf": null}]}}
            """)));

        var generic = Broker().ToGenericAlert(alert);
        var points = await Broker().ProcessReducedDataAsync(generic.Id, alert, CancellationToken.None);

        Assert.Equal((150.3158, 2.2094), (generic.Ra!.Value, generic.Dec!.Value));
        Assert.Equal([PhotometryKind.Limit, PhotometryKind.Detection], points.Select(p => p.Kind));
        Assert.Empty(_http.Requests);
    }

    [Theory]
    [InlineData("not json at all", "not JSON")]
    [InlineData("[1, 2]", "not an object")]
    [InlineData("""{"ra": 150.3, "decl": 2.2, "UTC": "2026-04-03 01:52:10"}""", "must SELECT objects.objectId (ZTF) or objects.diaObjectId (LSST)")]
    [InlineData("""{"diaObjectId": "ZTF23abtfusv"}""", "not an LSST id")]
    public void Unreadable_IsAPoisonMessageSayingWhy(string value, string reason)
    {
        var e = Assert.Throws<StreamMessageException>(() => _decoder.Decode(Messages.Json(Topic, value)));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gzipped_IsReadToo()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(LsstLite));
        }

        var alert = Assert.Single(_decoder.Decode(Messages.Of(Topic, buffer.ToArray())));

        Assert.Equal("169298433216610349", Broker().ToGenericAlert(alert).Id);
    }

    [Fact]
    public void Filter_SqlConditions_CannotApply_OtherFieldsCan()
    {
        IFiltersAlerts broker = Broker();

        var problems = broker.CheckFilter(new JsonObject { ["survey"] = "lsst", ["cone_ra"] = 150.3, ["cone_dec"] = 2.2, ["sqlquery"] = "nDiaSources > 3" });

        Assert.Equal(["sqlquery"], problems.Keys);
        Assert.Equal(LasairFilter.SqlMessage, problems["sqlquery"]);
        Assert.Empty(broker.CheckFilter(new JsonObject { ["survey"] = "lsst", ["cone_radius"] = "10", ["sqlquery"] = "  " }));
    }

    [Fact]
    public void Filter_SurveyAndCone_PassAndBlock()
    {
        IFiltersAlerts broker = Broker();
        var lsst = _decoder.Decode(Messages.Json(Topic, LsstLite))[0];
        var ztf = _decoder.Decode(Messages.Json(Topic, """{"objectId": "ZTF23abtfusv", "ramean": 10.0, "decmean": -5.0}"""))[0];

        Assert.True(broker.Matches(new JsonObject(), lsst));
        Assert.True(broker.Matches(new JsonObject { ["survey"] = "lsst" }, lsst));
        Assert.False(broker.Matches(new JsonObject { ["survey"] = "ztf" }, lsst));
        Assert.False(broker.Matches(new JsonObject { ["survey"] = "lsst" }, ztf));
        // 150.31578, 2.20950 is about 7 arcsec from 150.3158, 2.2075.
        Assert.True(broker.Matches(new JsonObject { ["cone_ra"] = 150.3158, ["cone_dec"] = 2.2075, ["cone_radius"] = 10 }, lsst));
        Assert.False(broker.Matches(new JsonObject { ["cone_ra"] = 150.3158, ["cone_dec"] = 2.2075, ["cone_radius"] = 5 }, lsst));
        Assert.True(broker.Matches(new JsonObject { ["cone_ra"] = "10.0", ["cone_dec"] = "-5.0", ["cone_radius"] = "1" }, ztf));
        Assert.False(broker.Matches(new JsonObject { ["cone_ra"] = 10.1, ["cone_dec"] = -5.0 }, ztf));
    }
}
