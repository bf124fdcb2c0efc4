using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Web;
using TomAlerts.Brokers.Lasair;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Tests.Lasair;

/// <summary>The Lasair broker's <c>survey=lsst</c>: Lasair's LSST service, replayed from the lasair_lsst fixtures.</summary>
public class LasairLsstBrokerTests
{
    private const string ZtfKey = "s3cr3tLasairToken42";
    private const string LsstKey = "lsstLasairToken0042";
    private const string LsstApi = "https://api.lasair.lsst.ac.uk/api/";
    private const string Id = "169298433216610349";
    private const string SecondId = "169298433216610412";

    private static readonly Dictionary<string, string?> Configured = new() { ["api_key"] = ZtfKey, ["lsst_api_key"] = LsstKey };

    private const string ListColumns = "objects.diaObjectId, objects.ra, objects.decl, objects.firstDiaSourceMjdTai, objects.lastDiaSourceMjdTai, "
                                       + "objects.latest_psfFlux, objects.u_psfFlux, objects.g_psfFlux, objects.r_psfFlux, objects.i_psfFlux, "
                                       + "objects.z_psfFlux, objects.y_psfFlux, objects.nDiaSources, objects.tns_name";

    private static JsonObject Cone(double ra = 150.31577, double dec = 2.20943, double radius = 30) =>
        new() { ["survey"] = "lsst", ["cone_ra"] = ra, ["cone_dec"] = dec, ["cone_radius"] = radius, ["sqlquery"] = null };

    private static JsonObject Sql(string sql) =>
        new() { ["survey"] = "lsst", ["cone_ra"] = null, ["cone_dec"] = null, ["cone_radius"] = "10", ["sqlquery"] = sql };

    private static JsonObject Fixture(string name) => JsonNode.Parse(Fixtures.Read("lasair_lsst/" + name))!.AsObject();

    private static async Task<List<JsonObject>> Fetch(IBroker broker, JsonObject parameters, FetchFeedback feedback) =>
        await broker.FetchAlertsAsync(parameters, feedback, CancellationToken.None).ToListAsync();

    private static System.Collections.Specialized.NameValueCollection Query(RecordedRequest request) => HttpUtility.ParseQueryString(request.Uri.Query);

    private static bool IsLsst(HttpRequestMessage request, string method) =>
        request.RequestUri!.AbsoluteUri.StartsWith(LsstApi + method, StringComparison.Ordinal);

    [Fact]
    public void Status_ZtfKeyOnly_IsConfiguredAndSaysLsstNeedsItsKey()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(new Dictionary<string, string?> { ["api_key"] = ZtfKey });

