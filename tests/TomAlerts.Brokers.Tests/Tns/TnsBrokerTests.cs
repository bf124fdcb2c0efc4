using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using TomAlerts.Brokers.Tns;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Tests.Tns;

public class TnsBrokerTests
{
    private const string Key = "tnsSecretApiKey0123456789";
    private const string Marker = """tns_marker{"tns_id": 12345, "type": "bot", "name": "tom_bot"}""";
    private static readonly DateTimeOffset Now = new(2024, 1, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> Configured = new()
    {
        ["api_key"] = Key,
        ["bot_id"] = "12345",
        ["bot_name"] = "tom_bot",
    };

    private readonly FakeBrokerHttp _http = new();
    private readonly InstantTimeProvider _time = new(Now);
    private readonly RecordingLogger<TnsBroker> _logger = new();
    private readonly FetchFeedback _feedback = new();
    private readonly List<string?> _statuses = [];

    public TnsBrokerTests() => _feedback.StatusChanged += s => _statuses.Add(s);

    private TnsBroker Broker(Dictionary<string, string?>? settings = null) => _http.Broker<TnsBroker>(settings ?? Configured, _time, new MemoryCache(new MemoryCacheOptions()), _logger);

    private static JsonObject Parameters(params (string Key, JsonNode? Value)[] values)
    {
        var parameters = new JsonObject();
        foreach (var name in new[] { "target_name", "internal_name", "ra", "dec", "radius", "units", "days_ago", "min_date", "days_from_nondet" })
        {
            parameters[name] = null;
        }
        foreach (var (key, value) in values)
        {
            parameters[key] = value;
        }
        // Through text, as a saved query comes back from the database.
        return JsonNode.Parse(parameters.ToJsonString())!.AsObject();
    }

    private static JsonObject Object(string fixture = "tns/get_object_2023vjq.json") =>
        JsonNode.Parse(Fixtures.Read(fixture))!["data"]!.AsObject();

    private static HttpResponseMessage Answer(HttpStatusCode status, string fixture, params (string Name, string Value)[] headers)
    {
        var response = FakeBrokerHttp.Respond(status, Fixtures.Read(fixture));
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }
        return response;
    }

    private static bool IsSearch(HttpRequestMessage r) => r.RequestUri!.AbsolutePath.EndsWith("/get/search", StringComparison.Ordinal);

    private static Func<HttpRequestMessage, bool> IsObject(string objName) => r =>
        r.RequestUri!.AbsolutePath.EndsWith("/get/object", StringComparison.Ordinal)
        && JsonNode.Parse(HttpUtility.ParseQueryString(r.Content!.ReadAsStringAsync().GetAwaiter().GetResult())["data"]!)!["objname"]!.GetValue<string>() == objName;

    private TnsBrokerTests Search(string fixture, params (string Name, string Value)[] headers)
    {
        _http.On(IsSearch, _ => Answer(HttpStatusCode.OK, fixture, headers));
        return this;
    }

    private TnsBrokerTests ObjectAnswer(string objName, string fixture, params (string Name, string Value)[] headers)
    {
        _http.On(IsObject(objName), _ => Answer(HttpStatusCode.OK, fixture, headers));
        return this;
    }

    private static (string? ApiKey, JsonNode? Data) Form(RecordedRequest request)
    {
        var form = HttpUtility.ParseQueryString(request.Body!);
        Assert.Equal(["api_key", "data"], form.AllKeys.Select(k => k ?? ""));
        return (form["api_key"], JsonNode.Parse(form["data"]!));
    }

    private async Task<List<JsonObject>> Fetch(JsonObject parameters, TnsBroker? broker = null) =>
        await (broker ?? Broker()).FetchAlertsAsync(parameters, _feedback, CancellationToken.None).ToListAsync();

