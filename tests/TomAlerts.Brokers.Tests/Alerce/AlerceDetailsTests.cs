using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using TomAlerts.Brokers.Alerce;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Tests;

/// <summary>What a scanner sees of an ALeRCE object: the listing row's fields, and the details fetched when it is opened.</summary>
public sealed class AlerceDetailsTests : IDisposable
{
    private const string LsstOid = "169298433216610349";

    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly FakeBrokerHttp _fake = new();

    public void Dispose()
    {
        _cache.Dispose();
        _fake.Dispose();
    }

    private AlerceBroker Broker() => _fake.Broker<AlerceBroker>(null, _cache, NullLogger<AlerceBroker>.Instance);

    private static JsonObject FirstItem(string fixture) =>
        JsonNode.Parse(Fixtures.Read(fixture))!["items"]!.AsArray()[0]!.DeepClone().AsObject();

    private static Func<HttpRequestMessage, bool> Path(string path) => r => r.RequestUri!.AbsolutePath.EndsWith(path, StringComparison.Ordinal);

    /// <summary>magstats as the contract has them (§1.6): one row per band, the r band seen last.</summary>
    private const string Magstats = """
        [
          {"fid": 1, "stellar": false, "corrected": false, "ndet": 6, "ndubious": 0, "magmean": 18.9, "magmedian": 18.9,
           "magmax": 19.85, "magmin": 18.26, "magsigma": 0.5, "maglast": 19.70, "magfirst": 19.77, "firstmjd": 60240.45613,
           "lastmjd": 60280.1, "step_id_corr": "23.10.13a1"},
          {"fid": 2, "stellar": false, "corrected": false, "ndet": "6", "ndubious": 0, "magmean": "18.95", "magmax": 19.86,
           "magmin": 18.4, "maglast": "19.0168", "magfirst": 19.8553, "firstmjd": 60240.41234, "lastmjd": "60282.29437",
           "step_id_corr": "23.10.13a1"}
        ]
        """;

    // ---- listing rows ----

    [Fact]
    public void ToGenericAlert_ZtfListItem_DetectionsSpanAndTheListedClassWithItsClassifier()
    {
        var alert = Broker().ToGenericAlert(FirstItem("alerce/objects_page1.json"));

        Assert.Equal(AstroTime.FromMjd(60240.41234), alert.FirstDetection);
        Assert.Equal(AstroTime.FromMjd(60282.29437), alert.LastDetection);
        Assert.Equal(12, alert.Detections);
        Assert.Null(alert.Mag);
        Assert.Null(alert.Band);
        var listed = Assert.Single(alert.Classifications);
        Assert.Equal(new AlertClassification("ALeRCE", "lc_classifier", null, "SNIa", 0.874), listed);
        Assert.True(Broker().LacksDetails(alert));
    }

    [Fact]
    public void ToGenericAlert_ZtfRowWithNullsAndStrings_ReadsWhatIsThereAndInventsNothing()
    {
        var item = JsonNode.Parse("""
            {"oid": "ZTF23abtfusv", "ndet": "12", "firstmjd": "60240.41234", "lastmjd": null, "class": null, "classifier": null,
             "probability": null, "meanra": "150.3", "meandec": "2.2"}
            """)!.AsObject();

        var alert = Broker().ToGenericAlert(item);

        Assert.Equal(12, alert.Detections);
        Assert.Equal(AstroTime.FromMjd(60240.41234), alert.FirstDetection);
        Assert.Null(alert.LastDetection);
        Assert.Empty(alert.Classifications);
    }

    [Fact]
    public void ToGenericAlert_LsstListItem_TaiTimesDetectionsAndTheClassifierWithItsVersion()
    {
        var alert = Broker().ToGenericAlert(FirstItem("alerce_lsst/list_objects_page1.json"));

        Assert.Equal(AstroTime.FromMjdTai(61102.1845312), alert.FirstDetection);
        Assert.Equal(AstroTime.FromMjdTai(61134.0734227), alert.LastDetection);
        Assert.Equal(6, alert.Detections);
        Assert.Equal(new AlertClassification("ALeRCE", "lc_classifier_lsst", "1", "SNIa", 0.6214), Assert.Single(alert.Classifications));
    }

