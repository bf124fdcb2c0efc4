using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using TomAlerts.Brokers.Alerce;

namespace TomAlerts.Brokers.Tests;

public sealed class AlerceBrokerTests : IDisposable
{
    private const string ConeMessage = "All of RA, Dec, and Search Radius must be included to execute a cone search.";
    private const string LcOrStampMessage = "Only one of either light curve or stamp classification may be used as a filter.";

    private readonly TestClock _clock = new();
    private readonly MemoryCache _cache;
    private readonly FakeBrokerHttp _fake = new();
    private readonly FetchFeedback _feedback = new();

    /// <summary>These are ZTF tests: the LSST classifier list the form also shows is in the cache already, so no test counts its request.</summary>
    public AlerceBrokerTests()
    {
        _cache = new MemoryCache(new MemoryCacheOptions { Clock = _clock });
        _cache.Set(Broker().LsstClassifiersCacheKey, AlerceClassifierInfo.FromJson(JsonNode.Parse(Fixtures.Read("alerce_lsst/classifiers.json"))));
    }

    /// <summary>The memory cache's clock, moved on by hand.</summary>
    private sealed class TestClock : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow { get; set; } = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    }

    public void Dispose()
    {
        _cache.Dispose();
        _fake.Dispose();
    }

    private AlerceBroker Broker(Dictionary<string, string?>? settings = null) =>
        _fake.Broker<AlerceBroker>(settings, _cache, NullLogger<AlerceBroker>.Instance);

    private static Func<HttpRequestMessage, bool> Path(string path) => r => r.RequestUri!.AbsolutePath.EndsWith(path, StringComparison.Ordinal);

    private static Func<HttpRequestMessage, bool> Page(int page) =>
        r => r.RequestUri!.AbsolutePath.EndsWith("/objects/", StringComparison.Ordinal) && Query(r.RequestUri).Contains(new("page", page.ToString(CultureInfo.InvariantCulture)));

    private static HttpResponseMessage Json(string fixture, HttpStatusCode status = HttpStatusCode.OK) =>
        FakeBrokerHttp.Respond(status, Fixtures.Read($"alerce/{fixture}"));

    private static List<KeyValuePair<string, string>> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(Uri.UnescapeDataString(p[0]), Uri.UnescapeDataString(p.Length > 1 ? p[1] : "")))
            .ToList();

    private static List<string> Values(Uri uri, string key) => Query(uri).Where(p => p.Key == key).Select(p => p.Value).ToList();

    private async Task<FormResult> CleanAsync(string classifiersFixture, params (string Key, string? Value)[] input)
    {
        _fake.On(Path("/classifiers/"), _ => Json(classifiersFixture));
        var form = await Broker().GetFormAsync(CancellationToken.None);
        var values = input.ToDictionary(i => i.Key, i => i.Value);
        values[BrokerForm.QueryNameField] = "test query";
        return form.Clean("ALeRCE", values);
    }

    private Task<FormResult> CleanAsync(params (string Key, string? Value)[] input) => CleanAsync("classifiers.json", input);

    private async Task<List<JsonObject>> FetchAsync(JsonObject parameters) =>
        await Broker().FetchAlertsAsync(parameters, _feedback, CancellationToken.None).ToListAsync();

    private static JsonObject FirstItem(string fixture) =>
        JsonNode.Parse(Fixtures.Read($"alerce/{fixture}"))!["items"]![0]!.AsObject();

    // ---- form ----

    [Fact]
    public async Task GetFormAsync_ClassifiersLoaded_HasTomFieldsInTomFieldsets()
    {
        _fake.On(Path("/classifiers/"), _ => Json("classifiers.json"));

        var form = await Broker().GetFormAsync(CancellationToken.None);

        Assert.Null(form.Notice);
        Assert.Equal("Classification Filters", form.Field("p_lc_classifier")?.Fieldset);
        Assert.Equal("Location Filters", form.Field("radius")?.Fieldset);
        Assert.Equal("Time Filters", form.Field("lastmjd__lt")?.Fieldset);
        Assert.Equal("Other Filters", form.Field("ndet")?.Fieldset);
        Assert.Equal("General Parameters", form.Field("max_pages")?.Fieldset);
        // The classifiers the recorded list has; the others are left out (see GetFormAsync_ClassifierAlerceDoesNotList_…).
        foreach (var key in new[] { "lc_classifier", "lc_classifier_top", "stamp_classifier" })
        {
            Assert.Equal(FieldKind.Choice, form.Field(key)?.Kind);
            Assert.Equal(FieldKind.Number, form.Field("p_" + key)?.Kind);
        }
        Assert.Equal(["1", "5", "10", "20"], form.Field("max_pages")!.Choices.Select(c => c.Value));
        Assert.Equal("https://api.alerce.online/ztf/v1/classifiers/", _fake.Requests.Single().Uri.ToString());
    }

    [Fact]
    public async Task GetFormAsync_ClassifierAlerceDoesNotList_IsLeftOutInsteadOfAnEmptySelect()
    {
        // The recorded list has no BHRF, ATAT or 2025-beta stamp classifier.
        _fake.On(Path("/classifiers/"), _ => Json("classifiers.json"));

        var form = await Broker().GetFormAsync(CancellationToken.None);

        Assert.All(form.Fields.Where(f => f.Kind == FieldKind.Choice), f => Assert.Contains(f.Choices, c => c.Value.Length > 0));
        Assert.Null(form.Field("lc_classifier_bhrf"));
        Assert.Null(form.Field("lc_classifier_atat"));
        Assert.NotNull(form.Field("stamp_classifier"));
        Assert.Null(form.Field("p_lc_classifier_bhrf"));
    }

    [Fact]
    public async Task GetFormAsync_CurrentLcClassifierVersion_UsesItsOwnClasses()
    {
        _fake.On(Path("/classifiers/"), _ => Json("classifiers.json"));

        var form = await Broker().GetFormAsync(CancellationToken.None);

        var lc = form.Field("lc_classifier")!.Choices;
        Assert.Equal(new FieldChoice("", ""), lc[0]);
        Assert.Contains(new FieldChoice("SNIa", "SNIa"), lc);
        Assert.Contains(new FieldChoice("Periodic-Other", "Periodic-Other"), lc);
        Assert.Equal(16, lc.Count);
        Assert.Contains(new FieldChoice("SN", "SN"), form.Field("stamp_classifier")!.Choices);
        Assert.Equal(["", "Transient", "Stochastic", "Periodic"], form.Field("lc_classifier_top")!.Choices.Select(c => c.Value));
    }

    [Fact]
    public async Task GetFormAsync_LcClassifierVersion100_CombinesHierarchicalGroupsAsTom()
    {
        _fake.On(Path("/classifiers/"), _ => Json("classifiers_tom_test.json"));

        var form = await Broker().GetFormAsync(CancellationToken.None);

        Assert.Equal(
            [new("", ""), new("SNIa", "Transient - SNIa"), new("QSO", "Stochastic - QSO"), new("LPV", "Periodic - LPV")],
            form.Field("lc_classifier")!.Choices);
        Assert.Equal([new("", ""), new("SN", "SN")], form.Field("stamp_classifier")!.Choices);
    }

    [Fact]
    public async Task GetFormAsync_SeveralVersionsOfAClassifier_UsesTheNumericallyNewest()
    {
        _fake.On(Path("/classifiers/"), _ => Json("classifiers_tom_test.json"));

        var form = await Broker().GetFormAsync(CancellationToken.None);

        // 2.10.0 beats 2.9.0 and 2.0.0 (a string comparison would pick 2.9.0); TOM's BHRF builder returned None here.
        Assert.Equal(["", "SNIa", "SNII", "TDE"], form.Field("lc_classifier_bhrf")!.Choices.Select(c => c.Value));
        Assert.Equal(["", "SNIa", "KN"], form.Field("lc_classifier_atat")!.Choices.Select(c => c.Value));
        Assert.Equal(["", "SN", "AGN", "satellite"], form.Field("stamp_classifier_beta")!.Choices.Select(c => c.Value));
    }

    [Fact]
    public async Task GetFormAsync_SecondCall_UsesCachedClassifiersWithoutRequest()
    {
        _fake.On(Path("/classifiers/"), _ => Json("classifiers.json"));

        await Broker().GetFormAsync(CancellationToken.None);
        var again = await Broker().GetFormAsync(CancellationToken.None);

        Assert.Single(_fake.Requests);
        Assert.Contains(new FieldChoice("SNIa", "SNIa"), again.Field("lc_classifier")!.Choices);
    }

    [Fact]
    public async Task GetFormAsync_ClassifiersUnreachable_RendersWithNoticeAndTextClassFields_AsksAgainAfterAMinute()
    {
        _fake.On(Path("/classifiers/"), _ => FakeBrokerHttp.Respond(HttpStatusCode.BadGateway, Fixtures.Read("alerce/error_502_gateway.html"), "text/html"));

        var form = await Broker().GetFormAsync(CancellationToken.None);
        var again = await Broker().GetFormAsync(CancellationToken.None);

        Assert.Contains("class lists could not be loaded", form.Notice, StringComparison.Ordinal);
        Assert.Contains("502", form.Notice, StringComparison.Ordinal);
        Assert.Equal(form.Notice, again.Notice);
        Assert.Equal(FieldKind.Text, form.Field("lc_classifier")?.Kind);
        Assert.Single(_fake.Requests); // the failure is kept a minute: pages showing the form do not each call a broker that is down
        _clock.UtcNow += FormLists.RetryAfterFailure + TimeSpan.FromSeconds(1);
        await Broker().GetFormAsync(CancellationToken.None);
        Assert.Equal(2, _fake.Requests.Count);
        var result = form.Clean("ALeRCE", new Dictionary<string, string?> { ["query_name"] = "q", ["lc_classifier"] = "SNIa", ["p_lc_classifier"] = "0.5" });
        Assert.True(result.IsValid);
    }

    [Theory]
    [InlineData("10", "10", null)]
    [InlineData("10", null, "10")]
    [InlineData(null, "10", "10")]
    [InlineData("0", null, null)]
    public async Task Clean_PartialCone_GivesConeMessage(string? ra, string? dec, string? radius)
    {
        var result = await CleanAsync(("ra", ra), ("dec", dec), ("radius", radius));

        Assert.Equal([ConeMessage], result.Errors.For(FormErrors.FormWide));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("0", "12.5")]
    [InlineData("150.25", "0")]
    public async Task FetchAlertsAsync_ConeAtRaOrDecZero_SendsValuesTheServerDoesNotDrop(string ra, string dec)
    {
        // The server skips a cone when ra or dec is 0.0 (Python truthiness) and answers with every object.
        var result = await CleanAsync(("ra", ra), ("dec", dec), ("radius", "10"));
        _fake.On(Page(1), _ => Json("objects_empty.json"));

        await FetchAsync(result.Parameters);

        Assert.True(result.IsValid);
        var uri = _fake.Requests.Last().Uri;
        foreach (var (key, given) in new[] { ("ra", ra), ("dec", dec) })
        {
            var sent = double.Parse(Assert.Single(Values(uri, key)), CultureInfo.InvariantCulture);
            Assert.NotEqual(0, sent);
            Assert.True(Math.Abs(sent - double.Parse(given, CultureInfo.InvariantCulture)) * 3600 < 1e-5, $"{key}={sent} is not the position asked for");
        }
        Assert.Equal(["10"], Values(uri, "radius"));
    }

    [Fact]
    public async Task ConeParameters_FetchAlerts_SendsTheConeInArcsec()
    {
        _fake.On(Page(1), _ => Json("objects_empty.json"));

        await FetchAsync(Broker().ConeParameters(150.3157, -2.2094, 7.5));

        var uri = Assert.Single(_fake.Requests).Uri;
        Assert.Equal(["150.3157"], Values(uri, "ra"));
        Assert.Equal(["-2.2094"], Values(uri, "dec"));
        Assert.Equal(["7.5"], Values(uri, "radius"));
    }

    [Fact]
    public async Task FetchAlertsAsync_ServerAnswersOutsideTheCone_KeepsOnlyObjectsInside()
    {
        // objects_page1 holds ZTF23abtfusv (150.3158, 2.2094) and objects elsewhere, as a server that dropped the cone would send.
        var result = await CleanAsync(("ra", "150.3158"), ("dec", "2.2094"), ("radius", "5"));
        _fake.On(Page(1), _ => Json("objects_page1.json"));
        _fake.On(Page(2), _ => Json("objects_empty.json"));

        var alerts = await FetchAsync(result.Parameters);

        Assert.Equal(["ZTF23abtfusv"], alerts.Select(a => (string?)a["oid"]));
        Assert.Contains("outside the cone", _feedback.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("firstmjd__lt", "firstmjd", new[] { "0", "60300" })]
    [InlineData("lastmjd__lt", "lastmjd", new[] { "0", "60300" })]
    [InlineData("firstmjd__gt", "firstmjd", new[] { "60300" })]
    [InlineData("lastmjd__gt", "lastmjd", new[] { "60300" })]
    public async Task FetchAlertsAsync_OneDateBound_IsSentAsTheServerReadsIt(string field, string key, string[] expected)
    {
        // One value is a minimum for the server, two a range: "before X" alone must go out as [0, X].
        var result = await CleanAsync((field, "60300"));
        _fake.On(Page(1), _ => Json("objects_empty.json"));

        await FetchAsync(result.Parameters);

        Assert.Equal(expected, Values(_fake.Requests.Last().Uri, key));
    }

    [Theory]
    [InlineData("ra", "360")]
    [InlineData("ra", "-0.5")]
    [InlineData("dec", "90.5")]
    [InlineData("dec", "-91")]
    [InlineData("radius", "0")]
    [InlineData("radius", "-3")]
    public async Task Clean_ConeValueOutOfRange_GivesErrorOnThatField(string field, string value)
    {
        var input = new Dictionary<string, string?> { ["ra"] = "10", ["dec"] = "10", ["radius"] = "10", [field] = value };

        var result = await CleanAsync(input.Select(i => (i.Key, i.Value)).ToArray());

        Assert.NotEmpty(result.Errors.For(field));
    }

    [Fact]
    public async Task Clean_RaJustBelow360AndDecAtPoles_AreValid()
    {
        var north = await CleanAsync(("ra", "359.999"), ("dec", "90"), ("radius", "5"));
        var south = await CleanAsync(("ra", "0"), ("dec", "-90"), ("radius", "5"));

        Assert.True(north.IsValid);
        Assert.True(south.IsValid);
    }

    [Theory]
    [InlineData("p_lc_classifier", "1.01")]
    [InlineData("p_stamp_classifier", "-0.1")]
    [InlineData("p_lc_classifier_top", "2")]
    public async Task Clean_ProbabilityOutsideZeroToOne_IsInvalid(string field, string value)
    {
        var result = await CleanAsync((field, value));

        Assert.NotEmpty(result.Errors.For(field));
    }

    [Fact]
    public async Task Clean_TimeRanges_AreValidAndNegativeMjdIsNot()
    {
        var valid = await CleanAsync(("firstmjd__gt", "57000"), ("firstmjd__lt", "58000"), ("lastmjd__gt", "58000"), ("lastmjd__lt", "59000"));
        var negative = await CleanAsync(("lastmjd__gt", "-1"));

        Assert.True(valid.IsValid);
        Assert.NotEmpty(negative.Errors.For("lastmjd__gt"));
    }

    [Fact]
    public async Task Clean_LightCurveOrStampAlone_IsValid()
    {
        var lc = await CleanAsync("classifiers_tom_test.json", ("lc_classifier", "SNIa"), ("p_lc_classifier", "0.5"));
        var stamp = await CleanAsync("classifiers_tom_test.json", ("stamp_classifier", "SN"), ("p_stamp_classifier", "0.5"));

        Assert.True(lc.IsValid);
        Assert.True(stamp.IsValid);
    }

    [Fact]
    public async Task Clean_LightCurveAndStamp_GivesTomMessage()
    {
        var result = await CleanAsync("classifiers_tom_test.json", ("lc_classifier", "SNIa"), ("p_stamp_classifier", "0.5"));

        Assert.Equal([LcOrStampMessage], result.Errors.For(FormErrors.FormWide));
    }

    [Fact]
    public async Task Clean_TwoLightCurveClassifiers_IsInvalid()
    {
        var result = await CleanAsync("classifiers_tom_test.json", ("lc_classifier_top", "Transient"), ("lc_classifier_bhrf", "TDE"));

        Assert.Single(result.Errors.For(FormErrors.FormWide));
    }

    [Theory]
    [InlineData("order_by", "deltamjd")]
    [InlineData("order_by", "ndethist")]
    [InlineData("order_mode", "desc")]
    [InlineData("max_pages", "7")]
    [InlineData("lc_classifier", "NotAClass")]
    public async Task Clean_ValueTheServerRejects_IsNotAChoice(string field, string value)
    {
        var result = await CleanAsync((field, value));

        Assert.NotEmpty(result.Errors.For(field));
    }

    [Theory]
    [InlineData("oid")]
    [InlineData("probability")]
    [InlineData("ndet")]
    [InlineData("firstmjd")]
    [InlineData("lastmjd")]
    [InlineData("deltajd")]
    public async Task Clean_OrderByInServerEnum_IsValid(string orderBy)
    {
        var result = await CleanAsync(("order_by", orderBy), ("order_mode", "DESC"));

        Assert.True(result.IsValid);
    }

    // ---- request mapping ----

    [Theory]
    [InlineData("lc_classifier", "SNIa", "lc_classifier")]
    [InlineData("lc_classifier_top", "Transient", "lc_classifier_top")]
    [InlineData("lc_classifier_bhrf", "TDE", "lc_classifier_BHRF_forced_phot")]
    [InlineData("lc_classifier_bhrf_top", "Transient", "lc_classifier_BHRF_forced_phot_top")]
    [InlineData("lc_classifier_atat", "KN", "LC_classifier_ATAT_forced_phot(beta)")]
    [InlineData("stamp_classifier", "SN", "stamp_classifier")]
    [InlineData("stamp_classifier_beta", "satellite", "stamp_classifier_2025_beta")]
    public async Task FetchAlertsAsync_EachClassifier_SendsClassifierClassAndProbability(string key, string className, string apiName)
    {
        var result = await CleanAsync("classifiers_tom_test.json", (key, className), ("p_" + key, "0.25"));
        _fake.On(Page(1), _ => Json("objects_empty.json"));

        await FetchAsync(result.Parameters);

        Assert.True(result.IsValid);
        var uri = _fake.Requests.Last().Uri;
        Assert.Equal([apiName], Values(uri, "classifier"));
        Assert.Equal([className], Values(uri, "class"));
        Assert.Equal(["0.25"], Values(uri, "probability"));
    }

    [Fact]
    public async Task FetchAlertsAsync_FullQuery_SendsTheDocumentedQueryString()
    {
        var result = await CleanAsync(("lc_classifier", "SNIa"), ("p_lc_classifier", "0.5"), ("firstmjd__gt", "60200"), ("firstmjd__lt", "60300"),
            ("lastmjd__gt", "60250.5"), ("order_by", "probability"), ("order_mode", "DESC"), ("oid", "ZTF23*"), ("ndet", "5"), ("ranking", "1"));
        _fake.On(Page(1), _ => Json("objects_empty.json"));

        await FetchAsync(result.Parameters);

        var uri = _fake.Requests.Last().Uri;
        Assert.Equal("/ztf/v1/objects/", uri.AbsolutePath);
        Assert.Equal(
            new Dictionary<string, string[]>
            {
                ["classifier"] = ["lc_classifier"], ["class"] = ["SNIa"], ["probability"] = ["0.5"],
                ["firstmjd"] = ["60200", "60300"], ["lastmjd"] = ["60250.5"],
                ["order_by"] = ["probability"], ["order_mode"] = ["DESC"], ["oid"] = ["ZTF23*"], ["ndet"] = ["5"], ["ranking"] = ["1"],
                ["page"] = ["1"], ["page_size"] = ["500"], ["count"] = ["true"],
            },
            Query(uri).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Select(p => p.Value).ToArray()));
    }

    [Fact]
    public async Task FetchAlertsAsync_EmptyAndNoneValues_AreNeverSent()
    {
        var parameters = new JsonObject
        {
            ["query_name"] = "q", ["broker"] = "ALeRCE", ["oid"] = "", ["ndet"] = null, ["order_by"] = "None", ["order_mode"] = null,
            ["lc_classifier"] = null, ["p_lc_classifier"] = null, ["ra"] = null, ["dec"] = null, ["radius"] = null, ["firstmjd__gt"] = " ",
            ["max_pages"] = null,
        };
        _fake.On(Page(1), _ => Json("objects_empty.json"));

        await FetchAsync(parameters);

        Assert.Equal(["page", "page_size", "count"], Query(_fake.Requests.Single().Uri).Select(p => p.Key));
        Assert.DoesNotContain("None", _fake.Requests.Single().Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_CommaDecimalCulture_SendsInvariantNumbers()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            _fake.On(Page(1), _ => Json("objects_empty.json"));
            var parameters = new JsonObject { ["ra"] = 150.25, ["dec"] = -2.5, ["radius"] = 1.5, ["p_lc_classifier"] = 0.75 };

            await FetchAsync(parameters);

            var uri = _fake.Requests.Single().Uri;
            Assert.Equal(["150.25"], Values(uri, "ra"));
            Assert.Equal(["-2.5"], Values(uri, "dec"));
            Assert.Equal(["1.5"], Values(uri, "radius"));
            Assert.Equal(["0.75"], Values(uri, "probability"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public async Task FetchAlertsAsync_ConfiguredBaseUrl_IsUsedForEveryRequest()
    {
        _fake.On(Page(1), _ => Json("objects_empty.json"));

        await _fake.Broker<AlerceBroker>(new Dictionary<string, string?> { ["base_url"] = "http://alerce.test/api/v9" }, _cache, NullLogger<AlerceBroker>.Instance)
            .FetchAlertsAsync([], _feedback, CancellationToken.None).ToListAsync();

        Assert.StartsWith("http://alerce.test/api/v9/objects/?", _fake.Requests.Single().Uri.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_StoredTomDeltaMjd_IsSentAsServerDeltaJd()
    {
        _fake.On(Page(1), _ => Json("objects_empty.json"));

        await FetchAsync(new JsonObject { ["order_by"] = "deltamjd" });

        Assert.Equal(["deltajd"], Values(_fake.Requests.Single().Uri, "order_by"));
    }

    // ---- paging ----

    [Fact]
    public async Task FetchAlertsAsync_HasNextTrue_FetchesTheNextPageInOrder()
    {
        _fake.On(Page(1), _ => Json("objects_page1.json")).On(Page(2), _ => Json("objects_page2.json"));

        var alerts = await FetchAsync(new JsonObject { ["max_pages"] = "5" });

        Assert.Equal(["ZTF23abtfusv", "ZTF23abqkwmn", "ZTF23abmoxyl", "ZTF23absnudi", "ZTF23abvfgke"], alerts.Select(a => (string?)a["oid"]));
        Assert.Equal(2, _fake.Requests.Count);
        Assert.Null(_feedback.Text);
    }

    [Fact]
    public async Task FetchAlertsAsync_CountFalseShortPage_StopsAfterOnePage()
    {
        _fake.On(Page(1), _ => Json("objects_page1_count_false.json")).On(Page(2), _ => Json("objects_page2.json"));

        var alerts = await FetchAsync(new JsonObject { ["max_pages"] = "5" });

        Assert.Equal(3, alerts.Count);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task FetchAlertsAsync_CountFalseFullPage_KeepsGoingDespiteHasNextFalse()
    {
        // The server says has_next=false whenever it did not count, so a full page may still have a successor.
        var full = JsonNode.Parse(Fixtures.Read("alerce/objects_page1_count_false.json"))!.AsObject();
        var template = full["items"]![0]!;
        full["items"] = new JsonArray(Enumerable.Range(0, 500).Select(i =>
        {
            var item = template.DeepClone();
            item["oid"] = $"ZTF23full{i:000}";
            return (JsonNode?)item;
        }).ToArray());
        _fake.On(Page(1), _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, full.ToJsonString()))
            .On(Page(2), _ => Json("objects_page1_count_false.json"));

        var alerts = await FetchAsync(new JsonObject { ["max_pages"] = "5" });

        Assert.Equal(503, alerts.Count);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task FetchAlertsAsync_EmptyPage_Stops()
    {
        _fake.On(Page(1), _ => Json("objects_page1.json")).On(_ => true, _ => Json("objects_empty.json"));

        // A number, as a saved query read back from the database holds it.
        var alerts = await FetchAsync(JsonNode.Parse("""{"max_pages": 20}""")!.AsObject());

        Assert.Equal(3, alerts.Count);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task FetchAlertsAsync_MorePagesThanMaxPages_StopsAtMaxPagesAndSaysSo()
    {
        _fake.On(_ => true, _ => Json("objects_page1.json"));

        var alerts = await FetchAsync(new JsonObject { ["max_pages"] = "5" });

        Assert.Equal(15, alerts.Count);
        Assert.Equal(["1", "2", "3", "4", "5"], _fake.Requests.Select(r => Values(r.Uri, "page").Single()));
        Assert.Contains("5 page", _feedback.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_BlankMaxPages_FetchesOnePage()
    {
        _fake.On(_ => true, _ => Json("objects_page1.json"));

        var alerts = await FetchAsync(new JsonObject { ["max_pages"] = null });

        Assert.Equal(3, alerts.Count);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task FetchAlertsAsync_FirstItemTaken_HasRequestedOnlyTheFirstPage()
    {
        _fake.On(_ => true, _ => Json("objects_page1.json"));

        await using var alerts = Broker().FetchAlertsAsync(new JsonObject { ["max_pages"] = "20" }, _feedback, CancellationToken.None).GetAsyncEnumerator();
        await alerts.MoveNextAsync();

        Assert.Single(_fake.Requests);
        Assert.Null(alerts.Current.Parent); // detached, so a caller may put it into its own document
    }

    // ---- errors ----

    [Fact]
    public async Task FetchAlertsAsync_Validation400_SaysWhichParameterIsWrong()
    {
        _fake.On(_ => true, _ => Json("error_400_validation.json", HttpStatusCode.BadRequest));

        var error = await Assert.ThrowsAnyAsync<BrokerException>(() => FetchAsync(new JsonObject { ["order_mode"] = "desc" }));

        Assert.Contains("400", error.TechnicalDetail, StringComparison.Ordinal);
        Assert.Contains("order_mode", error.TechnicalDetail, StringComparison.Ordinal);
        Assert.Contains("is not a valid choice", error.TechnicalDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_ServerError500_IsReadableBrokerException()
    {
        _fake.On(_ => true, _ => Json("error_500.json", HttpStatusCode.InternalServerError));

        var error = await Assert.ThrowsAnyAsync<BrokerException>(() => FetchAsync([]));

        Assert.Equal("ALeRCE answered 500 Internal Server Error: Internal Server Error", error.TechnicalDetail);
    }

    [Fact]
    public async Task FetchAlertsAsync_HtmlErrorPage_GivesMessageWithoutTags()
    {
        _fake.On(_ => true, _ => FakeBrokerHttp.Respond(HttpStatusCode.BadGateway, Fixtures.Read("alerce/error_502_gateway.html"), "text/html"));

        var error = await Assert.ThrowsAnyAsync<BrokerException>(() => FetchAsync([]));

        Assert.StartsWith("ALeRCE answered 502 Bad Gateway", error.TechnicalDetail, StringComparison.Ordinal);
        Assert.DoesNotContain("<", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_NonJsonSuccessBody_SaysItIsNotJson()
    {
        _fake.On(_ => true, _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, "<html><body>maintenance</body></html>", "text/html"));

        var error = await Assert.ThrowsAnyAsync<BrokerException>(() => FetchAsync([]));

        Assert.Contains("not JSON", error.TechnicalDetail, StringComparison.Ordinal);
        Assert.Contains("maintenance", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAlertsAsync_ConnectionRefused_IsReadableBrokerException()
    {
        _fake.On(_ => true, _ => throw new HttpRequestException("Connection refused"));

        var error = await Assert.ThrowsAnyAsync<BrokerException>(() => FetchAsync([]));

        Assert.Equal("Could not reach ALeRCE: Connection refused", error.TechnicalDetail);
    }

    // ---- one object ----

    [Fact]
    public async Task FetchAlertAsync_KnownOid_ReturnsTheObject()
    {
        _fake.On(Path("/objects/ZTF23abtfusv"), _ => Json("object_ZTF23abtfusv.json"));

        var alert = await Broker().FetchAlertAsync("ZTF23abtfusv", CancellationToken.None);

        Assert.Equal("ZTF23abtfusv", (string?)alert?["oid"]);
        Assert.Equal(60240.41234, (double?)alert?["firstmjd"]);
        Assert.Equal("https://api.alerce.online/ztf/v1/objects/ZTF23abtfusv", _fake.Requests.Single().Uri.ToString());
    }

    [Fact]
    public async Task FetchAlertAsync_UnknownOid_ReturnsNull()
    {
        _fake.On(_ => true, _ => Json("error_404_object_not_found.json", HttpStatusCode.NotFound));

        Assert.Null(await Broker().FetchAlertAsync("ZTF23zzzzzzz", CancellationToken.None));
    }

    [Fact]
    public async Task FetchAlertAsync_ServerError_Throws()
    {
        _fake.On(_ => true, _ => Json("error_500.json", HttpStatusCode.InternalServerError));

        var error = await Assert.ThrowsAnyAsync<BrokerException>(() => Broker().FetchAlertAsync("ZTF23abtfusv", CancellationToken.None));

        Assert.Contains("500", error.TechnicalDetail, StringComparison.Ordinal);
    }

    // ---- parsing ----

    [Fact]
    public void ToGenericAlert_ListItem_MapsTomFieldsAndClassification()
    {
        var alert = Broker().ToGenericAlert(FirstItem("objects_page1.json"));

        Assert.Equal("ZTF23abtfusv", alert.Id);
        Assert.Equal("ZTF23abtfusv", alert.Name);
        Assert.Equal(150.31577623641664, alert.Ra);
        Assert.Equal(2.209430147125912, alert.Dec);
        Assert.Equal("https://alerce.online/object/ZTF23abtfusv", alert.Url);
        Assert.Equal(0.874, alert.Score);
        Assert.Equal("SNIa", alert.Classification);
        Assert.Null(alert.Mag);
        // lastmjd 60282.29437 is 2023-12-04 07:03:53.568 UTC.
        Assert.Equal(DateTimeKind.Utc, alert.Timestamp?.Kind);
        Assert.Equal(new DateTime(2023, 12, 4, 7, 3, 53, 568, DateTimeKind.Utc), alert.Timestamp!.Value, TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public void ToGenericAlert_TomTestMjd_IsMidnightUtc()
    {
        var alert = Broker().ToGenericAlert(JsonNode.Parse("""{"oid": "ZTF20abcdefg", "lastmjd": 59155}""")!.AsObject());

        Assert.Equal(new DateTime(2020, 11, 2, 0, 0, 0, DateTimeKind.Utc), alert.Timestamp);
    }

    [Fact]
    public void ToGenericAlert_NullClassAndStringNumbers_GivesNullsAndParsedNumbers()
    {
        var alert = Broker().ToGenericAlert(FirstItem("objects_nulls_and_strings.json"));

        Assert.Null(alert.Score);
        Assert.Null(alert.Classification);
        Assert.Null(alert.Timestamp);
        Assert.Equal(0.0, alert.Ra);
        Assert.Equal(-0.5, alert.Dec);
    }

    [Fact]
    public void ToGenericAlert_ItemWithMagnitude_KeepsIt()
    {
        var item = FirstItem("objects_page1.json");
        item["magpsf"] = 18.25;

        Assert.Equal(18.25, Broker().ToGenericAlert(item).Mag);
    }

    [Fact]
    public void ToTarget_ListItem_HasPositionAndInvariantExtras()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("fr-FR");
        try
        {
            var target = Broker().ToTarget(FirstItem("objects_page1.json"));

            Assert.Equal("ZTF23abtfusv", target.Name);
            Assert.Equal(150.31577623641664, target.Ra);
            Assert.Equal(2.209430147125912, target.Dec);
            Assert.Equal("SNIa", target.Extras["class"]);
            Assert.Equal("lc_classifier", target.Extras["classifier"]);
            Assert.Equal("0.874", target.Extras["probability"]);
            Assert.Equal("12", target.Extras["ndet"]);
            Assert.Equal("14", target.Extras["ndethist"]);
            Assert.Equal("60240.41234", target.Extras["firstmjd"]);
            Assert.Equal("60282.29437", target.Extras["lastmjd"]);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void ToTarget_NullClassAndStringNumbers_OmitsNullsAndReadsStrings()
    {
        var target = Broker().ToTarget(FirstItem("objects_nulls_and_strings.json"));

        Assert.False(target.Extras.ContainsKey("class"));
        Assert.False(target.Extras.ContainsKey("probability"));
        Assert.False(target.Extras.ContainsKey("lastmjd"));
        Assert.Equal("14", target.Extras["ndethist"]);
        Assert.Equal("12", target.Extras["ndet"]);
        Assert.Equal("58254.31234", target.Extras["firstmjd"]);
        Assert.Equal(0.0, target.Ra);
    }

    // ---- light curve ----

    [Fact]
    public async Task ProcessReducedDataAsync_LightCurve_GivesDetectionsAndLimits()
    {
        _fake.On(Path("/objects/ZTF23abtfusv/lightcurve"), _ => Json("lightcurve_ZTF23abtfusv.json"));

        var points = await Broker().ProcessReducedDataAsync("ZTF23abtfusv", null, CancellationToken.None);

        Assert.Equal("https://api.alerce.online/ztf/v1/objects/ZTF23abtfusv/lightcurve", _fake.Requests.Single().Uri.ToString());
        Assert.Equal(12, points.Count(p => p.Magnitude is not null));
        var first = points.First(p => p.Magnitude is not null);
        Assert.Equal(19.85526466369629, first.Magnitude);
        Assert.Equal(0.10776325315237045, first.MagnitudeError);
        Assert.Equal("r", first.Bandpass);
        Assert.Equal("ZTF", first.Telescope);
        Assert.Equal((PhotometryKind.Detection, "ZTF", "2486412333715015000"), (first.Kind, first.Survey, first.SourceId));
        Assert.All(points.Where(p => p.IsLimit), p => Assert.Equal((PhotometryKind.Limit, "ZTF"), (p.Kind, p.Survey)));
        Assert.Equal(new DateTime(2023, 10, 23, 9, 53, 46, 176, DateTimeKind.Utc), first.Timestamp, TimeSpan.FromMilliseconds(5));
        Assert.Equal("g", points.Where(p => p.Magnitude is not null).ElementAt(1).Bandpass);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_NonDetections_AreLimitsNeverMagnitudes()
    {
        _fake.On(_ => true, _ => Json("lightcurve_ZTF23abtfusv.json"));

        var points = await Broker().ProcessReducedDataAsync("ZTF23abtfusv", null, CancellationToken.None);

        var limits = points.Where(p => p.IsLimit).ToList();
        Assert.Equal([20.612300872802734, 20.44179916381836, 19.117399215698242, 20.739099502563477], limits.Select(p => p.Limit!.Value));
        Assert.All(limits, p => Assert.Null(p.Magnitude));
        Assert.Equal(["g", "r", "g", "r"], limits.Select(p => p.Bandpass));
        Assert.All(points.Where(p => !p.IsLimit), p => Assert.Null(p.Limit));
        Assert.DoesNotContain(points, p => p.Magnitude == 20.653793334960938); // a detection's diffmaglim
    }

    [Fact]
    public async Task ProcessReducedDataAsync_RowsMissingKeys_SkipsThemWithoutCrashing()
    {
        _fake.On(_ => true, _ => Json("lightcurve_edge_rows.json"));

        var points = await Broker().ProcessReducedDataAsync("ZTF23abtfusv", null, CancellationToken.None);

        // Kept: the complete detection, the fid=4 detection, and the two non-detections that have a limit.
        Assert.Equal([19.5, 19.3], points.Where(p => !p.IsLimit).Select(p => p.Magnitude!.Value));
        Assert.Equal("fid4", points.Single(p => p.Magnitude == 19.3).Bandpass);
        Assert.Null(points.Single(p => p.Magnitude == 19.3).MagnitudeError);
        Assert.Equal([20.6, 19.8], points.Where(p => p.IsLimit).Select(p => p.Limit!.Value));
        Assert.Equal("i", points.Single(p => p.Limit == 19.8).Bandpass);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_UnknownObject_ThrowsReadable404()
    {
        _fake.On(_ => true, _ => Json("error_404_lightcurve_not_found.json", HttpStatusCode.NotFound));

        var error = await Assert.ThrowsAnyAsync<BrokerException>(() => Broker().ProcessReducedDataAsync("ZTF23zzzzzzz", null, CancellationToken.None));

        Assert.StartsWith("ALeRCE answered 404 Not Found: The requested URL was not found", error.TechnicalDetail, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoreDescription_SaysItIsTheClassifierProbability()
    {
        Assert.Contains("probability", Broker().ScoreDescription, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(BrokerBase.DefaultScoreDescription, Broker().ScoreDescription);
    }
}
