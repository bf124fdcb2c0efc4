using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using TomAlerts.Brokers.Alerce;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Tests;

/// <summary>The ALeRCE broker with survey=lsst: ALeRCE's multisurvey API, replayed from Fixtures/alerce_lsst.</summary>
public sealed class AlerceLsstTests : IDisposable
{
    private const string Oid = "169298433216610349";
    private const string LsstBase = "https://api-lsst.alerce.online/";

    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly FakeBrokerHttp _fake = new();
    private readonly FetchFeedback _feedback = new();

    public void Dispose()
    {
        _cache.Dispose();
        _fake.Dispose();
    }

    private AlerceBroker Broker(Dictionary<string, string?>? settings = null) =>
        _fake.Broker<AlerceBroker>(settings, _cache, NullLogger<AlerceBroker>.Instance);

    private static Func<HttpRequestMessage, bool> Lsst(string path) =>
        r => r.RequestUri!.AbsoluteUri.StartsWith(LsstBase + path, StringComparison.Ordinal);

    private static Func<HttpRequestMessage, bool> ListPage(int page) =>
        r => Lsst("object_api/list_objects")(r) && Values(r.RequestUri!, "page").SequenceEqual([page.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    private static HttpResponseMessage Json(string fixture, HttpStatusCode status = HttpStatusCode.OK) =>
        FakeBrokerHttp.Respond(status, Fixtures.Read($"alerce_lsst/{fixture}"));

    private static List<KeyValuePair<string, string>> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(Uri.UnescapeDataString(p[0]), Uri.UnescapeDataString(p.Length > 1 ? p[1] : "")))
            .ToList();

    private static List<string> Values(Uri uri, string key) => Query(uri).Where(p => p.Key == key).Select(p => p.Value).ToList();

    private static JsonObject Lsst(params (string Key, JsonNode? Value)[] parameters)
    {
        var json = new JsonObject { ["survey"] = "lsst" };
        foreach (var (key, value) in parameters)
        {
            json[key] = value;
        }
        return json;
    }

    private async Task<List<JsonObject>> FetchAsync(JsonObject parameters) =>
        await Broker().FetchAlertsAsync(parameters, _feedback, CancellationToken.None).ToListAsync();

    private async Task<FormResult> CleanAsync(params (string Key, string? Value)[] input)
    {
        _fake.On(r => r.RequestUri!.AbsolutePath.EndsWith("/classifiers/", StringComparison.Ordinal),
            _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("alerce/classifiers.json")));
        _fake.On(Lsst("classifier_api/classifiers"), _ => Json("classifiers.json"));
        var form = await Broker().GetFormAsync(CancellationToken.None);
        var values = input.ToDictionary(i => i.Key, i => i.Value);
        values[BrokerForm.QueryNameField] = "lsst query";
        return form.Clean("ALeRCE", values);
    }

    // ---- form ----

    [Fact]
    public async Task GetFormAsync_BothLists_SurveyChoiceZtfDefaultAndLsstClassifiersFromClassifierApi()
    {
        var result = await CleanAsync();

        var form = await Broker().GetFormAsync(CancellationToken.None); // cached now
        Assert.Equal(["ztf", "lsst"], form.Field("survey")!.Choices.Select(c => c.Value));
        Assert.Equal("ztf", form.Field("survey")!.Initial);
        Assert.Equal(["", "lc_classifier_lsst", "stamp_classifier_lsst"], form.Field("lsst_classifier")!.Choices.Select(c => c.Value));
        Assert.Contains(new FieldChoice("AGN", "AGN (lc_classifier_lsst, stamp_classifier_lsst)"), form.Field("lsst_class")!.Choices);
        Assert.Contains(new FieldChoice("bogus", "bogus (stamp_classifier_lsst)"), form.Field("lsst_class")!.Choices);
        Assert.Null(form.Notice);
        Assert.True(result.IsValid);
        Assert.Contains(_fake.Requests, r => r.Uri.ToString() == LsstBase + "classifier_api/classifiers");
    }