    [Fact]
    public void ToGenericAlert_LsstObjectWithProbabilities_EveryClassifierInRankingOrder()
    {
        var obj = JsonNode.Parse(Fixtures.Read("alerce_lsst/object_lsst.json"))!.AsObject();
        // Shuffled and with the version as a string, as list rows send it: the order comes from the ranking.
        var rows = JsonNode.Parse(Fixtures.Read("alerce_lsst/probability_lsst.json"))!.AsArray();
        var shuffled = new JsonArray([.. rows.Reverse().Select(r => r!.DeepClone())]);
        shuffled[0]!["classifier_version"] = "1";
        obj["probabilities"] = shuffled;

        var classes = Broker().ToGenericAlert(obj).Classifications;

        Assert.All(classes, c => Assert.Equal("ALeRCE", c.Broker));
        Assert.Equal(rows.Count, classes.Count);
        // ALeRCE's ranking decides, even where the fixture's probabilities disagree with it (bogus 0.03 ranked below asteroid 0.012).
        Assert.Equal(["SN", "AGN", "VS", "asteroid", "bogus"], classes.Where(c => c.Classifier == "stamp_classifier_lsst").Select(c => c.ClassName));
        Assert.Equal(["SNIa", "SNII", "SLSN", "AGN"], classes.Where(c => c.Classifier == "lc_classifier_lsst").Select(c => c.ClassName));
        Assert.Contains(new AlertClassification("ALeRCE", "stamp_classifier_lsst", "1", "SN", 0.813), classes);
    }

    // ---- DescribeAsync ----

    [Fact]
    public async Task DescribeAsync_ZtfObject_AsksMagstatsAndProbabilitiesAndFillsMagBandAndEveryClassifier()
    {
        _fake.On(Path("/objects/ZTF23abtfusv/magstats"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Magstats))
            .On(Path("/objects/ZTF23abtfusv/probabilities"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("alerce/probabilities_ZTF23abtfusv.json")));
        var raw = FirstItem("alerce/objects_page1.json");
        var broker = Broker();
        var listed = broker.ToGenericAlert(raw);

        var described = await broker.DescribeAsync(listed, raw, CancellationToken.None);

        Assert.Equal(
            ["https://api.alerce.online/ztf/v1/objects/ZTF23abtfusv/magstats", "https://api.alerce.online/ztf/v1/objects/ZTF23abtfusv/probabilities"],
            _fake.Requests.Select(r => r.Uri.AbsoluteUri).Order(StringComparer.Ordinal));
        Assert.All(_fake.Requests, r => Assert.Equal(HttpMethod.Get, r.Method));
        // r was seen last (lastmjd 60282.29437 > 60280.1): its maglast, sent as a string.
        Assert.Equal(19.0168, described.Mag);
        Assert.Equal("r", described.Band);
        var probabilities = JsonNode.Parse(Fixtures.Read("alerce/probabilities_ZTF23abtfusv.json"))!.AsArray();
        Assert.Equal(probabilities.Count, described.Classifications.Count);
        Assert.Equal(
            probabilities.Select(p => (string)p!["classifier_name"]!).Distinct(),
            described.Classifications.Select(c => c.Classifier).Distinct());
        var lc = described.Classifications.Where(c => c.Classifier == "lc_classifier").ToList();
        Assert.Equal(new AlertClassification("ALeRCE", "lc_classifier", "hierarchical_random_forest_1.1.0", "SNIa", 0.874), lc[0]);
        Assert.Equal(["SNIa", "SNIbc", "SNII", "SLSN"], lc.Take(4).Select(c => c.ClassName));
        // What the listing said stays.
        Assert.Equal(listed.FirstDetection, described.FirstDetection);
        Assert.Equal(listed.Score, described.Score);
        Assert.False(broker.LacksDetails(described));
        Assert.False(raw.ContainsKey("magstats")); // the stored row is not changed behind the caller's back
    }

