using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using TomAlerts.Brokers.Fink;
using TomAlerts.Brokers.Tests.Tns;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Tests.Fink;

/// <summary>The Fink broker, ZTF and LSST, replayed from the fink fixtures.</summary>
public sealed class FinkBrokerTests : IDisposable
{
    private const string Ztf = "https://api.ztf.fink-portal.org/api/v1/";
    private const string Lsst = "https://api.lsst.fink-portal.org/api/v1/";
    private const string LsstId = "169298433216610349";

    private static readonly DateTimeOffset Now = new(2023, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeBrokerHttp _fake = new();
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());

    public void Dispose() => _cache.Dispose();

    private FinkBroker Broker() => _fake.Broker<FinkBroker>(null, _cache, new InstantTimeProvider(Now), NullLogger<FinkBroker>.Instance);

    private FakeBrokerHttp Serve(string url, string fixture, HttpStatusCode status = HttpStatusCode.OK, string contentType = "application/json") =>
        _fake.On(r => r.RequestUri!.AbsoluteUri == url, _ => FakeBrokerHttp.Respond(status, Fixtures.Read("fink/" + fixture), contentType));

    private static JsonObject Query(params (string Key, string? Value)[] fields)
    {
        var parameters = new JsonObject { ["objectId"] = null, ["conesearch"] = null, ["classsearch"] = null, ["classsearchdate"] = null, ["tag"] = null };
        foreach (var (key, value) in fields)
        {
            parameters[key] = value;
        }
        return parameters;
    }

    private async Task<(List<JsonObject> Alerts, FetchFeedback Feedback)> FetchAsync(JsonObject parameters)
    {
        var feedback = new FetchFeedback();
        return (await Broker().FetchAlertsAsync(parameters, feedback, CancellationToken.None).ToListAsync(), feedback);
    }

