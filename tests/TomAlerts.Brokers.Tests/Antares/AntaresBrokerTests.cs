using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using TomAlerts.Brokers.Antares;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Tests;

public sealed class AntaresBrokerTests : IDisposable
{
    private const string Base = "https://api.antares.noirlab.edu/v1/";
    private const string EsKey = "elasticsearch_query[locus_listing]";

    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly FakeBrokerHttp _fake = new();
    private readonly FetchFeedback _feedback = new();

    public void Dispose()
    {
        _cache.Dispose();
        _fake.Dispose();
    }

    private AntaresBroker Broker() => _fake.Broker<AntaresBroker>(null, _cache, NullLogger<AntaresBroker>.Instance);

    private static HttpResponseMessage Json(string fixture, HttpStatusCode status = HttpStatusCode.OK) =>
        FakeBrokerHttp.Respond(status, Fixtures.Read($"antares/{fixture}"));

    private static Func<HttpRequestMessage, bool> Path(string path) => r => r.RequestUri!.AbsolutePath == "/v1/" + path;

    private static Func<HttpRequestMessage, bool> Offset(string? offset) =>
        r => r.RequestUri!.AbsolutePath == "/v1/loci" && Query(r.RequestUri).GetValueOrDefault("page[offset]") == offset;

    private static Dictionary<string, string> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString((p.Length > 1 ? p[1] : "").Replace('+', ' ')));

    /// <summary>The Elasticsearch query a request sent, as compact JSON.</summary>
    private static string EsQuery(RecordedRequest request) => JsonNode.Parse(Query(request.Uri)[EsKey])!.ToJsonString();

    private async Task<List<JsonObject>> FetchAsync(JsonObject parameters) =>
        await Broker().FetchAlertsAsync(parameters, _feedback, CancellationToken.None).ToListAsync();

    private async Task<FormResult> CleanAsync(params (string Key, string? Value)[] input)
    {
        _fake.On(Path("loci/statistics"), _ => Json("loci_statistics_tags.json"));
        var form = await Broker().GetFormAsync(CancellationToken.None);
        var values = input.ToDictionary(i => i.Key, i => i.Value);
        values[BrokerForm.QueryNameField] = "test query";
        return form.Clean("ANTARES", values);
    }

    private static JsonObject Listing(string fixture, int index = 0) =>
        JsonNode.Parse(Fixtures.Read($"antares/{fixture}"))!["data"]![index]!.AsObject();

    private void MapLocus()
    {
        _fake.On(Path("loci/ANT2023ch7kxe"), _ => Json("locus_ANT2023ch7kxe.json"));
        _fake.On(Path("loci/ANT2023ch7kxe/catalog-matches"), _ => Json("catalog_matches_ANT2023ch7kxe.json"));
    }

    // ---- form ----

    [Fact]
    public async Task GetFormAsync_TagsLoaded_OffersTheStatisticsKeysAndCachesThem()
    {
        _fake.On(Path("loci/statistics"), _ => Json("loci_statistics_tags.json"));

        var form = await Broker().GetFormAsync(CancellationToken.None);
        await Broker().GetFormAsync(CancellationToken.None);

        Assert.Null(form.Notice);
        Assert.Equal(FieldKind.Choice, form.Field("tag")!.Kind);
        Assert.Equal(["", "extragalactic", "high_snr", "in_tns", "lc_feature_extractor", "lsst_scimma_quality_transient", "nuclear_transient",
            "refitt_newsources_snrcut", "young_extragalactic_candidate"], form.Field("tag")!.Choices.Select(c => c.Value));
        Assert.Equal(Base + "loci/statistics", _fake.Requests.Single().Uri.ToString());
        Assert.Equal(["ztfid", "antid", "tag", "nobs__gt", "nobs__lt", "mjd__gt", "mjd__lt", "mag__min", "mag__max", "ra", "dec", "sr", "esquery", "max_alerts"],
            form.Fields.Select(f => f.Name));
        Assert.Contains("degrees", form.Field("sr")!.HelpText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetFormAsync_TagsUnreachable_TagIsTextAndTheFormSaysWhy()
    {
        _fake.On(Path("loci/statistics"), _ => FakeBrokerHttp.Respond(HttpStatusCode.BadGateway, "<html>Bad Gateway</html>", "text/html"));

        var form = await Broker().GetFormAsync(CancellationToken.None);

        Assert.Equal(FieldKind.Text, form.Field("tag")!.Kind);
        Assert.Contains("ANTARES had a problem of its own (HTTP 502)", form.Notice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("{\"query\": ")]
    [InlineData("\"query\"")]
    [InlineData("{\"query\": {}, \"aggs\": {}}")]
    [InlineData("{\"query\": []}")]
    public async Task Clean_EsQueryNotAQueryObject_ErrorBesideTheField(string esquery)
    {
        var result = await CleanAsync(("esquery", esquery));

        Assert.Equal([AntaresForm.EsQueryShapeMessage], result.Errors.For("esquery"));
    }

    [Fact]
    public async Task Clean_EsQueryWithOtherFilters_SaysItIsSentAlone()
    {
        var result = await CleanAsync(("esquery", "{\"query\": {\"match_all\": {}}}"), ("tag", "in_tns"));

        Assert.Equal([AntaresForm.EsQueryAloneMessage], result.Errors.For("esquery"));
    }

    [Fact]
    public async Task Clean_LocusIdWithFilters_SaysItLooksUpOneLocus()
    {
        var result = await CleanAsync(("antid", "ANT2023ch7kxe"), ("nobs__gt", "3"));

        Assert.Equal([AntaresForm.LocusAloneMessage], result.Errors.For("antid"));
    }

    [Fact]
    public async Task Clean_NothingToSearchBy_FormWideError()
    {
        var result = await CleanAsync(("max_alerts", "20"));

        Assert.Equal([AntaresForm.NothingMessage], result.Errors.For(FormErrors.FormWide));
    }

    [Fact]
    public async Task Clean_PartOfACone_FormWideError()
    {
        var result = await CleanAsync(("ra", "150.3"), ("sr", "0.01"));

        Assert.Equal([AntaresForm.ConeMessage], result.Errors.For(FormErrors.FormWide));
    }

    [Fact]
    public async Task Clean_SexagesimalSouthernCone_IsDegrees()
    {
        var result = await CleanAsync(("ra", "10:01:15.8"), ("dec", "-02:12:34"), ("sr", "0.5"));

        Assert.True(result.IsValid, string.Join(" ", result.Errors.ToDictionary().SelectMany(e => e.Value)));
        Assert.Equal(150.3158, result.Parameters.GetDouble("ra")!.Value, 4);
        Assert.Equal(-2.2094, result.Parameters.GetDouble("dec")!.Value, 4);
    }

    [Fact]
    public async Task Clean_RangesTheWrongWayRound_ErrorBesideTheUpperField()
    {
        var result = await CleanAsync(("nobs__gt", "10"), ("nobs__lt", "5"), ("mjd__gt", "60300"), ("mjd__lt", "60200"), ("mag__min", "20"), ("mag__max", "19"));

        Assert.Single(result.Errors.For("nobs__lt"));
        Assert.Single(result.Errors.For("mjd__lt"));
        Assert.Single(result.Errors.For("mag__max"));
    }

    [Fact]
    public async Task Clean_UnknownTag_IsNotAChoice()
    {
        var result = await CleanAsync(("tag", "no_such_tag"));

        Assert.True(result.Errors.Has("tag"));
    }

    // ---- search ----

    [Fact]
    public async Task FetchAlertsAsync_Cone_SendsSkyDistanceAndFollowsLinksNextOnTheService()
    {
        _fake.On(Offset(null), _ => Json("loci_cone_page1.json")).On(Offset("2"), _ => Json("loci_cone_page2.json"));

        var loci = await FetchAsync(new JsonObject { ["ra"] = 150.31577, ["dec"] = 2.20943, ["sr"] = 1 / 120.0 });

        Assert.Equal(["ANT2023ch7kxe", "ANT2026c4xk2q7mwe9t", "ANT2018c7nq4ly"], loci.Select(l => (string)l["id"]!));
        Assert.Equal(2, _fake.Requests.Count);
        var first = _fake.Requests[0];
        Assert.Equal("/v1/loci", first.Uri.AbsolutePath);
        Assert.Equal("-properties.newest_alert_observation_time", Query(first.Uri)["sort"]);
        Assert.Contains("elasticsearch_query%5Blocus_listing%5D=", first.Uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("""{"query":{"bool":{"filter":[{"sky_distance":{"distance":"0.008333333333333333 degree","htm16":{"center":"150.31577 2.20943"}}}]}}}""",
            EsQuery(first));
        // The server's link says http://; the request stays on the configured https service.
        Assert.StartsWith(Base + "loci?", _fake.Requests[1].Uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("2", Query(_fake.Requests[1].Uri)["page[limit]"]);
        Assert.Null(_feedback.Text);
    }

    [Fact]
    public async Task ConeParameters_AreADegreesConeTheBrokerSearches()
    {
        _fake.On(Offset(null), _ => Json("loci_cone_page1.json")).On(Offset("2"), _ => Json("loci_cone_page2.json"));

        var loci = await FetchAsync(Broker().ConeParameters(150.31577, 2.20943, 30));

        Assert.Equal("""{"query":{"bool":{"filter":[{"sky_distance":{"distance":"0.008333333333333333 degree","htm16":{"center":"150.31577 2.20943"}}}]}}}""",
            EsQuery(_fake.Requests[0]));
        Assert.Equal(3, loci.Count);
    }

    [Fact]
    public async Task FetchAlertsAsync_MaxAlertsReached_StopsWithoutTheNextPageAndSaysSo()
    {
        _fake.On(Offset(null), _ => Json("loci_cone_page1.json"));

        var loci = await FetchAsync(new JsonObject { ["ra"] = 150.31577, ["dec"] = 2.20943, ["sr"] = 1 / 120.0, ["max_alerts"] = 2 });

        Assert.Equal(2, loci.Count);
        Assert.Single(_fake.Requests);
        Assert.Equal("Stopped after 2 loci of 3; raise the maximum number of loci or narrow the query.", _feedback.Text);
    }

    [Fact]
    public async Task FetchAlertsAsync_LocusRepeatedOnTheNextPage_ComesOnce()
    {
        var page2 = JsonNode.Parse(Fixtures.Read("antares/loci_cone_page2.json"))!;
        page2["data"]!.AsArray().Insert(0, Listing("loci_cone_page1.json").DeepClone());
        _fake.On(Offset(null), _ => Json("loci_cone_page1.json")).On(Offset("2"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, page2.ToJsonString()));

        var loci = await FetchAsync(new JsonObject { ["tag"] = "lsst_scimma_quality_transient" });

        Assert.Equal(["ANT2023ch7kxe", "ANT2026c4xk2q7mwe9t", "ANT2018c7nq4ly"], loci.Select(l => (string)l["id"]!));
    }

    [Fact]
    public async Task FetchAlertsAsync_Filters_BuildTheBoolFilterQuery()
    {
        _fake.On(Path("loci"), _ => Json("loci_by_ztf_object_id.json"));

        var loci = await FetchAsync(new JsonObject
        {
            ["ztfid"] = "ZTF23abtfusv", ["tag"] = "extragalactic", ["nobs__gt"] = 3, ["nobs__lt"] = 40, ["mjd__gt"] = 60200.5, ["mjd__lt"] = 60300,
            ["mag__min"] = 18, ["mag__max"] = 21.5, ["esquery"] = null,
        });

        Assert.Equal("ANT2023ch7kxe", (string)loci.Single()["id"]!);
        Assert.Equal(
            """{"query":{"bool":{"filter":[{"term":{"properties.ztf_object_id":"ZTF23abtfusv"}},{"range":{"properties.num_mag_values":{"gte":3,"lte":40}}},"""
            + """{"range":{"properties.oldest_alert_observation_time":{"gte":60200.5}}},{"range":{"properties.newest_alert_observation_time":{"lte":60300}}},"""
            + """{"range":{"properties.newest_alert_magnitude":{"gte":18,"lte":21.5}}},{"terms":{"tags":["extragalactic"]}}]}}}""",
            EsQuery(_fake.Requests.Single()));
    }

    [Fact]
    public async Task FetchAlertsAsync_EsQuery_SentAsItIs()
    {
        _fake.On(Path("loci"), _ => Json("loci_empty.json"));

        var loci = await FetchAsync(new JsonObject { ["esquery"] = """{"query": {"bool": {"filter": {"term": {"properties.survey.lsst.dia_object_id": "1"}}}}}""" });

        Assert.Empty(loci);
        Assert.Equal("""{"query":{"bool":{"filter":{"term":{"properties.survey.lsst.dia_object_id":"1"}}}}}""", EsQuery(_fake.Requests.Single()));
        Assert.Equal("No ANTARES loci matched the query.", _feedback.Text);
    }

    [Fact]
    public async Task FetchAlertsAsync_LocusId_GivesTheLocusWithItsCatalogMatches()
    {
        MapLocus();

        var locus = (await FetchAsync(new JsonObject { ["antid"] = "ANT2023ch7kxe" })).Single();

        Assert.Equal([Base + "loci/ANT2023ch7kxe", Base + "loci/ANT2023ch7kxe/catalog-matches"], _fake.Requests.Select(r => r.Uri.ToString()));
        Assert.Equal(2, locus["attributes"]!["catalog_matches"]!.AsArray().Count);
        Assert.False(Broker().IsSummary(locus));
    }

    [Fact]
    public async Task FetchAlertsAsync_UnknownLocusId_SaysSo()
    {
        _fake.On(Path("loci/ANT2099zzzzzzzzzzzz"), _ => Json("error_404_locus.json", HttpStatusCode.NotFound));

        Assert.Empty(await FetchAsync(new JsonObject { ["antid"] = "ANT2099zzzzzzzzzzzz" }));
        Assert.Equal("ANTARES has no locus ANT2099zzzzzzzzzzzz.", _feedback.Text);
    }

    [Fact]
    public async Task FetchAlertAsync_Unknown_IsNull()
    {
        _fake.On(Path("loci/ANT2099zzzzzzzzzzzz"), _ => Json("error_404_locus.json", HttpStatusCode.NotFound));

        Assert.Null(await Broker().FetchAlertAsync("ANT2099zzzzzzzzzzzz", CancellationToken.None));
    }

    [Fact]
    public async Task FetchAlertsAsync_ServerError_IsReadableInTheServersWords()
    {
        _fake.On(Path("loci"), _ => FakeBrokerHttp.Respond(HttpStatusCode.BadRequest,
            """{"errors": [{"status": "400", "title": "Bad Request", "detail": "Invalid elasticsearch query"}]}"""));

        var error = await Assert.ThrowsAsync<BrokerHttpException>(() => FetchAsync(new JsonObject { ["tag"] = "in_tns" }));

        Assert.Equal("ANTARES answered 400 Bad Request: Invalid elasticsearch query", error.TechnicalDetail);
    }

    // ---- reading loci ----

    [Fact]
    public void ToGenericAlert_ZtfAndLsstLocus_IsNamedByItsZtfId()
    {
        var alert = Broker().ToGenericAlert(Listing("loci_cone_page1.json"));

        Assert.Equal("ANT2023ch7kxe", alert.Id);
        Assert.Equal("ZTF23abtfusv", alert.Name);
        Assert.Equal((150.31577584166666, 2.209430991666667), (alert.Ra!.Value, alert.Dec!.Value));
        Assert.Equal(23.71329856, alert.Mag);
        // The newest alert is an LSST one: its MJD is TAI.
        Assert.Equal(AstroTime.FromMjdTai(61134.0734227), alert.Timestamp);
        Assert.Equal("extragalactic, high_snr, in_tns, lsst_scimma_quality_transient", alert.Classification);
        Assert.Equal("https://antares.noirlab.edu/loci/ANT2023ch7kxe", alert.Url);
    }

    [Fact]
    public void ToTarget_LsstOnlyLocus_IsNamedByItsExactDiaObjectId()
    {
        var listing = Listing("loci_cone_page1.json", 1);

        var target = Broker().ToTarget(listing);

        Assert.Equal("169375514096173140", target.Name);
        Assert.Equal(["ANT2026c4xk2q7mwe9t"], target.Aliases);
        Assert.True(Broker().IsSummary(listing));
    }

    [Fact]
    public async Task ToTarget_FetchedLocus_HasEverySurveyIdAndTheCatalogMatches()
    {
        MapLocus();

        var target = Broker().ToTarget((await Broker().FetchAlertAsync("ANT2023ch7kxe", CancellationToken.None))!);

        Assert.Equal("ZTF23abtfusv", target.Name);
        Assert.Equal(["ANT2023ch7kxe", "169298433216610349", "SN2023vjq", "2023vjq"], target.Aliases);
        Assert.Equal("SN 2023vjq", target.Extras["catalog:tns_public_objects"]);
        Assert.Equal("SDSS J100115.84+021232.9", target.Extras["catalog:sdss_gals"]);
        Assert.Equal("SN Ia", target.Extras["tns_type"]);
        Assert.Equal("0.0598", target.Extras["tns_redshift"]);
        Assert.Equal("extragalactic, high_snr, in_tns, lsst_scimma_quality_transient", target.Extras["antares_tags"]);
        Assert.NotNull(target.GalacticLat);
    }

    // ---- light curves ----

    [Fact]
    public async Task ProcessReducedDataAsync_ZtfAndLsstAlerts_GiveEachSurveysPoints()
    {
        _fake.On(Path("loci/ANT2023ch7kxe/alerts"), _ => Json("alerts_ANT2023ch7kxe_ztf_and_lsst.json"));

        var points = await Broker().ProcessReducedDataAsync("ANT2023ch7kxe", Listing("loci_cone_page1.json"), CancellationToken.None);

        Assert.Equal(Base + "loci/ANT2023ch7kxe/alerts", _fake.Requests.Single().Uri.ToString());
        Assert.Equal(4, points.Count);
        var (limit, detection, lsstR, lsstU) = (points[0], points[1], points[2], points[3]);
        Assert.Equal((PhotometryKind.Limit, "r", "ZTF", 20.739099502563477, AstroTime.FromMjd(60237.43931000028)),
            (limit.Kind, limit.Bandpass, limit.Survey, limit.Limit!.Value, limit.Timestamp));
        Assert.Null(limit.Magnitude);
        Assert.Equal((PhotometryKind.Detection, "r", "ZTF", 19.85526466369629, 0.10776325315237045, "2486412333715015000"),
            (detection.Kind, detection.Bandpass, detection.Survey, detection.Magnitude!.Value, detection.MagnitudeError!.Value, detection.SourceId));
        Assert.Equal((PhotometryKind.Detection, "r", "LSST", "169298433216610349", 2301.5522, "nJy"),
            (lsstR.Kind, lsstR.Bandpass, lsstR.Survey, lsstR.SourceId, lsstR.Flux!.Value, lsstR.FluxUnit));
        Assert.Equal(FluxMagnitudes.Magnitude(2301.5522), lsstR.Magnitude!.Value, 9);
        Assert.Equal(AstroTime.FromMjdTai(61102.1845312), lsstR.Timestamp);
        // Reported positive with isNegative: the flux is negative, so a limit and never a magnitude.
        Assert.Equal((PhotometryKind.Limit, "u", -1187.6284, "169489221640495148"), (lsstU.Kind, lsstU.Bandpass, lsstU.Flux!.Value, lsstU.SourceId));
        Assert.Null(lsstU.Magnitude);
        Assert.Equal(FluxMagnitudes.Magnitude(3 * 205.9463), lsstU.Limit!.Value, 9);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_LsstOnlyLocus_GivesLsstPointsWithExactSourceIds()
    {
        _fake.On(Path("loci/ANT2026c4xk2q7mwe9t/alerts"), _ => Json("alerts_ANT2026c4xk2q7mwe9t_lsst.json"));

        var points = await Broker().ProcessReducedDataAsync("ANT2026c4xk2q7mwe9t", null, CancellationToken.None);

        Assert.Equal(["169375514096173140", "169413579814912188", "169451002170400866"], points.Select(p => p.SourceId));
        Assert.All(points, p => Assert.Equal(("LSST", "nJy"), (p.Survey, p.FluxUnit)));
    }

    [Fact]
    public async Task ProcessReducedDataAsync_UnknownLocus_IsEmpty()
    {
        _fake.On(Path("loci/ANT2099zzzzzzzzzzzz/alerts"), _ => Json("error_404_locus.json", HttpStatusCode.NotFound));

        Assert.Empty(await Broker().ProcessReducedDataAsync("ANT2099zzzzzzzzzzzz", null, CancellationToken.None));
    }
}