    private void AssertNoSecretLeaked(Exception? error = null)
    {
        Assert.DoesNotContain(Key, _feedback.Text ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error?.Message ?? "", StringComparison.Ordinal);
        Assert.All(_logger.Messages, m => Assert.DoesNotContain(Key, m, StringComparison.Ordinal));
        Assert.All(_statuses, s => Assert.DoesNotContain(Key, s ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public void Status_OnlyApiKey_ListsBotIdAndBotName()
    {
        var broker = Broker(new Dictionary<string, string?> { ["api_key"] = Key });

        Assert.Equal(["BROKERS:TNS:bot_id", "BROKERS:TNS:bot_name"], broker.Status.MissingSettings);
    }

    [Fact]
    public void Status_AllSet_IsConfigured()
    {
        Assert.True(Broker().Status.IsConfigured);
    }

    [Fact]
    public async Task FetchAlertsAsync_NotConfigured_ThrowsNamingWhatIsMissingAndTheDocs()
    {
        var broker = Broker(new Dictionary<string, string?> { ["bot_id"] = "12345" });

        var error = await Assert.ThrowsAsync<BrokerNotConfiguredException>(() => Fetch(Parameters(("internal_name", "ZTF23abtfusv")), broker));

        Assert.StartsWith("TNS is not configured", error.Message, StringComparison.Ordinal);
        Assert.Contains("BROKERS:TNS:api_key, BROKERS:TNS:bot_name are missing", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bot_id", error.Message, StringComparison.Ordinal);
        Assert.Contains(broker.DocsUrl, error.Message, StringComparison.Ordinal);
        Assert.Empty(_http.Requests);
    }

    [Fact]
    public async Task FetchAlertsAsync_InternalName_PostsSearchThenObjectWithFormFieldsAndMarker()
    {
        Search("tns/search_by_internal_name.json").ObjectAnswer("2023vjq", "tns/get_object_2023vjq.json");

        var alerts = await Fetch(Parameters(("internal_name", "ZTF23abtfusv")));

        Assert.Equal("2023vjq", Assert.Single(alerts)["objname"]!.GetValue<string>());
        Assert.Equal(["https://www.wis-tns.org/api/get/search", "https://www.wis-tns.org/api/get/object"], _http.Requests.Select(r => r.Uri.AbsoluteUri));
        Assert.All(_http.Requests, r =>
        {
            Assert.Equal(HttpMethod.Post, r.Method);
            Assert.Equal(Marker, r.Headers["User-Agent"]);
        });
        var (searchKey, searchData) = Form(_http.Requests[0]);
        Assert.Equal(Key, searchKey);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"ra": "", "dec": "", "radius": "", "units": "", "objname": "", "objname_exact_match": 0,
             "internal_name": "ZTF23abtfusv", "internal_name_exact_match": 0, "objid": "", "public_timestamp": ""}
            """), searchData), searchData!.ToJsonString());
        var (objectKey, objectData) = Form(_http.Requests[1]);
        Assert.Equal(Key, objectKey);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"objname": "2023vjq", "objid": "", "photometry": "1", "spectra": "0"}"""), objectData), objectData!.ToJsonString());
        Assert.Null(_feedback.Text);
        AssertNoSecretLeaked();
    }

    [Fact]
    public async Task FetchAlertsAsync_ClientWithDefaultUserAgent_SendsOnlyTheMarker()
    {
        Search("tns/search_no_results.json");
        var attribute = typeof(TnsBroker).GetCustomAttribute<BrokerAttribute>()!;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Configured.ToDictionary(kv => "BROKERS:TNS:" + kv.Key, kv => kv.Value)).Build();
        var settings = new BrokerSettings(configuration.GetSection("BROKERS:TNS"), attribute);
        var client = new HttpClient(_http) { BaseAddress = settings.BaseUrl };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("TomAlerts/1.0");

        await Fetch(Parameters(("internal_name", "x")), new TnsBroker(client, settings, _time, new MemoryCache(new MemoryCacheOptions()), _logger));

