using System.Net;
using System.Text.Json.Nodes;
using System.Web;
using TomAlerts.Brokers.Lasair;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Tests.Lasair;

public class LasairBrokerTests
{
    private const string Key = "s3cr3tLasairToken42";
    private const string Base = "https://lasair-ztf.lsst.ac.uk/";
    private static readonly Dictionary<string, string?> Configured = new() { ["api_key"] = Key };

    private static readonly string ObjectPage = Fixtures.Read("lasair/object_ZTF23abtfusv.json");

    private const string ListColumns = "objects.objectId, objects.ramean, objects.decmean, objects.glonmean, objects.glatmean, objects.jdmin, "
                                       + "objects.jdmax, objects.jdgmax, objects.jdrmax, objects.gmag, objects.rmag, objects.ncand, objects.ncandgp";

    private static JsonObject Object(string fixture = "lasair/object_ZTF23abtfusv.json") =>
        JsonNode.Parse(Fixtures.Read(fixture))!.AsObject();

    private static JsonObject Cone(double ra = 150.3157, double dec = 2.2094, double radius = 20) =>
        new() { ["cone_ra"] = ra, ["cone_dec"] = dec, ["cone_radius"] = radius, ["sqlquery"] = null };

    private static JsonObject Sql(string sql) => new() { ["cone_ra"] = null, ["cone_dec"] = null, ["cone_radius"] = "10", ["sqlquery"] = sql };

    private static async Task<List<JsonObject>> Fetch(IBroker broker, JsonObject parameters, FetchFeedback feedback) =>
        await broker.FetchAlertsAsync(parameters, feedback, CancellationToken.None).ToListAsync();

    [Fact]
    public void Status_NoApiKey_ListsTheMissingKey()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>();