        Assert.True(broker.Status.IsConfigured);
        Assert.Equal("Configured for ZTF; LSST queries need BROKERS:LASAIR:lsst_api_key.", broker.Status.Note);
    }

    [Fact]
    public void Status_BothKeys_IsConfiguredWithoutANote()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);

        Assert.True(broker.Status.IsConfigured);
        Assert.Null(broker.Status.Note);
    }

    [Fact]
    public async Task FetchAlertsAsync_LsstWithoutItsKey_ThrowsNotConfiguredSayingWhatIsMissing()
    {
        var fake = new FakeBrokerHttp();
        var broker = fake.Broker<LasairBroker>(new Dictionary<string, string?> { ["api_key"] = ZtfKey });

        var error = await Assert.ThrowsAsync<BrokerNotConfiguredException>(() => Fetch(broker, Cone(), new FetchFeedback()));

        Assert.Equal(LasairBroker.LsstNotConfiguredMessage, error.Message);
        Assert.Contains("`lsst_api_key` in settings.BROKERS['LASAIR']", error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
        await Assert.ThrowsAsync<BrokerNotConfiguredException>(() => broker.FetchAlertAsync(Id, CancellationToken.None));
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task FetchAlertsAsync_ZtfWithOnlyTheLsstKey_StillAsksForTheZtfKey()
    {
        var fake = new FakeBrokerHttp();
        var broker = fake.Broker<LasairBroker>(new Dictionary<string, string?> { ["lsst_api_key"] = LsstKey });
        var ztf = Cone();
        ztf["survey"] = "ztf";

        var error = await Assert.ThrowsAsync<BrokerNotConfiguredException>(() => Fetch(broker, ztf, new FetchFeedback()));

        Assert.Equal(LasairBroker.NotConfiguredMessage, error.Message);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task FetchAlertsAsync_LsstCone_SendsTheConeThenOneQueryForAllHitsWithTheLsstTokenOnly()
    {
        var fake = new FakeBrokerHttp()
            .On(r => IsLsst(r, "cone/"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("lasair_lsst/cone_all.json")))
            .OnLsstQuery(LsstRows.Fixture().Append(LsstRows.Row(long.Parse(SecondId, CultureInfo.InvariantCulture), 150.3229, 2.2094)).ToList());
        var broker = fake.Broker<LasairBroker>(Configured);

        var alerts = await Fetch(broker, Cone(), new FetchFeedback());

        Assert.Equal(2, fake.Requests.Count);
        Assert.Equal(LsstApi + "cone/?ra=150.31577&dec=2.20943&radius=30&requestType=all&format=json", fake.Requests[0].Uri.AbsoluteUri);
        Assert.Equal(LsstApi + "query/", fake.Requests[1].Uri.GetLeftPart(UriPartial.Path));
        var query = Query(fake.Requests[1]);
        Assert.Equal(ListColumns, query["selected"]);
        Assert.Equal("objects", query["tables"]);
        Assert.Equal($"objects.diaObjectId IN ({Id}, {SecondId})", query["conditions"]);
        Assert.Equal("2", query["limit"]);
        Assert.Equal("0", query["offset"]);
        Assert.All(fake.Requests, r =>
        {
            Assert.Equal(HttpMethod.Get, r.Method);
            Assert.Equal("Token " + LsstKey, r.Headers["Authorization"]);
            Assert.DoesNotContain(ZtfKey, string.Join(" ", r.Headers.Values) + r.Uri.AbsoluteUri, StringComparison.Ordinal);
            Assert.DoesNotContain(LsstKey, r.Uri.AbsoluteUri, StringComparison.Ordinal);
        });
        // 18-digit ids above 2^53, exactly as sent (a double would give 169298433216610340 and …10410).
        Assert.Equal([Id, SecondId], alerts.Select(a => broker.ToGenericAlert(a).Id));
        Assert.All(alerts, a => Assert.Equal(18, broker.ToGenericAlert(a).Id.Length));
        Assert.Equal(0.2379598109, (double)alerts[0]["separation"]!);
        Assert.Equal(25.7586154574, (double)alerts[1]["separation"]!);
    }

    [Fact]
    public async Task FetchAlertsAsync_LsstConeHitWithoutARow_IsSkippedAndSaidSo()
    {
        var fake = new FakeBrokerHttp()
            .On(r => IsLsst(r, "cone/"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("lasair_lsst/cone_all.json")))
            .OnLsstQuery(LsstRows.Fixture());
        var broker = fake.Broker<LasairBroker>(Configured);
        var feedback = new FetchFeedback();

        var alerts = await Fetch(broker, Cone(), feedback);

        Assert.Equal([Id], alerts.Select(a => broker.ToGenericAlert(a).Id));
        Assert.Contains($"Lasair returned nothing for object {SecondId}; it was skipped.", feedback.Text, StringComparison.Ordinal);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task FetchAlertsAsync_LsstEmptyCone_MakesNoQueryAndSaysNothingWasFound()
    {
        var fake = new FakeBrokerHttp()
            .On(r => IsLsst(r, "cone/"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("lasair_lsst/cone_empty_all.json")));
        var broker = fake.Broker<LasairBroker>(Configured);
        var feedback = new FetchFeedback();

        var alerts = await Fetch(broker, Cone(10, -10, 5), feedback);

        Assert.Empty(alerts);
        Assert.Single(fake.Requests);
        Assert.Contains("No objects found within 5 arcsec of RA 10, Dec -10.", feedback.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_LsstSqlNamingSherlock_QueriesTheLsstObjectsTableAndMapsTheRows()
    {
        const string sql = "sherlock_classifications.classification=\"SN\" AND objects.nDiaSources >= 4";
        var fake = new FakeBrokerHttp().OnLsstQuery(LsstRows.Fixture());
        var broker = fake.Broker<LasairBroker>(Configured);

        var alerts = await Fetch(broker, Sql(sql), new FetchFeedback());

        var request = Assert.Single(fake.Requests);
        Assert.Equal(LsstApi + "query/", request.Uri.GetLeftPart(UriPartial.Path));
        var query = Query(request);
        Assert.Equal(ListColumns + ", sherlock_classifications.classification", query["selected"]);
        Assert.Equal("objects,sherlock_classifications", query["tables"]);
        Assert.Equal(sql, query["conditions"]);
        Assert.Equal("1000", query["limit"]);
        Assert.Equal("Token " + LsstKey, request.Headers["Authorization"]);
        Assert.Equal([Id, "169339871602065447", "169350124479135781"], alerts.Select(a => broker.ToGenericAlert(a).Id));

        var first = broker.ToGenericAlert(alerts[0]);
        Assert.Equal(150.31578312240114, first.Ra);
        Assert.Equal(2.209495887710154, first.Dec);
        Assert.Equal(AstroTime.FromMjdTai(61134.0734227), first.Timestamp);
        Assert.Equal(AstroTime.FromMjd(61134.0734227) - TimeSpan.FromSeconds(37), first.Timestamp);
        Assert.Equal("SN", first.Classification);
        Assert.Equal($"https://lasair.lsst.ac.uk/objects/{Id}/", first.Url);
        Assert.True(broker.IsSummary(alerts[0]));
    }

    [Theory]
    [InlineData(50, new[] { 0 })]
    [InlineData(1000, new[] { 0, 1000 })]
    [InlineData(2500, new[] { 0, 1000, 2000 })]
    public async Task FetchAlertsAsync_LsstSql_PagesByLimitAndOffsetUntilAShortPage(int objects, int[] offsets)
    {
        var fake = new FakeBrokerHttp().OnLsstQuery(LsstRows.Generated(objects));
        var broker = fake.Broker<LasairBroker>(Configured);

        var alerts = await Fetch(broker, Sql("nDiaSources >= 3"), new FetchFeedback());

        Assert.Equal(objects, alerts.Select(a => broker.ToGenericAlert(a).Id).Distinct().Count());
        Assert.Equal(LsstRows.Id(objects - 1), broker.ToGenericAlert(alerts[^1]).Id);
        Assert.Equal(offsets, fake.Requests.Select(r => int.Parse(Query(r)["offset"]!, CultureInfo.InvariantCulture)));
        Assert.All(fake.Requests, r => Assert.Equal(LsstApi + "query/", r.Uri.GetLeftPart(UriPartial.Path)));
        Assert.All(fake.Requests, r => Assert.Equal("1000", Query(r)["limit"]));
    }

    [Fact]
    public void ToGenericAlert_ListRow_MagnitudeFromThePositiveLatestFluxOnly()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);
        var bright = LsstRows.Row(169298433216610349, 150.3, 2.2);
        bright["latest_psfFlux"] = 2978.3025;
        var fading = LsstRows.Row(169298433216610350, 150.3, 2.2);
        fading["latest_psfFlux"] = -1187.6284;

        Assert.Equal(31.4 - 2.5 * Math.Log10(2978.3025), broker.ToGenericAlert(bright).Mag!.Value, 9);
        Assert.Null(broker.ToGenericAlert(fading).Mag);
    }

    [Fact]
    public async Task FetchAlertAsync_LsstId_AsksTheLsstObjectWithLasairsAdditions()
    {
        var fake = new FakeBrokerHttp()
            .On(r => IsLsst(r, "object/"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("lasair_lsst/object_lite.json")));
        var broker = fake.Broker<LasairBroker>(Configured);

        var obj = await broker.FetchAlertAsync(Id, CancellationToken.None);

        var request = Assert.Single(fake.Requests);
        Assert.Equal(LsstApi + $"object/?objectId={Id}&lite=true&lasair_added=true&format=json", request.Uri.AbsoluteUri);
        Assert.Equal("Token " + LsstKey, request.Headers["Authorization"]);
        Assert.NotNull(obj);
        Assert.False(broker.IsSummary(obj));

        var alert = broker.ToGenericAlert(obj);
        Assert.Equal(Id, alert.Id);
        Assert.Equal(150.31578312240114, alert.Ra);
        Assert.Equal(2.209495887710154, alert.Dec);
        Assert.Equal("SN", alert.Classification);
        Assert.Equal(AstroTime.FromMjdTai(61134.0734227), alert.Timestamp);
        // The newest diaSource (u, negative flux) has no magnitude; the newest one that has is r at 2978.30 nJy.
        Assert.Equal(31.4 - 2.5 * Math.Log10(2978.3025), alert.Mag!.Value, 9);

        var target = broker.ToTarget(obj);
        Assert.Equal(Id, target.Name);
        Assert.Equal(150.31578312240114, target.Ra);
        Assert.Equal(236.97229521, target.GalacticLng);
        Assert.Equal(42.28371203, target.GalacticLat);
        Assert.Equal(["SN2023vjq", "2023vjq"], target.Aliases);
        Assert.Equal("SN2023vjq", target.Extras["tns_name"]);
        Assert.Equal("SN Ia", target.Extras["tns_type"]);
        Assert.Equal("SN", target.Extras["sherlock_classification"]);
        Assert.Equal("6", target.Extras["nDiaSources"]);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_LsstObject_DetectionsAndForcedFluxesInNanojanskyWithMagnitudesOrLimitsAtTai()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);

        var points = await broker.ProcessReducedDataAsync(Id, Fixture("object_lite.json"), CancellationToken.None);

        Assert.Equal(11, points.Count);
        Assert.Equal(points.OrderBy(p => p.Timestamp).Select(p => p.Timestamp), points.Select(p => p.Timestamp));
        Assert.All(points, p =>
        {
            Assert.Equal("LSST", p.Survey);
            Assert.Equal("nJy", p.FluxUnit);
            Assert.Contains(p.Bandpass, new[] { "u", "g", "r", "i", "z", "y" });
        });
        Assert.Equal(5, points.Count(p => p.Kind == PhotometryKind.Forced));
        Assert.All(points.Where(p => p.Kind == PhotometryKind.Forced), p => Assert.Null(p.SourceId));
        Assert.All(points.Where(p => p.Kind != PhotometryKind.Forced), p => Assert.Equal(18, p.SourceId!.Length));

        var r = Assert.Single(points, p => p.SourceId == "169451002170400805");
        Assert.Equal(PhotometryKind.Detection, r.Kind);
        Assert.Equal("r", r.Bandpass);
        Assert.Equal(AstroTime.FromMjdTai(61126.1119838), r.Timestamp);
        Assert.Equal(2978.3025, r.Flux);
        Assert.Equal(140.0519, r.FluxError);
        Assert.Equal(FluxMagnitudes.Magnitude(2978.3025), r.Magnitude);
        Assert.Equal(FluxMagnitudes.MagnitudeError(2978.3025, 140.0519), r.MagnitudeError);

        // A negative difference flux is a real measurement but no magnitude: a limit at 3σ, keeping the signed flux.
        var fading = Assert.Single(points, p => p.SourceId == "169489221640495148");
        Assert.Equal(PhotometryKind.Limit, fading.Kind);
        Assert.Null(fading.Magnitude);
        Assert.Equal(FluxMagnitudes.Magnitude(3 * 205.9463), fading.Limit);
        Assert.Equal(-1187.6284, fading.Flux);

        var faintForced = Assert.Single(points, p => p.Kind == PhotometryKind.Forced && p.Flux == 85.2877);
        Assert.Null(faintForced.Magnitude);
        Assert.Equal(FluxMagnitudes.Magnitude(3 * 120.0913), faintForced.Limit);
        var brightForced = Assert.Single(points, p => p.Kind == PhotometryKind.Forced && p.Flux == 2287.1033);
        Assert.Equal(FluxMagnitudes.Magnitude(2287.1033), brightForced.Magnitude);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_LsstListRow_FetchesTheObject()
    {
        var fake = new FakeBrokerHttp()
            .On(r => IsLsst(r, "object/"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("lasair_lsst/object_lite.json")));
        var broker = fake.Broker<LasairBroker>(Configured);

        var points = await broker.ProcessReducedDataAsync(Id, LsstRows.Fixture()[0], CancellationToken.None);

        Assert.Single(fake.Requests);
        Assert.Equal(11, points.Count);
    }

    [Fact]
    public async Task FetchAlertAsync_ImageUrlsServerFault_RetriesWithoutLasairsAdditionsAndKeepsTheLightCurve()
    {
        var fake = new FakeBrokerHttp()
            .On(r => IsLsst(r, "object/") && r.RequestUri!.Query.Contains("lasair_added=true", StringComparison.Ordinal),
                _ => FakeBrokerHttp.Respond(HttpStatusCode.BadRequest, Fixtures.Read("lasair_lsst/error_400_image_urls_bug.json")))
            .On(r => IsLsst(r, "object/"), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("lasair_lsst/object_lasair_added_false_lite.json")));
        var broker = fake.Broker<LasairBroker>(Configured);

        var obj = await broker.FetchAlertAsync(Id, CancellationToken.None);

        Assert.Equal(2, fake.Requests.Count);
        Assert.Equal(LsstApi + $"object/?objectId={Id}&lite=false&lasair_added=false&format=json", fake.Requests[1].Uri.AbsoluteUri);
        Assert.All(fake.Requests, r => Assert.Equal("Token " + LsstKey, r.Headers["Authorization"]));
        Assert.NotNull(obj);
        Assert.False(broker.IsSummary(obj));
        var alert = broker.ToGenericAlert(obj);
        Assert.Equal(Id, alert.Id);
        Assert.Null(alert.Classification);
        Assert.Empty(broker.ToTarget(obj).Aliases);
        var points = await broker.ProcessReducedDataAsync(Id, obj, CancellationToken.None);
        Assert.Equal(11, points.Count);
        Assert.Equal(2, fake.Requests.Count); // the reply already has its light curve
    }

    [Fact]
    public void ToTarget_FullRawReply_TakesThePositionFromItsDiaObject()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);
        var obj = Fixture("object_lasair_added_false_lite.json");
        obj["diaObject"] = new JsonObject { ["diaObjectId"] = 169298433216610349, ["ra"] = 150.31578312240114, ["decl"] = 2.209495887710154 };

        var target = broker.ToTarget(obj);

        Assert.Equal(Id, target.Name);
        Assert.Equal(150.31578312240114, target.Ra);
        Assert.Equal(2.209495887710154, target.Dec);
        Assert.NotNull(target.GalacticLat);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "error_404_not_found.json")]
    [InlineData(HttpStatusCode.BadRequest, null)]
    public async Task FetchAlertAsync_UnknownLsstObject_IsNotFound(HttpStatusCode status, string? fixture)
    {
        var body = fixture is null ? """{"error": "'diaObjectId'"}""" : Fixtures.Read("lasair_lsst/" + fixture);
        var fake = new FakeBrokerHttp().On(r => IsLsst(r, "object/"), _ => FakeBrokerHttp.Respond(status, body));
        var broker = fake.Broker<LasairBroker>(Configured);

        Assert.Null(await broker.FetchAlertAsync("169298433216610000", CancellationToken.None));
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task FetchAlertsAsync_LsstErrorAnswer_NamesTheLsstServiceWithoutTheToken()
    {
        var fake = new FakeBrokerHttp()
            .On(r => IsLsst(r, "cone/"), _ => FakeBrokerHttp.Respond(HttpStatusCode.BadRequest, Fixtures.Read("lasair_lsst/error_400_radius.json")));
        var broker = fake.Broker<LasairBroker>(Configured);

        var error = await Assert.ThrowsAsync<BrokerHttpException>(() => Fetch(broker, Cone(radius: 5000), new FetchFeedback()));

        Assert.Equal("Lasair (LSST) answered 400 Bad Request: Max radius is 1000 arcsec.", error.TechnicalDetail);
        Assert.DoesNotContain(LsstKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_LsstThrottled_ThrowsTheBrokersRateLimitWithTheResetTime()
    {
        var fake = new FakeBrokerHttp().On(_ => true, _ =>
        {
            var response = FakeBrokerHttp.Respond(HttpStatusCode.TooManyRequests, Fixtures.Read("lasair_lsst/error_429_throttled.json"));
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3600));
            return response;
        });
        var broker = fake.Broker<LasairBroker>(Configured);
        var before = DateTimeOffset.UtcNow;

        var error = await Assert.ThrowsAsync<BrokerRateLimitException>(() => Fetch(broker, Sql("nDiaSources > 3"), new FetchFeedback()));

        Assert.Equal("Lasair", error.Broker);
        Assert.InRange(error.ResetsAt!.Value, before.AddSeconds(3600), DateTimeOffset.UtcNow.AddSeconds(3600));
        Assert.StartsWith("Lasair (LSST) answered 429 Too Many Requests: Request limit exceeded.", error.TechnicalDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_ConfiguredLsstBaseUrl_IsWhereLsstCallsGo()
    {
        var settings = new Dictionary<string, string?>(Configured) { ["lsst_base_url"] = "http://127.0.0.1:9/lasair-lsst/api" };
        var fake = new FakeBrokerHttp().On(_ => true, _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, "[]"));
        var broker = fake.Broker<LasairBroker>(settings);

        await Fetch(broker, Sql("nDiaSources > 3"), new FetchFeedback());

        Assert.StartsWith("http://127.0.0.1:9/lasair-lsst/api/query/?", Assert.Single(fake.Requests).Uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_NoSurveyOrZtf_StillAsksLasairZtfWithTheZtfToken()
    {
        var fake = new FakeBrokerHttp().On(_ => true, _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, "[]"));
        var broker = fake.Broker<LasairBroker>(Configured);
        var noSurvey = Sql("gmag < 12");
        noSurvey.Remove("survey");
        var ztf = Sql("gmag < 12");
        ztf["survey"] = "ztf";

        await Fetch(broker, noSurvey, new FetchFeedback());
        await Fetch(broker, ztf, new FetchFeedback());

        Assert.Equal(2, fake.Requests.Count);
        Assert.All(fake.Requests, r =>
        {
            Assert.StartsWith("https://lasair-ztf.lsst.ac.uk/api/query/?", r.Uri.AbsoluteUri, StringComparison.Ordinal);
            Assert.Equal("Token " + ZtfKey, r.Headers["Authorization"]);
            Assert.StartsWith("objects.objectId", Query(r)["selected"], StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Clean_LsstCone_IsValid()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);
        var form = await broker.GetFormAsync(CancellationToken.None);

        var result = form.Clean("Lasair", new Dictionary<string, string?>
        {
            ["query_name"] = "q", ["survey"] = "lsst", ["cone_ra"] = "150.31577", ["cone_dec"] = "2.20943", ["cone_radius"] = "30",
        });

        Assert.True(result.IsValid);
        Assert.True(LasairLsst.IsLsst(result.Parameters));
    }
}