    private void AssertPosted(string url, string body)
    {
        var request = Assert.Single(_fake.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(url, request.Uri.AbsoluteUri);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), JsonNode.Parse(request.Body!)), request.Body);
    }

    [Fact]
    public async Task FetchAlertsAsync_ZtfObject_PostsTheColumnsAndGivesOneAlertWithTheNewestValues()
    {
        Serve(Ztf + "objects", "objects_ZTF23abtfusv_columns.json");

        var (alerts, _) = await FetchAsync(Query(("objectId", "ZTF23abtfusv")));

        AssertPosted(Ztf + "objects", $$"""{"objectId":"ZTF23abtfusv","columns":"{{FinkBroker.ZtfColumns}}"}""");
        var alert = Assert.Single(alerts);
        Assert.Equal(3, (int)alert["num_alerts"]!);
        var generic = Broker().ToGenericAlert(alert);
        Assert.Equal("ZTF23abtfusv", generic.Id);
        Assert.Equal("ZTF23abtfusv", generic.Name);
        Assert.Equal(0.812, generic.Score);
        Assert.Equal(19.7024707794, generic.Mag);
        Assert.Equal(150.3157691111, generic.Ra);
        Assert.Equal(AstroTime.FromJd(2460282.79437), generic.Timestamp);
        Assert.Equal("https://ztf.fink-portal.org/ZTF23abtfusv", generic.Url);
        Assert.Null(generic.Classification); // d:cdsxmatch "Unknown" is no class
        Assert.False(Broker().IsSummary(alert));
        Assert.Equal("3", Broker().ToTarget(alert).Extras["num_alerts"]);
    }

    [Fact]
    public async Task FetchAlertsAsync_ZtfConeInSexagesimal_PostsDegreesAndGivesAnAlertPerObject()
    {
        Serve(Ztf + "conesearch", "conesearch_ztf.json");

        var (alerts, _) = await FetchAsync(Query(("conesearch", "10:01:15.7848, +02:12:33.948, 30")));

        var body = JsonNode.Parse(Assert.Single(_fake.Requests).Body!)!;
        Assert.Equal(150.31577, (double)body["ra"]!, 6);
        Assert.Equal(2.20943, (double)body["dec"]!, 6);
        Assert.Equal(30, (double)body["radius"]!);
        Assert.Equal(FinkBroker.ZtfColumns, (string)body["columns"]!);
        Assert.Equal(["ZTF23abtfusv", "ZTF18aazmwqk"], alerts.Select(a => Broker().ToGenericAlert(a).Id));
    }

    [Fact]
    public async Task FetchAlertsAsync_ConeWithADateWindow_SendsStartdateAndWindow()
    {
        Serve(Ztf + "conesearch", "conesearch_empty.json");

        var parameters = Query(("conesearch", "150.31577, 2.20943, 5"), ("startdate", "2023-11-01"));
        parameters["window"] = 10.0;
        var (alerts, feedback) = await FetchAsync(parameters);

        AssertPosted(Ztf + "conesearch", $$"""{"ra":150.31577,"dec":2.20943,"radius":5,"columns":"{{FinkBroker.ZtfColumns}}","startdate":"2023-11-01 00:00:00","window":10}""");
        Assert.Empty(alerts);
        Assert.Equal("Fink found no alerts for this query.", feedback.Text);
    }

    [Fact]
    public async Task FetchAlertsAsync_ClassSearch_AsksLatestsAndClassifiesByTheClass()
    {
        Serve(Ztf + "latests", "latests_early_sn_ia.json");

        var (alerts, _) = await FetchAsync(Query(("classsearch", "Early SN Ia candidate, 2")));

        AssertPosted(Ztf + "latests", $$"""{"class":"Early SN Ia candidate","n":2,"columns":"{{FinkBroker.ZtfColumns}}"}""");
        Assert.Equal(2, alerts.Count);
        var generic = Broker().ToGenericAlert(alerts[0]);
        Assert.Equal("Early SN Ia candidate", generic.Classification);
        Assert.Equal(0.803, generic.Score);
        // The row came without a position: a target is made from the object.
        Assert.True(Broker().IsSummary(alerts[0]));
    }

    [Fact]
    public async Task FetchAlertsAsync_ClassSearchByDate_AsksTheLastDaysUpToAThousandAlerts()
    {
        Serve(Ztf + "latests", "latests_early_sn_ia.json");

        await FetchAsync(Query(("classsearchdate", "Early SN Ia candidate, 1.5")));

        AssertPosted(Ztf + "latests", $$"""
            {"class":"Early SN Ia candidate","n":1000,"columns":"{{FinkBroker.ZtfColumns}}","startdate":"2023-11-19 00:00:00","stopdate":"2023-11-20 12:00:00"}
            """);
    }

    [Fact]
    public async Task FetchAlertsAsync_LsstTag_KeepsTheBigIdsExact()
    {
        Serve(Lsst + "tags", "lsst_tags_early_snia_candidate.json");

        var (alerts, _) = await FetchAsync(Query(("survey", "lsst"), ("tag", "early_snia_candidate"), ("n", "2")));

        AssertPosted(Lsst + "tags", $$"""{"tag":"early_snia_candidate","columns":"{{FinkBroker.LsstAlertColumns}}","n":2}""");
        var generic = alerts.Select(Broker().ToGenericAlert).ToList();
        Assert.Equal([LsstId, "169339871602065447"], generic.Select(a => a.Id));
        Assert.Equal(0.7817, generic[0].Score);
        Assert.Equal("early_snia_candidate", generic[0].Classification);
        Assert.Equal($"https://lsst.fink-portal.org/{LsstId}", generic[0].Url);
        Assert.Equal(AstroTime.FromMjdTai(61110.1512947), generic[0].Timestamp);
        Assert.Equal(FluxMagnitudes.Magnitude(4021.7041), generic[0].Mag!.Value, 9);
    }

    [Fact]
    public async Task FetchAlertsAsync_LsstCone_AsksTheLsstApi()
    {
        Serve(Lsst + "conesearch", "lsst_conesearch.json");

        var (alerts, _) = await FetchAsync(Query(("survey", "lsst"), ("conesearch", "150.31577, 2.20943, 5")));

        AssertPosted(Lsst + "conesearch", $$"""{"ra":150.31577,"dec":2.20943,"radius":5,"columns":"{{FinkBroker.LsstAlertColumns}}"}""");
        var generic = Broker().ToGenericAlert(Assert.Single(alerts));
        Assert.Equal(LsstId, generic.Id);
        Assert.Equal(150.3157844, generic.Ra);
        Assert.Null(generic.Mag); // a negative difference flux has no magnitude
    }

    [Fact]
    public async Task FetchAlertAsync_LsstId_PostsItAsAStringAndReadsTheDiaObject()
    {
        Serve(Lsst + "objects", "lsst_objects.json");

        var alert = await Broker().FetchAlertAsync(LsstId, CancellationToken.None);

        AssertPosted(Lsst + "objects", $$"""{"diaObjectId":"{{LsstId}}","columns":"{{FinkBroker.LsstObjectColumns}}"}""");
        var target = Broker().ToTarget(alert!);
        Assert.Equal(LsstId, target.Name);
        Assert.Equal(150.31578312240114, target.Ra);
        Assert.Equal("6", target.Extras["nDiaSources"]);
        Assert.Equal(AstroTime.FromMjdTai(61134.0734227), Broker().ToGenericAlert(alert!).Timestamp);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_Ztf_AsksForUpperLimitsAsTextAndGivesDetectionsAndLimits()
    {
        Serve(Ztf + "objects", "objects_ZTF23abtfusv_withupperlim.json");

        var points = await Broker().ProcessReducedDataAsync("ZTF23abtfusv", null, CancellationToken.None);

        AssertPosted(Ztf + "objects", $$"""{"objectId":"ZTF23abtfusv","columns":"{{FinkBroker.ZtfLightCurveColumns}}","withupperlim":"True"}""");
        Assert.Equal(6, points.Count);
        var detections = points.Where(p => p.Kind == PhotometryKind.Detection).ToList();
        Assert.Equal(["2516310653715015008", "2522302183715015001", "2528294363715015002"], detections.Select(p => p.SourceId));
        Assert.Equal(["g", "r", "g"], detections.Select(p => p.Bandpass));
        Assert.Equal(0.0694743916, detections[0].MagnitudeError);
        var limits = points.Where(p => p.Kind == PhotometryKind.Limit).ToList();
        Assert.Equal([20.7391, 20.0190505981, 19.4187831879], limits.Select(p => p.Limit!.Value));
        Assert.All(limits, p => Assert.Null(p.Magnitude));
        Assert.All(points, p => Assert.Equal("ZTF", p.Survey));
        Assert.Equal(AstroTime.FromJd(2460237.93931), points[0].Timestamp);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_Lsst_GivesSourcesAndForcedPhotometryInUtc()
    {
        Serve(Lsst + "sources", "lsst_sources.json");
        Serve(Lsst + "fp", "lsst_fp.json");

        var points = await Broker().ProcessReducedDataAsync(LsstId, null, CancellationToken.None);

        Assert.Equal([Lsst + "sources", Lsst + "fp"], _fake.Requests.Select(r => r.Uri.AbsoluteUri));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"diaObjectId":"{{LsstId}}","columns":"{{FinkBroker.LsstSourceColumns}}"}"""), JsonNode.Parse(_fake.Requests[0].Body!)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"diaObjectId":"{{LsstId}}","columns":"{{FinkBroker.LsstForcedColumns}}"}"""), JsonNode.Parse(_fake.Requests[1].Body!)));
        Assert.Equal(11, points.Count);
        Assert.All(points, p => Assert.Equal("LSST", p.Survey));
        var detections = points.Where(p => p.SourceId is not null).ToList();
        Assert.Equal(6, detections.Count);
        Assert.Contains(detections, p => p.SourceId == "169489221640495148" && p.Flux == -1187.6284 && p.Magnitude is null);
        Assert.Equal(5, points.Count(p => p.Kind == PhotometryKind.Forced));
        var first = detections.Single(p => p.SourceId == "169298433257553935");
        Assert.Equal(AstroTime.FromMjd(61102.2021583) - TimeSpan.FromSeconds(37), first.Timestamp);
        Assert.Equal(FluxMagnitudes.Magnitude(2688.9104), first.Magnitude!.Value, 9);
        Assert.Equal("nJy", first.FluxUnit);
        Assert.Contains(points, p => p.Kind == PhotometryKind.Forced && p.Flux == -42.6891 && p.Magnitude is null);
    }

    [Theory]
    [InlineData(Ztf + "objects", "error_400_missing_objectId.txt", "Fink answered 400 Bad Request: A value for `objectId` is required. See https://api.ztf.fink-portal.org")]
    [InlineData(Lsst + "sources", "error_400_lsst_missing_diaObjectId.txt", "Fink (LSST) answered 400 Bad Request: A value for `diaObjectId` is required. See https://api.ztf.fink-portal.org")]
    [InlineData(Ztf + "conesearch", "error_400_radius_too_large.txt", "Fink answered 400 Bad Request: `radius` cannot be bigger than 18,000 arcseconds (5 degrees).")]
    [InlineData(Lsst + "tags", "error_400_lsst_invalid_tag.txt", "Fink (LSST) answered 400 Bad Request: early_sn is not a valid tag. Here is the list of tags: ['cataloged', 'early_snia_candidate',")]
    public async Task Failures_400Bodies_AreReadableMessages(string url, string fixture, string message)
    {
        Serve(url, fixture, HttpStatusCode.BadRequest, "text/html");
        var parameters = url.EndsWith("objects", StringComparison.Ordinal) ? Query(("objectId", "ZTF23abtfusv"))
            : url.EndsWith("conesearch", StringComparison.Ordinal) ? Query(("conesearch", "150.3, 2.2, 5"))
            : Query(("survey", "lsst"), ("tag", "early_sn"));

        var error = await Assert.ThrowsAsync<BrokerHttpException>(() => url.EndsWith("sources", StringComparison.Ordinal)
            ? Broker().ProcessReducedDataAsync(LsstId, null, CancellationToken.None)
            : FetchAsync(parameters));

        Assert.StartsWith(message, error.TechnicalDetail, StringComparison.Ordinal);
        Assert.DoesNotContain("\\n", error.TechnicalDetail, StringComparison.Ordinal);
        Assert.DoesNotContain("'status'", error.TechnicalDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetFormAsync_TagList_OffersTheTagsTheApiSearches()
    {
        _fake.On(r => r.Method == HttpMethod.Get && r.RequestUri!.AbsoluteUri == Lsst + "tags", _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("fink/lsst_tags_list.json")));

        var form = await Broker().GetFormAsync(CancellationToken.None);

        var tag = form.Field("tag")!;
        Assert.Equal(FieldKind.Choice, tag.Kind);
        Assert.Contains(tag.Choices, c => c.Value == "early_snia_candidate");
        Assert.DoesNotContain(tag.Choices, c => c.Value == "hostless_candidate"); // "API support": false
        Assert.Null(form.Notice);
    }

    [Fact]
    public async Task GetFormAsync_TagListUnreachable_MakesTagTextAndSaysSo()
    {
        var form = await Broker().GetFormAsync(CancellationToken.None);

        Assert.Equal(FieldKind.Text, form.Field("tag")!.Kind);
        Assert.Contains("tag list could not be loaded", form.Notice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ztf", "objectId", "ZTF23abtfusv", "conesearch", "150, 2, 5", "conesearch")]
    [InlineData("ztf", "tag", "in_tns", null, null, "tag")]
    [InlineData("lsst", "classsearch", "Early SN Ia candidate, 10", null, null, "classsearch")]
    [InlineData("lsst", "objectId", "ZTF23abtfusv", null, null, "objectId")]
    [InlineData("ztf", "conesearch", "150, 2", null, null, "conesearch")]
    [InlineData("ztf", "conesearch", "150, 2, 20000", null, null, "conesearch")]
    [InlineData("ztf", "classsearch", "Early SN Ia candidate", null, null, "classsearch")]
    [InlineData("ztf", "conesearch", "150, 2, 5", "startdate", "2023-11-01", "window")]
    [InlineData("lsst", "conesearch", "150, 2, 5", "startdate", "2023-11-01", "startdate")]
    [InlineData("ztf", "objectId", "ZTF23abtfusv", "n", "5", "n")]
    public async Task Clean_FieldsThatDoNotGoTogether_SaysSoBesideTheField(string survey, string field, string value, string? other, string? otherValue, string errorField)
    {
        var form = await Broker().GetFormAsync(CancellationToken.None);
        var input = new Dictionary<string, string?> { ["query_name"] = "q", ["survey"] = survey, [field] = value };
        if (other is not null)
        {
            input[other] = otherValue;
        }

        var result = form.Clean("Fink", input);

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Errors.For(errorField));
    }

    [Theory]
    [InlineData("ztf", "conesearch", "18h05m33.942s, +45d15m16.25s, 5")]
    [InlineData("ztf", "objectId", "ZTF23abtfusv, ZTF18aazmwqk")]
    [InlineData("ztf", "classsearchdate", "(TNS) SN Ia, 3")]
    [InlineData("lsst", "objectId", LsstId)]
    [InlineData("lsst", "tag", "in_tns")]
    public async Task Clean_OneSearch_IsValid(string survey, string field, string value)
    {
        var form = await Broker().GetFormAsync(CancellationToken.None);

        var result = form.Clean("Fink", new Dictionary<string, string?> { ["query_name"] = "q", ["survey"] = survey, [field] = value });

        Assert.True(result.IsValid, string.Join(" ", result.Errors.ToDictionary().SelectMany(e => e.Value)));
    }

    [Fact]
    public async Task ConeParameters_AreAZtfConeTheBrokerRuns()
    {
        Serve(Ztf + "conesearch", "conesearch_ztf.json");

        var (alerts, _) = await FetchAsync(Broker().ConeParameters(150.31577, 2.20943, 30));

        AssertPosted(Ztf + "conesearch", $$"""{"ra":150.31577,"dec":2.20943,"radius":30,"columns":"{{FinkBroker.ZtfColumns}}"}""");
        Assert.Equal(2, alerts.Count);
    }

    [Theory]
    [InlineData("169298433216610349", "169298433216610349")]
    [InlineData("\"169298433216610349\"", "169298433216610349")]
    [InlineData("1.6929843321661035e+17", "169298433216610350")]
    [InlineData("-1", "-1")]
    public void ExactId_ReadsTheIdAsWritten(string json, string id)
    {
        Assert.Equal(id, FinkRows.ExactId(JsonNode.Parse(json)));
    }
}