        Assert.Equal(["BROKERS:LASAIR:api_key"], broker.Status.MissingSettings);
    }

    [Fact]
    public void Status_ApiKeySet_IsConfigured()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);

        Assert.True(broker.Status.IsConfigured);
    }

    [Fact]
    public async Task FetchAlertsAsync_NoApiKey_ThrowsNotConfiguredWithTomsMessage()
    {
        var fake = new FakeBrokerHttp();
        var broker = fake.Broker<LasairBroker>();

        var error = await Assert.ThrowsAsync<BrokerNotConfiguredException>(() => Fetch(broker, Cone(), new FetchFeedback()));

        Assert.Equal("Requires a `api_key` in settings.BROKERS['LASAIR']. Log in or create an account at https://lasair-ztf.lsst.ac.uk/ to acquire an API token.", error.Message);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task FetchAlertsAsync_Cone_SendsTheConeThenOneQueryForAllHitsWithTheTokenHeaderOnly()
    {
        var fake = new FakeBrokerHttp()
            .On("api/cone/", HttpStatusCode.OK, Fixtures.Read("lasair/cone_all.json"))
            .OnQuery(LasairQueryRows.Fixture());
        var broker = fake.Broker<LasairBroker>(Configured);

        var alerts = await Fetch(broker, Cone(), new FetchFeedback());

        Assert.Equal(["ZTF23abtfusv", "ZTF18aazmwqk"], alerts.Select(a => broker.ToGenericAlert(a).Id));
        Assert.Equal(2, fake.Requests.Count);
        Assert.Equal(Base + "api/cone/?ra=150.3157&dec=2.2094&radius=20&requestType=all&format=json", fake.Requests[0].Uri.AbsoluteUri);
        var query = HttpUtility.ParseQueryString(fake.Requests[1].Uri.Query);
        Assert.Equal("/api/query/", fake.Requests[1].Uri.AbsolutePath);
        Assert.Equal(ListColumns, query["selected"]);
        Assert.Equal("objects", query["tables"]);
        Assert.Equal("objects.objectId IN (\"ZTF23abtfusv\", \"ZTF18aazmwqk\")", query["conditions"]);
        Assert.Equal("2", query["limit"]);
        Assert.Equal(0.4121889360212761, (double)alerts[0]["separation"]!);
        Assert.Equal(19.88311004638672, broker.ToGenericAlert(alerts[1]).Mag); // ZTF18aazmwqk was seen last in r
        Assert.All(fake.Requests, r =>
        {
            Assert.Equal(HttpMethod.Get, r.Method);
            Assert.Equal("Token " + Key, r.Headers["Authorization"]);
            Assert.DoesNotContain(Key, r.Uri.AbsoluteUri, StringComparison.Ordinal);
            Assert.DoesNotContain("token=", r.Uri.Query, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task FetchAlertsAsync_Sql_EncodesTheConditionsIntoTheQueryRequest()
    {
        const string sql = "gmag < 12.0 AND objectId LIKE 'ZTF23%' & ncand >= 5";
        var fake = new FakeBrokerHttp().OnQuery(LasairQueryRows.Fixture());
        var broker = fake.Broker<LasairBroker>(Configured);

        var alerts = await Fetch(broker, Sql(sql), new FetchFeedback());

        var query = Assert.Single(fake.Requests);
        Assert.Equal("/api/query/", query.Uri.AbsolutePath);
        var values = HttpUtility.ParseQueryString(query.Uri.Query);
        Assert.Equal(["selected", "tables", "conditions", "limit", "offset", "format"], values.AllKeys.Select(k => k ?? ""));
        Assert.Equal(ListColumns, values["selected"]);
        Assert.Equal("objects", values["tables"]);
        Assert.Equal(sql, values["conditions"]);
        Assert.Equal("1000", values["limit"]);
        Assert.Equal("0", values["offset"]);
        Assert.Equal("json", values["format"]);
        Assert.Contains("conditions=gmag%20%3C%2012.0%20AND%20objectId%20LIKE%20%27ZTF23%25%27%20%26%20ncand", query.Uri.Query, StringComparison.Ordinal);
        Assert.Equal(["ZTF23abtfusv", "ZTF18aazmwqk"], alerts.Select(a => (string)a["objectId"]!));
    }

    [Theory]
    [InlineData(50, new[] { 0 })]
    [InlineData(1000, new[] { 0, 1000 })]
    [InlineData(2500, new[] { 0, 1000, 2000 })]
    public async Task FetchAlertsAsync_Sql_PagesByLimitAndOffsetUntilAShortPage(int objects, int[] offsets)
    {
        var fake = new FakeBrokerHttp().OnQuery(LasairQueryRows.Generated(objects));
        var broker = fake.Broker<LasairBroker>(Configured);

        var alerts = await Fetch(broker, Sql("ncand >= 3"), new FetchFeedback());

        Assert.Equal(objects, alerts.Select(a => broker.ToGenericAlert(a).Id).Distinct().Count());
        Assert.Equal(offsets, fake.Requests.Select(r => int.Parse(HttpUtility.ParseQueryString(r.Uri.Query)["offset"]!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(fake.Requests, r => Assert.Equal("/api/query/", r.Uri.AbsolutePath));
    }

    [Fact]
    public async Task FetchAlertsAsync_SqlOfFiftyObjects_OneCallGivesAlertsWithPositionMagnitudesCountsAndDates()
    {
        var fake = new FakeBrokerHttp().OnQuery(LasairQueryRows.Generated(50));
        var broker = fake.Broker<LasairBroker>(Configured);

        var alerts = await Fetch(broker, Sql("ncand >= 3"), new FetchFeedback());

        Assert.Single(fake.Requests);
        Assert.Equal(50, alerts.Count);
        var last = broker.ToGenericAlert(alerts[49]);
        Assert.Equal(LasairQueryRows.Id(49), last.Id);
        Assert.Equal(10.0 + 49 * 0.5, last.Ra);
        Assert.Equal(-20.0 + 49 * 0.25, last.Dec);
        Assert.Equal(19.702470779418945, last.Mag);
        Assert.Equal(AstroTime.FromJd(2460200.5 + 49), last.Timestamp);
        Assert.Equal($"https://lasair-ztf.lsst.ac.uk/objects/{LasairQueryRows.Id(49)}/", last.Url);
        var target = broker.ToTarget(alerts[49]);
        Assert.Equal("52", target.Extras["ncand"]);
        Assert.Equal(236.97238320769756, target.GalacticLng);
        Assert.Equal(2460240.91234, (double)alerts[49]["jdmin"]!);
        Assert.Equal(12, (int)alerts[49]["ncandgp"]!);
    }

    [Fact]
    public async Task FetchAlertsAsync_SqlNamingSherlockTable_NamesItInTablesAndListsTheClass()
    {
        const string sql = "sherlock_classifications.classification = \"SN\" AND objects.ncandgp >= 5";
        var fake = new FakeBrokerHttp().On("api/query/", HttpStatusCode.OK, Fixtures.Read("lasair/query_result.json"));
        var broker = fake.Broker<LasairBroker>(Configured);

        var alerts = await Fetch(broker, Sql(sql), new FetchFeedback());

        var values = HttpUtility.ParseQueryString(Assert.Single(fake.Requests).Uri.Query);
        Assert.Equal("objects,sherlock_classifications", values["tables"]);
        Assert.Equal(ListColumns + ", sherlock_classifications.classification", values["selected"]);
        Assert.Equal(sql, values["conditions"]);
        Assert.All(alerts, a => Assert.Equal("SN", broker.ToGenericAlert(a).Classification));
        Assert.Equal(19.511320114135742, broker.ToGenericAlert(alerts[2]).Mag); // rmag null: the g magnitude
    }

    [Fact]
    public async Task FetchAlertsAsync_SqlMatchesNothing_SaysNoObjectsFoundWithTheConditions()
    {
        var fake = new FakeBrokerHttp().On("api/query/", HttpStatusCode.OK, Fixtures.Read("lasair/query_empty.json"));
        var broker = fake.Broker<LasairBroker>(Configured);
        var feedback = new FetchFeedback();

        var alerts = await Fetch(broker, Sql("gmag < 1"), feedback);

        Assert.Empty(alerts);
        Assert.Equal("No objects found with conditions: gmag < 1", feedback.Text);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task ConeParameters_FetchAlerts_SendsTheConeSearch()
    {
        var fake = new FakeBrokerHttp().On("api/cone/", HttpStatusCode.OK, "[]");
        var broker = fake.Broker<LasairBroker>(Configured);

        await Fetch(broker, broker.ConeParameters(150.3157, -2.2094, 7.5), new FetchFeedback());

        Assert.Equal(Base + "api/cone/?ra=150.3157&dec=-2.2094&radius=7.5&requestType=all&format=json", Assert.Single(fake.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task FetchAlertsAsync_ConeAndSqlBoth_SearchesByConeAndSaysSo()
    {
        var fake = new FakeBrokerHttp()
            .On("api/cone/", HttpStatusCode.OK, "[]");
        var broker = fake.Broker<LasairBroker>(Configured);
        var parameters = Cone();
        parameters["sqlquery"] = "gmag < 12";
        var feedback = new FetchFeedback();

        await Fetch(broker, parameters, feedback);

        Assert.Equal("/api/cone/", Assert.Single(fake.Requests).Uri.AbsolutePath);
        Assert.Contains("cone only", feedback.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_EmptyCone_SaysNothingWasFoundThere()
    {
        var fake = new FakeBrokerHttp().On("api/cone/", HttpStatusCode.OK, "[]");
        var broker = fake.Broker<LasairBroker>(Configured);
        var feedback = new FetchFeedback();

        var alerts = await Fetch(broker, Cone(ra: 10.5, dec: -3, radius: 15), feedback);

        Assert.Empty(alerts);
        Assert.Equal("No objects found within 15 arcsec of RA 10.5, Dec -3.", feedback.Text);
    }

    [Fact]
    public async Task FetchAlertsAsync_NoConeNorSql_FetchesNothingAndSaysWhy()
    {
        var fake = new FakeBrokerHttp();
        var broker = fake.Broker<LasairBroker>(Configured);
        var feedback = new FetchFeedback();

        var alerts = await Fetch(broker, Sql(""), feedback);

        Assert.Empty(alerts);
        Assert.Empty(fake.Requests);
        Assert.Equal("Either RA/Dec or Freeform SQL Query must be populated.", feedback.Text);
    }

    [Fact]
    public async Task FetchAlertsAsync_NullElementsAndRepeatedIds_SkipsNullsAndFetchesEachObjectOnce()
    {
        var fake = new FakeBrokerHttp()
            .On("api/cone/", HttpStatusCode.OK, Fixtures.Read("lasair/cone_with_null.json"))
            .On("api/query/", HttpStatusCode.OK, Fixtures.Read("lasair/query_empty.json"));
        var broker = fake.Broker<LasairBroker>(Configured);
        var feedback = new FetchFeedback();

        var alerts = await Fetch(broker, Cone(), feedback);

        Assert.Empty(alerts);
        Assert.Equal(2, fake.Requests.Count);
        Assert.Equal("objects.objectId IN (\"ZTF23abtfusv\")", HttpUtility.ParseQueryString(fake.Requests[1].Uri.Query)["conditions"]);
        Assert.Equal("Lasair returned nothing for object ZTF23abtfusv; it was skipped.", feedback.Text);
    }

    [Fact]
    public async Task FetchAlertsAsync_ConeHitSpellingLimit_IsFetchedAloneAsLasairRefusesThatWordInConditions()
    {
        var fake = new FakeBrokerHttp()
            .On("api/cone/", HttpStatusCode.OK, """[{"object": "ZTF23abtfusv", "separation": 0.4}, {"object": "ZTF21alimitz", "separation": 3.5}]""")
            .OnQuery(LasairQueryRows.Fixture())
            .On("api/object/", HttpStatusCode.OK, ObjectPage.Replace("ZTF23abtfusv", "ZTF21alimitz", StringComparison.Ordinal));
        var broker = fake.Broker<LasairBroker>(Configured);

        var alerts = await Fetch(broker, Cone(), new FetchFeedback());

        Assert.Equal(["ZTF23abtfusv", "ZTF21alimitz"], alerts.Select(a => broker.ToGenericAlert(a).Id));
        Assert.Equal(["/api/cone/", "/api/query/", "/api/object/"], fake.Requests.Select(r => r.Uri.AbsolutePath));
        Assert.DoesNotContain("limit", HttpUtility.ParseQueryString(fake.Requests[1].Uri.Query)["conditions"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_ConeWithManyHits_SplitsTheIdsSoNoConditionsPassLasairsLengthLimit()
    {
        var rows = LasairQueryRows.Generated(600);
        var cone = new JsonArray([.. rows.Select((r, i) => new JsonObject { ["object"] = (string)r["objectId"]!, ["separation"] = i / 10.0 })]);
        var fake = new FakeBrokerHttp().On("api/cone/", HttpStatusCode.OK, cone.ToJsonString()).OnQuery(rows);
        var broker = fake.Broker<LasairBroker>(Configured);

        var alerts = await Fetch(broker, Cone(radius: 1000), new FetchFeedback());

        Assert.Equal(rows.Select(r => (string)r["objectId"]!), alerts.Select(a => broker.ToGenericAlert(a).Id));
        var queries = fake.Requests.Skip(1).Select(r => HttpUtility.ParseQueryString(r.Uri.Query)["conditions"]!).ToList();
        Assert.InRange(queries.Count, 2, 4);
        Assert.All(queries, q => Assert.True(q.Length <= LasairBroker.MaxConditionsLength, $"{q.Length} characters"));
    }

    [Fact]
    public async Task FetchAlertsAsync_SeveralPages_YieldsAPageBeforeFetchingTheNext()
    {
        var fake = new FakeBrokerHttp().OnQuery(LasairQueryRows.Generated(1500));
        var broker = fake.Broker<LasairBroker>(Configured);

        await using var stream = broker.FetchAlertsAsync(Sql("ncand > 0"), new FetchFeedback(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());

        Assert.Single(fake.Requests);
    }

    [Theory]
    [InlineData("error_401_no_credentials.json", HttpStatusCode.Unauthorized, "Lasair answered 401 Unauthorized: Authentication credentials were not provided.")]
    [InlineData("error_401_invalid_token.json", HttpStatusCode.Unauthorized, "Lasair answered 401 Unauthorized: Invalid token.")]
    [InlineData("error_400_radius.json", HttpStatusCode.BadRequest, "Lasair answered 400 Bad Request: Max radius is 1000 arcsec.")]
    [InlineData("error_400_serializer.json", HttpStatusCode.BadRequest, "requestType: This field is required. radius: A valid number is required.")]
    public async Task FetchAlertsAsync_ErrorAnswer_ThrowsReadableMessageWithoutTheToken(string fixture, HttpStatusCode status, string expected)
    {
        var fake = new FakeBrokerHttp().On("api/cone/", status, Fixtures.Read("lasair/" + fixture));
        var broker = fake.Broker<LasairBroker>(Configured);
        var feedback = new FetchFeedback();

        var error = await Assert.ThrowsAsync<BrokerHttpException>(() => Fetch(broker, Cone(), feedback));

        Assert.Equal(status, error.Status);
        Assert.Contains(expected, error.TechnicalDetail, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, feedback.Text ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_Throttled_ThrowsRateLimitWithTheResetTimeAndLasairsWords()
    {
        var fake = new FakeBrokerHttp().On(r => true, _ =>
        {
            var response = FakeBrokerHttp.Respond(HttpStatusCode.TooManyRequests, Fixtures.Read("lasair/error_429_throttled.json"));
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3600));
            return response;
        });
        var broker = fake.Broker<LasairBroker>(Configured);
        var before = DateTimeOffset.UtcNow;

        var error = await Assert.ThrowsAsync<BrokerRateLimitException>(() => Fetch(broker, Sql("gmag < 12"), new FetchFeedback()));

        Assert.Equal("Lasair", error.Broker);
        Assert.Equal(HttpStatusCode.TooManyRequests, error.Status);
        Assert.InRange(error.ResetsAt!.Value, before.AddSeconds(3600), DateTimeOffset.UtcNow.AddSeconds(3600));
        Assert.Contains("Lasair answered 429 Too Many Requests: Request limit exceeded. Either wait an hour", error.TechnicalDetail, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_SqlErrorWithHtml_ThrowsMessageWithoutTags()
    {
        var fake = new FakeBrokerHttp().On("api/query/", HttpStatusCode.BadRequest, Fixtures.Read("lasair/error_400_query.json"));
        var broker = fake.Broker<LasairBroker>(Configured);

        var error = await Assert.ThrowsAsync<BrokerHttpException>(() => Fetch(broker, Sql("gmagg < 12"), new FetchFeedback()));

        Assert.Contains("Unknown column 'gmagg'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("<", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_ErrorInsideA200Body_ThrowsTheErrorText()
    {
        var fake = new FakeBrokerHttp().On("api/cone/", HttpStatusCode.OK, Fixtures.Read("lasair/error_400_radius.json"));
        var broker = fake.Broker<LasairBroker>(Configured);

        var error = await Assert.ThrowsAsync<BrokerException>(() => Fetch(broker, Cone(radius: 5000), new FetchFeedback()));

        Assert.Equal("Lasair answered with an error: Max radius is 1000 arcsec.", error.Message);
    }

    [Fact]
    public void ToGenericAlert_ObjectPage_MapsPositionLatestDetectionAndSherlockClass()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);

        var alert = broker.ToGenericAlert(Object());

        Assert.Equal("ZTF23abtfusv", alert.Id);
        Assert.Equal("ZTF23abtfusv", alert.Name);
        Assert.Equal(150.31577584166666, alert.Ra);
        Assert.Equal(2.209430991666667, alert.Dec);
        Assert.Equal(19.702470779418945, alert.Mag);
        Assert.Equal(AstroTime.FromMjd(60282.294369999785), alert.Timestamp);
        Assert.Equal(new DateTime(2023, 12, 4, 7, 3, 53, DateTimeKind.Utc), alert.Timestamp!.Value.AddTicks(-(alert.Timestamp.Value.Ticks % TimeSpan.TicksPerSecond)));
        Assert.Equal(DateTimeKind.Utc, alert.Timestamp.Value.Kind);
        Assert.Equal("https://lasair-ztf.lsst.ac.uk/objects/ZTF23abtfusv/", alert.Url);
        Assert.Equal("SN", alert.Classification);
        Assert.Null(alert.Score);
    }

    [Fact]
    public void ToGenericAlert_ListRow_MapsPositionTheLatestBandsMagnitudeAndTheLastDate()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);
        var rows = LasairQueryRows.Fixture();

        var first = broker.ToGenericAlert(rows[0]);
        var second = broker.ToGenericAlert(rows[1]);

        Assert.Equal(("ZTF23abtfusv", 150.31577584166666, 2.209430991666667), (first.Id, first.Ra!.Value, first.Dec!.Value));
        Assert.Equal(19.702470779418945, first.Mag); // g is the newer band
        Assert.Equal(AstroTime.FromJd(2460282.79437), first.Timestamp);
        Assert.Equal(19.88311004638672, second.Mag); // r is the newer band
        Assert.Equal(AstroTime.FromJd(2460279.91011), second.Timestamp);
        Assert.Equal("https://lasair-ztf.lsst.ac.uk/objects/ZTF18aazmwqk/", second.Url);
        Assert.Null(first.Classification);
    }

    [Fact]
    public void ToTarget_ListRow_KeepsPositionGalacticCoordinatesAndDetectionCount()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);

        var target = broker.ToTarget(LasairQueryRows.Fixture()[1]);

        Assert.Equal(("ZTF18aazmwqk", 150.31902135, 2.21244077), (target.Name, target.Ra!.Value, target.Dec!.Value));
        Assert.Equal((236.9716903547, 42.2878210131), (target.GalacticLng!.Value, target.GalacticLat!.Value));
        Assert.Equal("41", target.Extras["ncand"]);
        Assert.Empty(target.Aliases);
    }

    [Theory]
    [InlineData("lasair/object_ZTF23abtfusv.json")]
    [InlineData("lasair/object_ZTF23abtfusv_lasair_added_false.json")]
    [InlineData("lasair/object_string_numbers.json")]
    public void IsSummary_ListRowIsObjectPagesAreNot(string fixture)
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);

        Assert.False(broker.IsSummary(Object(fixture)));
        Assert.True(broker.IsSummary(LasairQueryRows.Fixture()[0]));
    }

    [Fact]
    public async Task ProcessReducedDataAsync_ListRow_FetchesTheObjectPageForTheLightCurve()
    {
        var fake = new FakeBrokerHttp().On("api/object/", HttpStatusCode.OK, ObjectPage);
        var broker = fake.Broker<LasairBroker>(Configured);

        var points = await broker.ProcessReducedDataAsync("ZTF23abtfusv", LasairQueryRows.Fixture()[0], CancellationToken.None);

        Assert.Equal(16, points.Count);
        Assert.Equal(Base + "api/object/?objectId=ZTF23abtfusv&lasair_added=true&format=json", Assert.Single(fake.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public void ToGenericAlert_ConfiguredBaseUrl_LinksToThatSite()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(new Dictionary<string, string?> { ["api_key"] = Key, ["base_url"] = "https://lasair.example.org" });

        Assert.Equal("https://lasair.example.org/objects/ZTF23abtfusv/", broker.ToGenericAlert(Object()).Url);
    }

    [Fact]
    public void ToGenericAlert_RawRowsWithoutObjectData_UsesTheNewestDetection()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);

        var alert = broker.ToGenericAlert(Object("lasair/object_ZTF23abtfusv_lasair_added_false.json"));

        Assert.Equal(19.702470779418945, alert.Mag);
        Assert.Equal(150.3157691110967, alert.Ra);
        Assert.Equal(AstroTime.FromJd(2460282.79437), alert.Timestamp);
        Assert.Null(alert.Classification);
    }

    [Fact]
    public void ToGenericAlert_StringTypedNumbers_ReadsThemAndIgnoresNewerNonDetections()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);

        var alert = broker.ToGenericAlert(Object("lasair/object_string_numbers.json"));

        Assert.Equal(150.31577584166666, alert.Ra);
        Assert.Equal(2.209430991666667, alert.Dec);
        Assert.Equal(19.702470779418945, alert.Mag);
        Assert.Equal(AstroTime.FromMjd(60282.29437), alert.Timestamp);
        Assert.Null(alert.Classification);
    }

    [Theory]
    [InlineData("lasair/object_ZTF23abtfusv.json")]
    [InlineData("lasair/object_string_numbers.json")]
    public void LatestDetection_NineteenDigitCandid_IsReadExactly(string fixture)
    {
        var latest = LasairObject.LatestDetection(Object(fixture));

        Assert.Equal(2528294363715015002L, latest!.Candid);
    }

    [Fact]
    public void ToTarget_ObjectPage_KeepsGalacticCoordinatesExtrasAndTheTnsName()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);

        var target = broker.ToTarget(Object());

        Assert.Equal("ZTF23abtfusv", target.Name);
        Assert.Equal(150.31577584166666, target.Ra);
        Assert.Equal(2.209430991666667, target.Dec);
        Assert.Equal(236.97238320769756, target.GalacticLng);
        Assert.Equal(42.28361234833629, target.GalacticLat);
        Assert.Equal("SN", target.Extras["sherlock_classification"]);
        Assert.Equal("12", target.Extras["ncand"]);
        Assert.Equal("SN2023vjq", target.Extras["tns_name"]);
        Assert.Equal("SN Ia", target.Extras["tns_type"]);
        Assert.Equal(["SN2023vjq", "2023vjq"], target.Aliases);
    }

    [Fact]
    public void ToTarget_NoGalacticNorTns_ComputesGalacticAndHasNoAliases()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);

        var target = broker.ToTarget(Object("lasair/object_string_numbers.json"));

        Assert.Equal(236.9724, target.GalacticLng!.Value, 3);
        Assert.Equal(42.2836, target.GalacticLat!.Value, 3);
        Assert.Empty(target.Aliases);
        Assert.False(target.Extras.ContainsKey("tns_name"));
        Assert.False(target.Extras.ContainsKey("sherlock_classification"));
    }

    [Fact]
    public async Task ProcessReducedDataAsync_ObjectPage_DetectionsAreMagnitudesAndNonDetectionsLimits()
    {
        var fake = new FakeBrokerHttp();
        var broker = fake.Broker<LasairBroker>(Configured);

        var points = await broker.ProcessReducedDataAsync("ZTF23abtfusv", Object(), CancellationToken.None);

        Assert.Empty(fake.Requests);
        Assert.Equal(16, points.Count);
        Assert.Equal(12, points.Count(p => p.Magnitude is not null));
        Assert.All(points, p => Assert.Equal("ZTF", p.Telescope));
        Assert.All(points.Where(p => p.IsLimit), p => Assert.NotNull(p.Limit));
        Assert.All(points, p => Assert.Equal(("ZTF", p.IsLimit ? PhotometryKind.Limit : PhotometryKind.Detection, p.IsLimit), (p.Survey, p.Kind, p.SourceId is null)));
        var first = points[0];
        Assert.Equal(AstroTime.FromMjd(60228.47402000008), first.Timestamp);
        Assert.Equal("g", first.Bandpass);
        Assert.Null(first.Magnitude);
        Assert.Equal(20.612300872802734, first.Limit);
        var newest = points[^1];
        Assert.Equal(19.702470779418945, newest.Magnitude);
        Assert.Equal(0.10012351721525192, newest.MagnitudeError);
        Assert.Null(newest.Limit);
        Assert.Equal(["g", "r"], points.Select(p => p.Bandpass).Distinct().Order());
    }

    [Fact]
    public async Task ProcessReducedDataAsync_StringNumbers_MapsBandsAndSkipsUnknownFilters()
    {
        var broker = new FakeBrokerHttp().Broker<LasairBroker>(Configured);

        var points = await broker.ProcessReducedDataAsync("ZTF23strnum", Object("lasair/object_string_numbers.json"), CancellationToken.None);

        Assert.Equal(3, points.Count);
        Assert.Equal(("i", 19.85526466369629, (double?)null), (points[0].Bandpass, points[0].Magnitude!.Value, points[0].Limit));
        Assert.Equal(("g", 19.702470779418945), (points[1].Bandpass, points[1].Magnitude!.Value));
        Assert.Equal(("r", (double?)null, (double?)20.5), (points[2].Bandpass, points[2].Magnitude, points[2].Limit));
    }

    [Fact]
    public async Task ProcessReducedDataAsync_NoAlert_FetchesTheObjectPage()
    {
        var fake = new FakeBrokerHttp().On("api/object/", HttpStatusCode.OK, ObjectPage);
        var broker = fake.Broker<LasairBroker>(Configured);

        var points = await broker.ProcessReducedDataAsync("ZTF23abtfusv", null, CancellationToken.None);

        Assert.Equal(16, points.Count);
        Assert.Equal(Base + "api/object/?objectId=ZTF23abtfusv&lasair_added=true&format=json", Assert.Single(fake.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task FetchAlertAsync_OtherObject_FetchesIt()
    {
        var fake = new FakeBrokerHttp().On("api/object/", HttpStatusCode.OK, ObjectPage);
        var broker = fake.Broker<LasairBroker>(Configured);

        var obj = await broker.FetchAlertAsync("ZTF23abtfusv", CancellationToken.None);

        Assert.Equal("ZTF23abtfusv", obj!["objectId"]!.GetValue<string>());
        Assert.Equal("Token " + Key, Assert.Single(fake.Requests).Headers["Authorization"]);
        Assert.Equal(Base + "api/object/?objectId=ZTF23abtfusv&lasair_added=true&format=json", fake.Requests[0].Uri.AbsoluteUri);
        Assert.False(broker.IsSummary(obj));
    }

    private static async Task<FormResult> Clean(params (string Key, string? Value)[] input)
    {
        var form = await new FakeBrokerHttp().Broker<LasairBroker>(Configured).GetFormAsync(CancellationToken.None);
        var values = input.ToDictionary(i => i.Key, i => i.Value);
        values["query_name"] = "q";
        return form.Clean("Lasair", values);
    }

    [Fact]
    public async Task GetFormAsync_Fields_FollowTomsLasairForm()
    {
        var form = await new FakeBrokerHttp().Broker<LasairBroker>(Configured).GetFormAsync(CancellationToken.None);

        // TOM's fields after the survey choice, whose default (ZTF) keeps queries saved before it existed as they were.
        Assert.Equal(["survey", "cone_ra", "cone_dec", "cone_radius", "sqlquery"], form.Fields.Select(f => f.Name));
        Assert.Equal("ztf", form.Field("survey")!.Initial);
        Assert.Equal(["ztf", "lsst"], form.Field("survey")!.Choices.Select(c => c.Value));
        Assert.Equal("10", form.Field("cone_radius")!.Initial);
        Assert.Equal("SQL Query the \"Objects\" table.", form.Field("sqlquery")!.Label);
        Assert.Contains("gmag < 12.0", form.Field("sqlquery")!.HelpText, StringComparison.Ordinal);
        Assert.Equal(["Cone Search", "SQL Query Search"], form.Fields.Skip(1).Select(f => f.Fieldset).Distinct());
    }

    [Fact]
    public async Task Clean_Empty_GivesTomsFormWideMessage()
    {
        var result = await Clean(("cone_radius", "10"));

        Assert.Equal(["Either RA/Dec or Freeform SQL Query must be populated."], result.Errors.For(FormErrors.FormWide));
    }

    [Fact]
    public async Task Clean_Cone_IsValid()
    {
        var result = await Clean(("cone_ra", "1"), ("cone_dec", "2"), ("cone_radius", "10"));

        Assert.True(result.IsValid);
        Assert.Equal(1.0, result.Parameters.GetDouble("cone_ra"));
    }

    [Fact]
    public async Task Clean_Sql_IsValid()
    {
        var result = await Clean(("sqlquery", "gmag < 12.0"));

        Assert.True(result.IsValid);
        Assert.Equal("gmag < 12.0", result.Parameters.GetString("sqlquery"));
    }

    [Theory]
    [InlineData("abc", "2", "10", "cone_ra")]
    [InlineData("360", "2", "10", "cone_ra")]
    [InlineData("-0.1", "2", "10", "cone_ra")]
    [InlineData("1", "90.5", "10", "cone_dec")]
    [InlineData("1", "-91", "10", "cone_dec")]
    [InlineData("1", "x", "10", "cone_dec")]
    [InlineData("1", "2", "0", "cone_radius")]
    [InlineData("1", "2", "1000.5", "cone_radius")]
    [InlineData("1", "2", "ten", "cone_radius")]
    [InlineData("1", "2", "", "cone_radius")]
    [InlineData("1", "", "10", "cone_dec")]
    [InlineData("", "2", "10", "cone_ra")]
    public async Task Clean_BadCone_PutsTheErrorOnThatField(string ra, string dec, string radius, string field)
    {
        var result = await Clean(("cone_ra", ra), ("cone_dec", dec), ("cone_radius", radius));

        Assert.False(result.IsValid);
        Assert.True(result.Errors.Has(field), $"expected an error on {field}: {string.Join("; ", result.Errors.ToDictionary().Select(e => $"{e.Key}={string.Join(",", e.Value)}"))}");
    }
}
