using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using TomAlerts.Brokers.Fink;
using TomAlerts.Brokers.Tests.Tns;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Tests.Fink;

/// <summary>What a scanner sees of a Fink object: band, detection span and count, Fink's class and every module score.</summary>
public sealed class FinkScanningTests : IDisposable
{
    private const string Ztf = "https://api.ztf.fink-portal.org/api/v1/";
    private const string Lsst = "https://api.lsst.fink-portal.org/api/v1/";

    private readonly FakeBrokerHttp _fake = new();
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());

    public void Dispose()
    {
        _cache.Dispose();
        _fake.Dispose();
    }

    private FinkBroker Broker() =>
        _fake.Broker<FinkBroker>(null, _cache, new InstantTimeProvider(new DateTimeOffset(2023, 11, 20, 12, 0, 0, TimeSpan.Zero)), NullLogger<FinkBroker>.Instance);

    private async Task<JsonObject> FetchOneAsync(string url, string body, JsonObject parameters)
    {
        _fake.On(r => r.RequestUri!.AbsoluteUri == url, _ => FakeBrokerHttp.Respond(System.Net.HttpStatusCode.OK, body));
        return Assert.Single(await Broker().FetchAlertsAsync(parameters, new FetchFeedback(), CancellationToken.None).ToListAsync());
    }

    private static JsonObject Query(string key, string value)
    {
        var parameters = new JsonObject { ["objectId"] = null, ["conesearch"] = null, ["classsearch"] = null, ["classsearchdate"] = null, ["tag"] = null };
        parameters[key] = value;
        return parameters;
    }

    private static JsonObject WithSurvey(JsonObject parameters, string survey)
    {
        parameters["survey"] = survey;
        return parameters;
    }

    [Fact]
    public async Task ToGenericAlert_ZtfObjectRows_NewestBandSpanOfTheRowsAndTheScoresPresent()
    {
        var stored = await FetchOneAsync(Ztf + "objects", Fixtures.Read("fink/objects_ZTF23abtfusv_columns.json"), Query("objectId", "ZTF23abtfusv"));

        var alert = Broker().ToGenericAlert(stored);

        Assert.Equal(19.7024707794, alert.Mag);
        Assert.Equal("g", alert.Band);
        Assert.Equal(AstroTime.FromJd(2460270.81066), alert.FirstDetection!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(AstroTime.FromJd(2460282.79437), alert.LastDetection!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, alert.Detections); // no ndethist in these rows: the object's alerts in the reply
        // d:cdsxmatch "Unknown" is no class; the early SN Ia score is.
        var score = Assert.Single(alert.Classifications);
        Assert.Equal(("Fink", "rf_snia_vs_nonia", "SN Ia", 0.812), (score.Broker, score.Classifier, score.ClassName, score.Probability));
        Assert.Equal(alert.LastDetection, score.Time);
    }

    [Fact]
    public void ToGenericAlert_ZtfRowWithEveryModule_OneClassifierPerScoreAndHistoryFromTheCandidate()
    {
        var row = JsonNode.Parse("""
            {"i:objectId": "ZTF23abtfusv", "i:jd": 2460282.79437, "i:fid": "2", "i:magpsf": "19.0168", "i:jdstarthist": 2460237.93931,
             "i:ndethist": "14", "v:classification": "Early SN Ia candidate", "d:rf_snia_vs_nonia": 0.812, "d:snn_snia_vs_nonia": "0.64",
             "d:snn_sn_vs_all": 0.9, "d:mulens": 0.0, "d:rf_kn_vs_nonkn": null, "num_alerts": 1}
            """)!.AsObject();

        var alert = Broker().ToGenericAlert(row);

        Assert.Equal(19.0168, alert.Mag);
        Assert.Equal("r", alert.Band);
        Assert.Equal(AstroTime.FromJd(2460237.93931), alert.FirstDetection);
        Assert.Equal(14, alert.Detections);
        Assert.Equal(
            [("classification", "Early SN Ia candidate", null), ("rf_snia_vs_nonia", "SN Ia", 0.812), ("snn_snia_vs_nonia", "SN Ia", 0.64),
             ("snn_sn_vs_all", "SN", 0.9), ("mulens", "Microlensing", 0.0)],
            alert.Classifications.Select(c => (c.Classifier, c.ClassName, c.Probability)));
    }

    [Fact]
    public async Task ToGenericAlert_LsstTagRow_BandEarlySnIaScoreAndTheTagSearched()
    {
        var stored = await FetchOneAsync(Lsst + "tags", """
            [{"r:diaObjectId": 169298433216610349, "r:diaSourceId": 169386221305823261, "r:midpointMjdTai": 61110.1512947, "r:band": "i",
              "r:psfFlux": 4021.7041, "r:psfFluxErr": 152.3318, "f:clf_earlySNIa_score": "0.7817", "r:nDiaSources": 3,
              "r:firstDiaSourceMjdTai": 61102.1845312, "f:clf_snnSnVsOthers_score": 0.66}]
            """, WithSurvey(Query("tag", "early_snia_candidate"), "lsst"));

        var alert = Broker().ToGenericAlert(stored);

        Assert.Equal(31.4 - 2.5 * Math.Log10(4021.7041), alert.Mag!.Value, 9);
        Assert.Equal("i", alert.Band);
        Assert.Equal(AstroTime.FromMjdTai(61102.1845312), alert.FirstDetection);
        Assert.Equal(AstroTime.FromMjdTai(61110.1512947), alert.LastDetection);
        Assert.Equal(3, alert.Detections);
        Assert.Equal(
            [("tag", "early_snia_candidate", null), ("clf_earlySNIa_score", "Early SN Ia", 0.7817), ("clf_snnSnVsOthers_score", "SN", 0.66)],
            alert.Classifications.Select(c => (c.Classifier, c.ClassName, c.Probability)));
    }

    [Fact]
    public void ToGenericAlert_LsstNegativeFlux_NoMagnitudeAndNoBand()
    {
        var row = JsonNode.Parse(Fixtures.Read("fink/lsst_conesearch.json"))!.AsArray()[0]!.AsObject();

        var alert = Broker().ToGenericAlert(row);

        Assert.Null(alert.Mag);
        Assert.Null(alert.Band);
        Assert.Equal(AstroTime.FromMjdTai(61134.0734227), alert.LastDetection);
    }
}