    [Fact]
    public async Task GetFormAsync_LsstBaseUrlSetting_CallsThatService()
    {
        _fake.On(r => r.RequestUri!.Host == "lsst.example.org", _ => Json("classifiers.json"));

        await Broker(new() { ["lsst_base_url"] = "https://lsst.example.org/alerce" }).GetFormAsync(CancellationToken.None);

        Assert.Contains(_fake.Requests, r => r.Uri.ToString() == "https://lsst.example.org/alerce/classifier_api/classifiers");
    }

    [Fact]
    public async Task GetFormAsync_LsstListFails_NoticeNamesLsstAndZtfChoicesStay()
    {
        _fake.On(r => r.RequestUri!.AbsolutePath.EndsWith("/classifiers/", StringComparison.Ordinal),
            _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("alerce/classifiers.json")));

        var form = await Broker().GetFormAsync(CancellationToken.None);

        Assert.Contains("LSST classifier list could not be loaded", form.Notice, StringComparison.Ordinal);
        Assert.Equal(FieldKind.Text, form.Field("lsst_classifier")!.Kind);
        Assert.Equal(FieldKind.Choice, form.Field("lc_classifier")!.Kind);
    }

    [Fact]
    public async Task Clean_LsstWithZtfClassifierOrWildcardOid_Refused()
    {
        var result = await CleanAsync(("survey", "lsst"), ("lc_classifier", "SNIa"), ("oid", "1692984*"));

        Assert.Contains(AlerceForm.ZtfOnlyOnLsstMessage, result.Errors.For(FormErrors.FormWide));
        Assert.Contains(AlerceForm.LsstOidMessage, result.Errors.For("oid"));
    }

    [Fact]
    public async Task Clean_ZtfWithLsstClassifier_Refused()
    {
        var result = await CleanAsync(("lsst_classifier", "lc_classifier_lsst"));

        Assert.Contains(AlerceForm.LsstOnlyOnZtfMessage, result.Errors.For(FormErrors.FormWide));
    }

    [Fact]
    public async Task Clean_LsstClassOfAnotherClassifier_Refused()
    {
        var result = await CleanAsync(("survey", "lsst"), ("lsst_classifier", "lc_classifier_lsst"), ("lsst_class", "bogus"));

        Assert.Equal(["bogus is not a class of lc_classifier_lsst."], result.Errors.For("lsst_class"));
    }

    [Fact]
    public async Task Clean_LsstClassWithoutClassifier_AsksForIt()
    {
        var result = await CleanAsync(("survey", "lsst"), ("lsst_class", "SNIa"));

        Assert.Equal([AlerceForm.LsstClassifierNeededMessage], result.Errors.For("lsst_classifier"));
    }

    [Fact]
    public async Task Clean_ValidLsstQuery_KeepsTomKeys()
    {
        var result = await CleanAsync(("survey", "lsst"), ("lsst_classifier", "lc_classifier_lsst"), ("lsst_class", "SNIa"),
            ("lsst_probability", "0.5"), ("ndet", "3"), ("ra", "0"), ("dec", "0"), ("radius", "10"), ("order_mode", "DESC"));

        Assert.True(result.IsValid, string.Join(" ", result.Errors.ToDictionary().SelectMany(e => e.Value)));
        Assert.Equal("lsst", result.Parameters["survey"]!.GetValue<string>());
        Assert.Equal(3, result.Parameters["ndet"]!.GetValue<long>());
    }

    // ---- listing ----

    [Fact]
    public async Task FetchAlertsAsync_Lsst_SendsSurveyClassNameNdetRangesAndOrderToListObjects()
    {
        _fake.On(Lsst("object_api/list_objects"), _ => Json("list_objects_empty.json"));

        await FetchAsync(Lsst(("lsst_classifier", "lc_classifier_lsst"), ("lsst_class", "SNIa"), ("lsst_probability", 0.5),
            ("ndet", 3), ("firstmjd__lt", 61120.5), ("lastmjd__gt", 61100.0), ("lastmjd__lt", 61140.0),
            ("order_by", "ndet"), ("order_mode", "desc")));

        var uri = Assert.Single(_fake.Requests).Uri;
        Assert.StartsWith(LsstBase + "object_api/list_objects?", uri.ToString(), StringComparison.Ordinal);
        Assert.Equal(["lsst"], Values(uri, "survey"));
        Assert.Equal(["lc_classifier_lsst"], Values(uri, "classifier"));
        Assert.Equal(["SNIa"], Values(uri, "class_name"));
        Assert.Empty(Values(uri, "class"));
        Assert.Equal(["0.5"], Values(uri, "probability"));
        Assert.Equal(["3"], Values(uri, "n_det"));
        Assert.Empty(Values(uri, "ndet"));
        Assert.Equal(["0", "61120.5"], Values(uri, "firstmjd")); // a lone upper bound is a range from 0
        Assert.Equal(["61100", "61140"], Values(uri, "lastmjd"));
        Assert.Equal(["n_det"], Values(uri, "order_by"));
        Assert.Equal(["DESC"], Values(uri, "order_mode"));
        Assert.Equal(["1"], Values(uri, "page"));
        Assert.Empty(Values(uri, "count"));
    }

    [Fact]
    public async Task FetchAlertsAsync_LsstConeAtZero_SentAsZeroWithoutNudge()
    {
        _fake.On(Lsst("object_api/list_objects"), _ => Json("list_objects_empty.json"));

        await FetchAsync(Lsst(("ra", 0.0), ("dec", 0.0), ("radius", 30.0)));

        var uri = Assert.Single(_fake.Requests).Uri;
        Assert.Equal(["0"], Values(uri, "ra"));
        Assert.Equal(["0"], Values(uri, "dec"));
        Assert.Equal(["30"], Values(uri, "radius"));
    }

    [Fact]
    public async Task FetchAlertsAsync_NoSurvey_StaysOnZtfApi()
    {
        _fake.On(r => r.RequestUri!.AbsolutePath.EndsWith("/objects/", StringComparison.Ordinal),
            _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("alerce/objects_empty.json")));

        await FetchAsync(new JsonObject { ["ndet"] = 3 });

        var uri = Assert.Single(_fake.Requests).Uri;
        Assert.StartsWith("https://api.alerce.online/ztf/v1/objects/?", uri.ToString(), StringComparison.Ordinal);
        Assert.Equal(["3"], Values(uri, "ndet"));
    }

    [Fact]
    public async Task FetchAlertsAsync_HasNext_FollowsPagesAndKeepsBigIdsExact()
    {
        _fake.On(ListPage(1), _ => Json("list_objects_page1.json")).On(ListPage(2), _ => Json("list_objects_page2.json"));

        var items = await FetchAsync(Lsst(("lsst_classifier", "lc_classifier_lsst"), ("max_pages", 5)));

        Assert.Equal(2, _fake.Requests.Count); // has_next=false on page 2 ends it; total (rows fetched) is no count
        var broker = Broker();
        Assert.Equal([Oid, "169339871602065447", "169350124479135781"], items.Select(i => broker.ToGenericAlert(i).Id));
        Assert.Null(_feedback.Text);
    }

    [Fact]
    public async Task FetchAlertsAsync_ObjectOncePerClassifier_DeduplicatedByOid()
    {
        _fake.On(Lsst("object_api/list_objects"), _ => Json("list_objects_conesearch.json"));

        var items = await FetchAsync(Lsst(("ra", 150.31577), ("dec", 2.20943), ("radius", 30.0)));

        var broker = Broker();
        Assert.Equal([Oid, "169298433216610412"], items.Select(i => broker.ToGenericAlert(i).Name));
        Assert.Equal("lc_classifier_lsst", items[0]["classifier_name"]!.GetValue<string>()); // the first row is kept
    }

    [Fact]
    public async Task FetchAlertsAsync_LastPageWithMore_SaysSo()
    {
        _fake.On(ListPage(1), _ => Json("list_objects_page1.json"));

        var items = await FetchAsync(Lsst());

        Assert.Equal(2, items.Count);
        Assert.Contains("ALeRCE (LSST) has more", _feedback.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToGenericAlert_LsstItem_IdTextPositionTaiTimeClassAndExplorerUrl()
    {
        var item = JsonNode.Parse(Fixtures.Read("alerce_lsst/list_objects_page1.json"))!["items"]![0]!.AsObject();

        var alert = Broker().ToGenericAlert(item);

        Assert.Equal(Oid, alert.Id);
        Assert.Equal(Oid, alert.Name);
        Assert.Equal(150.31578312240114, alert.Ra);
        Assert.Equal(2.209495887710154, alert.Dec);
        Assert.Equal(AstroTime.FromMjd(61134.0734227) - TimeSpan.FromSeconds(37), alert.Timestamp);
        Assert.Equal("SNIa", alert.Classification);
        Assert.Equal(0.6214, alert.Score);
        Assert.Equal($"https://lsst.alerce.online/object/{Oid}?survey=lsst", alert.Url);
    }

    [Fact]
    public void ToTarget_LsstItem_NameIsDiaObjectIdWithClassExtras()
    {
        var item = JsonNode.Parse(Fixtures.Read("alerce_lsst/list_objects_page1.json"))!["items"]![0]!.AsObject();

        var target = Broker().ToTarget(item);

        Assert.Equal(Oid, target.Name);
        Assert.Equal("SNIa", target.Extras["class_name"]);
        Assert.Equal("6", target.Extras["n_det"]);
    }

    // ---- object and light curve ----

    [Fact]
    public async Task FetchAlertAsync_LsstId_ObjectWithProbabilitiesAsTargetExtras()
    {
        _fake.On(Lsst("object_api/object"), _ => Json("object_lsst.json"))
            .On(Lsst("probability_api/probability"), _ => Json("probability_lsst.json"));

        var obj = await Broker().FetchAlertAsync(Oid, CancellationToken.None);

        Assert.Equal($"{LsstBase}object_api/object?survey_id=lsst&oid={Oid}", _fake.Requests[0].Uri.ToString());
        Assert.Equal($"{LsstBase}probability_api/probability?oid={Oid}", _fake.Requests[1].Uri.ToString());
        var target = Broker().ToTarget(obj!);
        Assert.Equal(Oid, target.Name);
        Assert.Equal("SNIa (0.621)", target.Extras["lc_classifier_lsst"]);
        Assert.Equal("SN (0.813)", target.Extras["stamp_classifier_lsst"]);
    }

    [Fact]
    public async Task FetchAlertAsync_UnknownLsstObject_500DetailIsNotFound()
    {
        _fake.On(Lsst("object_api/object"), _ => Json("error_500_object_not_found.json", HttpStatusCode.InternalServerError));

        Assert.Null(await Broker().FetchAlertAsync("1", CancellationToken.None));
    }

    [Fact]
    public async Task FetchAlertAsync_NoProbabilities_ObjectStill()
    {
        _fake.On(Lsst("object_api/object"), _ => Json("object_lsst.json"))
            .On(Lsst("probability_api/probability"), _ => Json("error_404_probability_not_found.json", HttpStatusCode.NotFound));

        var obj = await Broker().FetchAlertAsync(Oid, CancellationToken.None);

        Assert.NotNull(obj);
        Assert.Null(obj["probabilities"]);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_LsstId_DetectionsAndForcedFromNanojanskyInTimeOrder()
    {
        _fake.On(Lsst("lightcurve_api/lightcurve"), _ => Json("lightcurve_lsst.json"));

        var points = await Broker().ProcessReducedDataAsync(Oid, null, CancellationToken.None);

        // The oid twice: one oid takes the server's path that returns at most 10 forced points.
        var uri = Assert.Single(_fake.Requests).Uri;
        Assert.Equal(["lsst"], Values(uri, "survey_id"));
        Assert.Equal([Oid, Oid], Values(uri, "oid"));
        Assert.Equal(11, points.Count);
        Assert.Equal(points.OrderBy(p => p.Timestamp).Select(p => p.Timestamp), points.Select(p => p.Timestamp));
        Assert.All(points, p => Assert.Equal("LSST", p.Survey));
        Assert.All(points, p => Assert.Equal("nJy", p.FluxUnit));

        var first = points.Single(p => p.SourceId == Oid && p.Kind == PhotometryKind.Detection);
        Assert.Equal("r", first.Bandpass);
        Assert.Equal(AstroTime.FromMjdTai(61102.1845312), first.Timestamp);
        Assert.Equal(AstroTime.FromMjd(61102.1845312) - TimeSpan.FromSeconds(37), first.Timestamp);
        Assert.Equal(2301.5522, first.Flux);
        Assert.Equal(22.995, first.Magnitude!.Value, 3);
        Assert.Equal(0.0619, first.MagnitudeError!.Value, 4);

        // The last diaSource is negative: a limit at three times its error, never a magnitude; its signed flux kept.
        var negative = points.Single(p => p.SourceId == "169489221640495148");
        Assert.Equal("u", negative.Bandpass);
        Assert.Null(negative.Magnitude);
        Assert.Equal(-1187.6284, negative.Flux);
        Assert.Equal(24.423, negative.Limit!.Value, 3);

        var forced = points.Where(p => p.Kind == PhotometryKind.Forced).ToList();
        Assert.Equal(5, forced.Count);
        var early = forced.Single(p => p.SourceId == "169260114020118530"); // S/N 0.7, before the first detection
        Assert.Equal("g", early.Bandpass);
        Assert.Null(early.Magnitude);
        Assert.Equal(25.008, early.Limit!.Value, 3);
        Assert.Equal(-42.6891, forced.Single(p => p.SourceId == "169260114061062146").Flux);
        Assert.NotNull(forced.Single(p => p.SourceId == "169386221305823262").Magnitude);
        Assert.Equal(6, points.Count(p => p.Kind != PhotometryKind.Forced));
    }

    // ---- errors ----

    [Theory]
    [InlineData("error_422_order_mode.json", 422, "ALeRCE (LSST) answered 422 Unprocessable Entity: search_filters: Order can be only DESC or ASC.")]
    [InlineData("error_422_missing_survey_id.json", 422, "ALeRCE (LSST) answered 422 Unprocessable Entity: survey_id: Field required")]
    [InlineData("error_400_invalid_survey.json", 400, "ALeRCE (LSST) answered 400 Bad Request: Invalid survey ID 'rubin'. Allowed surveys are: ztf, lsst")]
    public async Task FetchAlertsAsync_FastApiDetail_ReadableMessage(string fixture, int status, string message)
    {
        _fake.On(Lsst("object_api/list_objects"), _ => Json(fixture, (HttpStatusCode)status));

        var error = await Assert.ThrowsAsync<BrokerHttpException>(() => FetchAsync(Lsst(("order_mode", "DESC"))));

        Assert.Equal(message, error.TechnicalDetail);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_ZtfId_UsesZtfApi()
    {
        _fake.On(r => r.RequestUri!.AbsolutePath.EndsWith("/lightcurve", StringComparison.Ordinal),
            _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("alerce/lightcurve_ZTF23abtfusv.json")));

        var points = await Broker().ProcessReducedDataAsync("ZTF23abtfusv", null, CancellationToken.None);

        Assert.StartsWith("https://api.alerce.online/ztf/v1/objects/ZTF23abtfusv/lightcurve", Assert.Single(_fake.Requests).Uri.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(points);
    }
}