    [Fact]
    public async Task DescribeAsync_ZtfObjectAlerceHasNoRowsFor_KeepsTheListingsValues()
    {
        _fake.On(Path("/magstats"), _ => FakeBrokerHttp.Respond(HttpStatusCode.NotFound, Fixtures.Read("alerce/error_404_object_not_found.json")));
        var raw = FirstItem("alerce/objects_page1.json");
        var listed = Broker().ToGenericAlert(raw);

        var described = await Broker().DescribeAsync(listed, raw, CancellationToken.None);

        Assert.Equal(2, _fake.Requests.Count);
        Assert.Null(described.Mag);
        Assert.Equal(listed.Classifications, described.Classifications);
    }

    [Fact]
    public async Task DescribeAsync_ServerError_IsABrokerErrorInPlainWords()
    {
        _fake.On(Path("/magstats"), _ => FakeBrokerHttp.Respond(HttpStatusCode.InternalServerError, """{"message": "Internal Server Error"}"""));
        var raw = FirstItem("alerce/objects_page1.json");

        var error = await Assert.ThrowsAnyAsync<BrokerException>(() => Broker().DescribeAsync(Broker().ToGenericAlert(raw), raw, CancellationToken.None));

        Assert.Contains("ALeRCE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeAsync_LsstObject_AsksDetectionsAndProbabilitiesOfTheLsstApi()
    {
        _fake.On(r => r.RequestUri!.AbsoluteUri.StartsWith("https://api-lsst.alerce.online/lightcurve_api/detections", StringComparison.Ordinal),
                _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("alerce_lsst/detections_lsst.json")))
            .On(r => r.RequestUri!.AbsoluteUri.StartsWith("https://api-lsst.alerce.online/probability_api/probability", StringComparison.Ordinal),
                _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("alerce_lsst/probability_lsst.json")));
        var raw = FirstItem("alerce_lsst/list_objects_page1.json");
        var broker = Broker();
        var listed = broker.ToGenericAlert(raw);
        Assert.True(broker.LacksDetails(listed));

        var described = await broker.DescribeAsync(listed, raw, CancellationToken.None);

        Assert.Equal(
            [$"https://api-lsst.alerce.online/lightcurve_api/detections?survey_id=lsst&oid={LsstOid}", $"https://api-lsst.alerce.online/probability_api/probability?oid={LsstOid}"],
            _fake.Requests.Select(r => r.Uri.AbsoluteUri).Order(StringComparer.Ordinal));
        // The newest detection (u, negative difference flux) has no magnitude; the newest that has is r at 2978.3025 nJy.
        Assert.Equal(31.4 - 2.5 * Math.Log10(2978.3025), described.Mag!.Value, 9);
        Assert.Equal("r", described.Band);
        Assert.Equal(JsonNode.Parse(Fixtures.Read("alerce_lsst/probability_lsst.json"))!.AsArray().Count, described.Classifications.Count);
        Assert.Equal("SN", described.Classifications.First(c => c.Classifier == "stamp_classifier_lsst").ClassName);
    }

    [Fact]
    public async Task DescribeAsync_LsstObjectNotClassifiedYet_StillGetsItsMagnitude()
    {
        _fake.On(r => r.RequestUri!.AbsolutePath.EndsWith("/lightcurve_api/detections", StringComparison.Ordinal),
                _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("alerce_lsst/detections_lsst.json")))
            .On(r => r.RequestUri!.AbsolutePath.EndsWith("/probability_api/probability", StringComparison.Ordinal),
                _ => FakeBrokerHttp.Respond(HttpStatusCode.NotFound, Fixtures.Read("alerce_lsst/error_404_probability_not_found.json")));
        var raw = FirstItem("alerce_lsst/list_objects_page1.json");
        var listed = Broker().ToGenericAlert(raw);

        var described = await Broker().DescribeAsync(listed, raw, CancellationToken.None);

        Assert.NotNull(described.Mag);
        Assert.Equal(listed.Classifications, described.Classifications);
    }
}