        Assert.Equal(Marker, Assert.Single(_http.Requests).Headers["User-Agent"]);
    }

    [Fact]
    public async Task FetchAlertsAsync_NonNumericBotIdAndQuotedName_MarkerStaysValidJson()
    {
        Search("tns/search_no_results.json");
        var broker = Broker(new Dictionary<string, string?> { ["api_key"] = Key, ["bot_id"] = "bot-7", ["bot_name"] = "tom \"the\" bot" });

        await Fetch(Parameters(("internal_name", "x")), broker);

        var marker = Assert.Single(_http.Requests).Headers["User-Agent"];
        Assert.StartsWith("tns_marker", marker, StringComparison.Ordinal);
        var json = JsonNode.Parse(marker["tns_marker".Length..])!;
        Assert.Equal("bot-7", json["tns_id"]!.GetValue<string>());
        Assert.Equal("tom \"the\" bot", json["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task FetchAlertsAsync_Cone_SendsTheConeAndUsesTheSearchPrefixWhenTheObjectLacksOne()
    {
        Search("tns/search_cone.json")
            .ObjectAnswer("2023vjq", "tns/get_object_2023vjq.json")
            .ObjectAnswer("2019fdr", "tns/get_object_edge_cases.json");
        var broker = Broker();

        var alerts = await Fetch(Parameters(("ra", 150.3157), ("dec", 2.2094), ("radius", 60), ("units", "arcmin")), broker);

        var data = Form(_http.Requests[0]).Data!;
        Assert.Equal(("150.3157", "2.2094", "60", "arcmin"),
            (data["ra"]!.GetValue<string>(), data["dec"]!.GetValue<string>(), data["radius"]!.GetValue<string>(), data["units"]!.GetValue<string>()));
        Assert.Equal(["SN2023vjq", "AT2019fdr"], alerts.Select(a => broker.ToGenericAlert(a).Name));
    }

    [Fact]
    public async Task ConeParameters_FetchAlerts_SendsTheConeInArcsec()
    {
        Search("tns/search_no_results.json");
        var broker = Broker();

        await Fetch(broker.ConeParameters(150.3157, -2.2094, 7.5), broker);

        var data = Form(Assert.Single(_http.Requests)).Data!;
        Assert.Equal(("150.3157", "-2.2094", "7.5", "arcsec"),
            (data["ra"]!.GetValue<string>(), data["dec"]!.GetValue<string>(), data["radius"]!.GetValue<string>(), data["units"]!.GetValue<string>()));
    }

    [Fact]
    public async Task FetchAlertsAsync_ConeWithoutUnits_DefaultsToArcsec()
    {
        Search("tns/search_no_results.json");

        await Fetch(Parameters(("ra", "150.3157"), ("dec", "2.2094"), ("radius", "5")));

        Assert.Equal("arcsec", Form(Assert.Single(_http.Requests)).Data!["units"]!.GetValue<string>());
    }

    [Fact]
    public async Task FetchAlertsAsync_DaysAgo_SendsPublicTimestampFromTheClock()
    {
        Search("tns/search_no_results.json");

        await Fetch(Parameters(("days_ago", 1.5), ("min_date", "2020-01-01")));

        Assert.Equal("2024-01-09 00:00:00", Form(Assert.Single(_http.Requests)).Data!["public_timestamp"]!.GetValue<string>());
    }

    [Fact]
    public async Task FetchAlertsAsync_MinDate_SendsItInTnsFormat()
    {
        Search("tns/search_no_results.json");

        await Fetch(Parameters(("min_date", "2023-10-23T09:53")));

        Assert.Equal("2023-10-23 09:53:00", Form(Assert.Single(_http.Requests)).Data!["public_timestamp"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("SN2023vjq", "2023vjq")]
    [InlineData("at 2023vjq", "2023vjq")]
    [InlineData("AT2023vjq", "2023vjq")]
    [InlineData("SN 2023vjq", "2023vjq")]
    [InlineData("TDE2023vjq", "2023vjq")]
    [InlineData("tde 2023vjq", "2023vjq")]
    [InlineData("2023vjq", "2023vjq")]
    [InlineData("FRB 20190520B", "20190520B")]
    [InlineData("FRB20190520B", "20190520B")]
    public async Task FetchAlertsAsync_TargetNameWithPrefix_SearchesTheBareName(string typed, string objName)
    {
        Search("tns/search_no_results.json");

        await Fetch(Parameters(("target_name", typed)));

        Assert.Equal(objName, Form(Assert.Single(_http.Requests)).Data!["objname"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("TDE", "2024tvd", "TDE2024tvd")]
    [InlineData("FRB", "20190520B", "FRB20190520B")]
    [InlineData("AT", "2026abc", "AT2026abc")]
    public void ToTarget_AnyPrefix_NamesItPrefixThenObjNameWithTheBareNameAsAlias(string prefix, string objName, string name)
    {
        var obj = Object();
        (obj["name_prefix"], obj["objname"], obj["internal_names"]) = (prefix, objName, "");

        var target = Broker().ToTarget(obj);

        Assert.Equal(name, target.Name);
        Assert.Equal([objName], target.Aliases);
        Assert.Equal(name, Broker().ToGenericAlert(obj).Name);
    }

    [Fact]
    public async Task FetchAlertsAsync_SameObjNameInTwoCases_FetchesTheObjectOnce()
    {
        _http.On(IsSearch, _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, """{"id_code": 200, "id_message": "OK", "data": [{"objname": "2023vjq", "prefix": "SN"}, {"objname": "2023VJQ", "prefix": "AT"}]}"""));
        ObjectAnswer("2023vjq", "tns/get_object_2023vjq.json");

        var alerts = await Fetch(Parameters(("target_name", "2023vjq")));

        Assert.Single(alerts);
    }

    [Theory]
    [InlineData("TDE 2024tvd", "2024tvd")]
    [InlineData("FRB 20190520B", "20190520B")]
    public async Task Clean_TargetNameWithAnyTnsPrefix_StoresTheBareName(string typed, string stored)
    {
        var result = await Clean(("target_name", typed));

        Assert.True(result.IsValid);
        Assert.Equal(stored, result.Parameters.GetString("target_name"));
    }

    [Fact]
    public async Task FetchAlertsAsync_NoResults_SaysSo()
    {
        Search("tns/search_no_results.json");

        var alerts = await Fetch(Parameters(("internal_name", "nothing")));

        Assert.Empty(alerts);
        Assert.Equal("TNS found no objects for this query.", _feedback.Text);
    }

    [Fact]
    public async Task FetchAlertsAsync_ObjectNotFound_SkipsItWithANote()
    {
        _http.On(IsSearch, _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, """{"id_code": 200, "id_message": "OK", "data": [{"objname": "2023zzzz", "prefix": "AT", "objid": 1}, {"objname": "2023vjq", "prefix": "SN", "objid": 139427}]}"""));
        ObjectAnswer("2023zzzz", "tns/get_object_not_found.json").ObjectAnswer("2023vjq", "tns/get_object_2023vjq.json");

        var alerts = await Fetch(Parameters(("target_name", "2023")));

        Assert.Equal("2023vjq", Assert.Single(alerts)["objname"]!.GetValue<string>());
        Assert.Equal("TNS has no object 2023zzzz (No results found.); it was skipped.", _feedback.Text);
    }

    [Fact]
    public async Task FetchAlertsAsync_OlderReplyEnvelope_ReadsDataReply()
    {
        Search("tns/search_reply_envelope.json").ObjectAnswer("2023vjq", "tns/get_object_reply_envelope.json");
        var broker = Broker();

        var alerts = await Fetch(Parameters(("internal_name", "ZTF23abtfusv")), broker);

        var alert = broker.ToGenericAlert(Assert.Single(alerts));
        Assert.Equal(("SN2023vjq", "SN Ia", 19.8553), (alert.Name, alert.Classification, alert.Mag!.Value));
    }

    [Fact]
    public async Task FetchAlertsAsync_429ThenOk_WaitsTheResetAndCompletes()
    {
        var searches = 0;
        _http.On(IsSearch, _ => searches++ == 0
            ? Answer(HttpStatusCode.TooManyRequests, "tns/error_429_too_many_requests.json",
                ("x-rate-limit-limit", "30"), ("x-rate-limit-remaining", "0"), ("x-rate-limit-reset", "42"))
            : Answer(HttpStatusCode.OK, "tns/search_by_internal_name.json", ("x-rate-limit-remaining", "28"), ("x-rate-limit-reset", "40")));
        ObjectAnswer("2023vjq", "tns/get_object_2023vjq.json");

        var alerts = await Fetch(Parameters(("internal_name", "ZTF23abtfusv")));

        Assert.Single(alerts);
        Assert.Equal(3, _http.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(42)], _time.Delays);
        Assert.Equal(["Waiting 42 s for the TNS rate limit.", null], _statuses);
        Assert.Contains(_logger.Messages, m => m.Contains("waiting 42 s", StringComparison.Ordinal));
        AssertNoSecretLeaked();
    }

    [Fact]
    public async Task FetchAlertsAsync_429WithConeReset_WaitsTheLargerResetAtMostAMinute()
    {
        var searches = 0;
        _http.On(IsSearch, _ => searches++ == 0
            ? Answer(HttpStatusCode.TooManyRequests, "tns/error_429_too_many_requests.json",
                ("x-rate-limit-reset", "12"), ("x-cone-rate-limit-remaining", "0"), ("x-cone-rate-limit-reset", "3600"))
            : Answer(HttpStatusCode.OK, "tns/search_no_results.json"));

        await Fetch(Parameters(("ra", 1), ("dec", 2), ("radius", 3)));

        Assert.Equal([TimeSpan.FromSeconds(60)], _time.Delays);
    }

    [Fact]
    public async Task FetchAlertsAsync_429WithoutHeaders_WaitsOneSecond()
    {
        var searches = 0;
        _http.On(IsSearch, _ => searches++ == 0
            ? Answer(HttpStatusCode.TooManyRequests, "tns/error_429_too_many_requests.json")
            : Answer(HttpStatusCode.OK, "tns/search_no_results.json"));

        await Fetch(Parameters(("internal_name", "x")));

        Assert.Equal([TimeSpan.FromSeconds(1)], _time.Delays);
    }

    [Fact]
    public async Task FetchAlertsAsync_429EveryTime_GivesUpAfterBoundedRetries()
    {
        _http.On(IsSearch, _ => Answer(HttpStatusCode.TooManyRequests, "tns/error_429_too_many_requests.json", ("x-rate-limit-reset", "42")));

        var error = await Assert.ThrowsAsync<BrokerHttpException>(() => Fetch(Parameters(("internal_name", "x"))));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.Status);
        Assert.Contains("TNS answered 429 Too Many Requests", error.TechnicalDetail, StringComparison.Ordinal);
        Assert.Equal(TnsApi.MaxRetries + 1, _http.Requests.Count);
        Assert.Equal(TnsApi.MaxRetries, _time.Delays.Count);
        AssertNoSecretLeaked(error);
    }

    [Fact]
    public async Task FetchAlertsAsync_RemainingZero_WaitsResetPlusOneBeforeTheNextCallOnly()
    {
        Search("tns/search_cone.json", ("x-rate-limit-remaining", "5"), ("x-cone-rate-limit-remaining", "0"), ("x-cone-rate-limit-reset", "30"))
            .ObjectAnswer("2023vjq", "tns/get_object_2023vjq.json", ("x-rate-limit-remaining", "0"), ("x-rate-limit-reset", "58"))
            .ObjectAnswer("2019fdr", "tns/get_object_edge_cases.json", ("x-rate-limit-remaining", "0"), ("x-rate-limit-reset", "58"));

        var alerts = await Fetch(Parameters(("ra", 150.3), ("dec", 2.2), ("radius", 60)));

        Assert.Equal(2, alerts.Count);
        Assert.Equal([TimeSpan.FromSeconds(31), TimeSpan.FromSeconds(59)], _time.Delays);
        Assert.Equal(["Waiting 31 s for the TNS rate limit.", null, "Waiting 59 s for the TNS rate limit.", null], _statuses);
    }

    [Fact]
    public async Task FetchAlertsAsync_401_ThrowsReadableMessageWithoutTheKey()
    {
        _http.On(IsSearch, _ => Answer(HttpStatusCode.Unauthorized, "tns/error_401_unauthorized.json"));

        var error = await Assert.ThrowsAsync<BrokerHttpException>(() => Fetch(Parameters(("internal_name", "x"))));

        Assert.Equal("TNS answered 401 Unauthorized: Unauthorized", error.TechnicalDetail);
        AssertNoSecretLeaked(error);
    }

    [Fact]
    public async Task FetchAlertsAsync_ErrorCodeInsideA200Body_Throws()
    {
        _http.On(IsSearch, _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, """{"id_code": 400, "id_message": "Bad request: <b>units</b> missing", "data": []}"""));

        var error = await Assert.ThrowsAsync<BrokerException>(() => Fetch(Parameters(("internal_name", "x"))));

        Assert.Equal("TNS answered 400: Bad request: units missing", error.Message);
    }

    [Theory]
    [InlineData(3.0, 1)]
    [InlineData(2.0, 0)]
    public async Task FetchAlertsAsync_DaysFromNondet_KeepsObjectsFirstDetectedSoonAfterTheLastNonDetection(double days, int kept)
    {
        Search("tns/search_by_internal_name.json").ObjectAnswer("2023vjq", "tns/get_object_2023vjq.json");

        var alerts = await Fetch(Parameters(("internal_name", "ZTF23abtfusv"), ("days_from_nondet", days)));

        Assert.Equal(kept, alerts.Count);
        Assert.Equal(kept == 0, _feedback.Text?.Contains("1 object(s) left out", StringComparison.Ordinal) ?? false);
    }

    [Fact]
    public void ToGenericAlert_Object_MapsNameLinkDateMagAndType()
    {
        var alert = Broker().ToGenericAlert(Object());

        Assert.Equal("2023vjq", alert.Id);
        Assert.Equal("SN2023vjq", alert.Name);
        Assert.Equal("https://www.wis-tns.org/object/2023vjq", alert.Url);
        Assert.Equal(new DateTime(2023, 10, 23, 9, 53, 46, 176, DateTimeKind.Utc), alert.Timestamp);
        Assert.Equal(DateTimeKind.Utc, alert.Timestamp!.Value.Kind);
        // The newest detection of the photometry (g on JD 2460245.94102), not the discovery magnitude.
        Assert.Equal(18.9687, alert.Mag!.Value, 9);
        Assert.Equal("g", alert.Band);
        Assert.Equal("SN Ia", alert.Classification);
        Assert.Equal(150.3157746, alert.Ra);
        Assert.Equal(2.2094301, alert.Dec);
        Assert.Null(alert.Score);
    }

    [Fact]
    public void ToGenericAlert_Object_DiscoveryIsTheFirstDetectionAndTheTypeIsItsClass()
    {
        var alert = Broker().ToGenericAlert(Object());

        Assert.Equal(new DateTime(2023, 10, 23, 9, 53, 46, 176, DateTimeKind.Utc), alert.FirstDetection);
        Assert.Equal(AstroTime.FromJd(2460245.94102), alert.LastDetection);
        Assert.Equal(4, alert.Detections); // the "Last non detection" row is a limit
        var type = Assert.Single(alert.Classifications);
        Assert.Equal(new AlertClassification("TNS", "tns_type", null, "SN Ia", null), type);
    }

    [Fact]
    public void ToGenericAlert_ObjectWithoutPhotometryAndStringMag_DiscoveryMagnitudeInItsFilter()
    {
        var obj = Object();
        obj.Remove("photometry");
        obj["discoverymag"] = "19.8553";
        obj["object_type"] = new JsonObject { ["name"] = null, ["id"] = null };

        var alert = Broker().ToGenericAlert(obj);

        Assert.Equal(19.8553, alert.Mag);
        Assert.Equal("r", alert.Band);
        Assert.Null(alert.LastDetection);
        Assert.Null(alert.Detections);
        Assert.Empty(alert.Classifications);
    }

    [Fact]
    public async Task SandboxApi_RequestsAndLinks_UseTheSandboxSite()
    {
        Search("tns/search_no_results.json");
        var broker = Broker(new Dictionary<string, string?>(Configured) { ["tns_base_url"] = "https://sandbox.wis-tns.org/api" });

        await Fetch(Parameters(("internal_name", "x")), broker);

        Assert.Equal("https://sandbox.wis-tns.org/api/get/search", Assert.Single(_http.Requests).Uri.AbsoluteUri);
        Assert.Equal("https://sandbox.wis-tns.org/object/2023vjq", broker.ToGenericAlert(Object()).Url);
    }

    [Fact]
    public void ToTarget_Object_NamesItWithPrefixAndKeepsSurveyAliasesAndExtras()
    {
        var target = Broker().ToTarget(Object());

        Assert.Equal("SN2023vjq", target.Name);
        Assert.Equal(["ZTF23abtfusv", "ATLAS23vxk", "PS23kpm", "2023vjq"], target.Aliases);
        Assert.Equal(150.3157746, target.Ra);
        Assert.Equal(236.97, target.GalacticLng!.Value, 1);
        Assert.Equal("SN Ia", target.Extras["type"]);
        Assert.Equal("0.0598", target.Extras["redshift"]);
        Assert.Equal("0.05981", target.Extras["host_redshift"]);
        Assert.Equal("SDSS J100115.84+021232.9", target.Extras["hostname"]);
        Assert.Equal("2023-10-23 09:53:46.176", target.Extras["discovery_date"]);
        Assert.Equal("19.8553", target.Extras["discovery_mag"]);
        Assert.Equal("ZTF", target.Extras["reporting_group"]);
        Assert.StartsWith("C. Fremling", target.Extras["discoverer"], StringComparison.Ordinal);
    }

    [Fact]
    public void ToTarget_SexagesimalOnlyAndEmptyValues_ParsesPositionAndLeavesEmptyExtrasOut()
    {
        var obj = Object("tns/get_object_edge_cases.json");
        obj["name_prefix"] = "AT";

        var target = Broker().ToTarget(obj);

        Assert.Equal("AT2019fdr", target.Name);
        Assert.Equal(Angles.TryParseRa("17:33:38.980", out var ra) ? ra : double.NaN, target.Ra);
        Assert.Equal(26.1983889, target.Dec!.Value, 6);
        Assert.Equal("0.2666", target.Extras["redshift"]);
        Assert.Equal("18.91", target.Extras["discovery_mag"]);
        Assert.False(target.Extras.ContainsKey("type"));
        Assert.False(target.Extras.ContainsKey("hostname"));
        Assert.False(target.Extras.ContainsKey("host_redshift"));
        Assert.Equal(["2019fdr"], target.Aliases);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_Object_MagnitudesAndLimitsFromPhotometry()
    {
        var points = await Broker().ProcessReducedDataAsync("2023vjq", Object(), CancellationToken.None);

        Assert.Empty(_http.Requests);
        Assert.Equal(5, points.Count);
        var limit = points[0];
        Assert.Equal((AstroTime.FromJd(2460237.93931), "r", (double?)null, (double?)20.7391, "P48"),
            (limit.Timestamp, limit.Bandpass, limit.Magnitude, limit.Limit, limit.Telescope));
        var detection = points[2];
        Assert.Equal((AstroTime.FromJd(2460240.95613), "g", (double?)19.7706, (double?)0.103532, (double?)null),
            (detection.Timestamp, detection.Bandpass, detection.Magnitude, detection.MagnitudeError, detection.Limit));
    }

    [Fact]
    public async Task ProcessReducedDataAsync_EdgeCases_ConvertsTheMjyRowAndSkipsEmptyRows()
    {
        var points = await Broker().ProcessReducedDataAsync("2019fdr", Object("tns/get_object_edge_cases.json"), CancellationToken.None);

        Assert.Equal(4, points.Count);
        Assert.Equal(("g", (double?)null, (double?)19.9, "ABMag"), (points[0].Bandpass, points[0].Magnitude, points[0].Limit, points[0].FluxUnit));
        Assert.Equal(("r", (double?)18.91, (double?)0.09, (double?)null), (points[1].Bandpass, points[1].Magnitude, points[1].MagnitudeError, points[1].Flux));
        Assert.Equal(("V", (double?)17.2, "LT", new DateTime(2019, 5, 10, 0, 0, 0, DateTimeKind.Utc)),
            (points[2].Bandpass, points[2].Magnitude, points[2].Telescope, points[2].Timestamp));
        // 0.12 ± 0.01 mJy = 120 000 nJy: 31.4 − 2.5 log10(120 000) = 18.702, σ = 1.0857 × 0.01 / 0.12.
        Assert.Equal(("r", 18.702, 0.0905, (double?)0.12, (double?)0.01, "mJy"),
            (points[3].Bandpass, Math.Round(points[3].Magnitude!.Value, 3), Math.Round(points[3].MagnitudeError!.Value, 4), points[3].Flux, points[3].FluxError, points[3].FluxUnit));
    }

    [Fact]
    public async Task ProcessReducedDataAsync_FluxUnits_AbMagnitudesAndLimitsKeepingTheReportedFluxAndUnit()
    {
        var points = await Broker().ProcessReducedDataAsync("2026abc", Object("tns/get_object_flux_units.json"), CancellationToken.None);

        var rows = points.Select(p => (p.Bandpass, Mag: Round(p.Magnitude), Err: Round(p.MagnitudeError), Limit: Round(p.Limit), p.Flux, p.FluxError, p.FluxUnit)).ToList();
        Assert.Equal(
            [
                ("r", 23.9, 0.109, null, 1000, 100, "nJy"),
                ("r", 0.0, 0.0, null, 3.631e12, 1e9, "nJy"),
                ("r", null, null, 25.207, -500, 100, "nJy"),
                ("r", null, null, 25.207, 200, 100, "nJy"),
                ("r", null, null, 25.405, null, null, "nJy"),
                ("i", 22.389, 0.041, null, 0.004021704, 0.000152332, "mJy"),
                ("i", 22.389, 0.041, null, 4.021704, 0.152332, "uJy"),
                ("g", 22.509, null, null, 0.0000036, null, "Jy"),
                ("z", 18.702, 0.09, null, 0.12, 0.01, "mJy"),
                ("V", 17.2, 0.05, null, null, null, "VegaMag"),
            ],
            rows);
        Assert.All(points, p => Assert.Equal("Rubin", p.Telescope));
        Assert.All(points.Where(p => p.IsLimit), p => Assert.NotNull(p.Limit));
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    [Fact]
    public async Task ProcessReducedDataAsync_FluxPerAngstromAndCounts_AreLeftOutAndLogged()
    {
        var points = await Broker().ProcessReducedDataAsync("2026abc", Object("tns/get_object_flux_units.json"), CancellationToken.None);

        Assert.DoesNotContain(points, p => p.FluxUnit is "erg cm(-2) sec(-1) Ang(-1)" or "counts sec(-1)");
        var line = Assert.Single(_logger.Messages, m => m.Contains("left out", StringComparison.Ordinal));
        Assert.Contains("2 photometry point(s) of AT2026abc", line, StringComparison.Ordinal);
        Assert.Contains("erg cm(-2) sec(-1) Ang(-1), counts sec(-1)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_LsstMilliJanskyRow_AgreesWithTheAbMagRowOfTheSamePoint()
    {
        var points = await Broker().ProcessReducedDataAsync("2023vjq", Object("tns/get_object_2023vjq_with_lsst.json"), CancellationToken.None);

        var same = points.Where(p => p.Timestamp == AstroTime.FromJd(2461110.65129)).ToList();
        Assert.Equal(2, same.Count);
        var ab = Assert.Single(same, p => p.FluxUnit == "ABMag");
        var mjy = Assert.Single(same, p => p.FluxUnit == "mJy");
        Assert.Equal(ab.Magnitude!.Value, mjy.Magnitude!.Value, 3);
        Assert.Equal(ab.MagnitudeError!.Value, mjy.MagnitudeError!.Value, 4);
        Assert.Equal((0.004021704, 0.000152332), (mjy.Flux, mjy.FluxError));
        Assert.Equal(11, points.Count);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_MinFluxSnrSetting_MovesTheThreshold()
    {
        var broker = Broker(new Dictionary<string, string?>(Configured) { ["min_flux_snr"] = "1.5" });

        var points = await broker.ProcessReducedDataAsync("2026abc", Object("tns/get_object_flux_units.json"), CancellationToken.None);

        var snr2 = Assert.Single(points, p => p.Flux == 200);
        Assert.Equal(25.647, snr2.Magnitude!.Value, 3);
        var negative = Assert.Single(points, p => p.Flux == -500);
        Assert.Equal(25.96, negative.Limit!.Value, 2);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("three")]
    public async Task ProcessReducedDataAsync_BadMinFluxSnr_SaysWhichSettingIsWrong(string value)
    {
        var broker = Broker(new Dictionary<string, string?>(Configured) { ["min_flux_snr"] = value });

        var error = await Assert.ThrowsAsync<BrokerException>(() => broker.ProcessReducedDataAsync("2026abc", Object("tns/get_object_flux_units.json"), CancellationToken.None));

        Assert.Contains("BROKERS:TNS:min_flux_snr must be a positive number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_NoAlert_FetchesTheObjectWithPhotometry()
    {
        ObjectAnswer("2023vjq", "tns/get_object_2023vjq.json");

        var points = await Broker().ProcessReducedDataAsync("SN2023vjq", null, CancellationToken.None);

        Assert.Equal(5, points.Count);
        Assert.Equal("1", Form(Assert.Single(_http.Requests)).Data!["photometry"]!.GetValue<string>());
    }

    [Fact]
    public async Task FetchAlertAsync_NotFound_ReturnsNull()
    {
        ObjectAnswer("2023zzzz", "tns/get_object_not_found.json");

        Assert.Null(await Broker().FetchAlertAsync("AT2023zzzz", CancellationToken.None));
    }

    [Fact]
    public async Task FetchAlertAsync_PrefixedName_FetchesTheObjectByItsBareName()
    {
        ObjectAnswer("2023vjq", "tns/get_object_2023vjq.json");

        var obj = await Broker().FetchAlertAsync("SN2023vjq", CancellationToken.None);

        Assert.Equal("2023vjq", obj!["objname"]!.GetValue<string>());
        Assert.Equal("2023vjq", Form(Assert.Single(_http.Requests)).Data!["objname"]!.GetValue<string>());
    }

    private async Task<FormResult> Clean(params (string Key, string? Value)[] input)
    {
        var form = await Broker().GetFormAsync(CancellationToken.None);
        var values = input.ToDictionary(i => i.Key, i => i.Value);
        values["query_name"] = "q";
        return form.Clean("TNS", values);
    }

    [Fact]
    public async Task GetFormAsync_Fields_FollowTomsTnsForm()
    {
        var form = await Broker().GetFormAsync(CancellationToken.None);

        Assert.Equal(["target_name", "internal_name", "ra", "dec", "radius", "units", "days_ago", "min_date", "days_from_nondet"], form.Fields.Select(f => f.Name));
        Assert.Equal(("Target (IAU) Name", "With or without its prefix (AT, SN, TDE, FRB): TNS is searched by the name after it"), (form.Field("target_name")!.Label, form.Field("target_name")!.HelpText));
        Assert.Equal(["", "arcsec", "arcmin", "deg"], form.Field("units")!.Choices.Select(c => c.Value));
    }

    [Fact]
    public async Task Clean_Empty_AsksForACriterionUnlikeTom()
    {
        var result = await Clean();

        Assert.False(result.IsValid);
        Assert.Contains("Enter a target name, an internal name, a cone, or a discovery date", Assert.Single(result.Errors.For(FormErrors.FormWide)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clean_TargetNameWithPrefixAndLooseDate_StoresBareNameAndTnsDate()
    {
        var result = await Clean(("target_name", "SN 2023vjq"), ("min_date", "23 Oct 2023"));

        Assert.True(result.IsValid);
        Assert.Equal("2023vjq", result.Parameters.GetString("target_name"));
        Assert.Equal("2023-10-23 00:00:00", result.Parameters.GetString("min_date"));
    }

    [Fact]
    public async Task Clean_FullCone_IsValid()
    {
        var result = await Clean(("ra", "150.3"), ("dec", "-2.2"), ("radius", "10"), ("units", "arcmin"));

        Assert.True(result.IsValid);
    }

    [Theory]
    [InlineData("ra", "360")]
    [InlineData("ra", "-1")]
    [InlineData("ra", "north")]
    [InlineData("dec", "90.1")]
    [InlineData("dec", "-91")]
    [InlineData("radius", "-1")]
    [InlineData("units", "furlong")]
    [InlineData("days_ago", "-1")]
    [InlineData("days_ago", "soon")]
    [InlineData("days_from_nondet", "-0.5")]
    [InlineData("min_date", "not a date")]
    public async Task Clean_BadValue_PutsTheErrorOnThatField(string field, string value)
    {
        var result = await Clean((field, value));

        Assert.True(result.Errors.Has(field), string.Join("; ", result.Errors.ToDictionary().Select(e => $"{e.Key}={string.Join(",", e.Value)}")));
    }

    [Theory]
    [InlineData("1", "2", null, "radius")]
    [InlineData("1", null, "10", "dec")]
    [InlineData(null, null, "10", "ra")]
    public async Task Clean_PartialCone_ErrorsOnTheMissingFields(string? ra, string? dec, string? radius, string missing)
    {
        var result = await Clean(("ra", ra), ("dec", dec), ("radius", radius));

        Assert.Equal([TnsForm.ConeNeedsAll], result.Errors.For(missing));
    }
}
