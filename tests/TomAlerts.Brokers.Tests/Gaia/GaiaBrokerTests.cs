using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using TomAlerts.Brokers.Gaia;

// Not TomAlerts.Brokers.Tests.Gaia: that namespace would hide TomAlerts.Brokers.Gaia from BrokerRegistryTests.
namespace TomAlerts.Brokers.Tests;

public sealed class GaiaBrokerTests : IDisposable
{
    private const string NeitherMessage = "Please enter either a target name or cone search parameters.";
    private const string BothMessage = "Please only enter one of target name or cone search parameters.";
    private const string ConeFormatMessage = "Cone search parameters must be in the format 'RA,Dec,Radius'.";

    private readonly FakeBrokerHttp _fake = new();
    private readonly FetchFeedback _feedback = new();

    public void Dispose() => _fake.Dispose();

    private GaiaBroker Broker(string? baseUrl = null) =>
        _fake.Broker<GaiaBroker>(baseUrl is null ? null : new Dictionary<string, string?> { ["base_url"] = baseUrl });

    private FakeBrokerHttp WithIndex(string fixture = "alertsindex.html") =>
        _fake.On("/alerts/alertsindex", HttpStatusCode.OK, Fixtures.Read($"gaia/{fixture}"), "text/html");

    private FakeBrokerHttp WithLightCurve(string fixture) =>
        _fake.On("/lightcurve.csv", HttpStatusCode.OK, Fixtures.Read($"gaia/{fixture}"), "text/csv");

    private async Task<FormResult> CleanAsync(string? targetName, string? cone, string? queryName = "test query")
    {
        var form = await Broker().GetFormAsync(CancellationToken.None);
        return form.Clean("Gaia", new Dictionary<string, string?> { ["query_name"] = queryName, ["target_name"] = targetName, ["cone"] = cone });
    }

    private async Task<List<JsonObject>> FetchAsync(JsonObject parameters) =>
        await Broker().FetchAlertsAsync(parameters, _feedback, CancellationToken.None).ToListAsync();

    private static JsonObject IndexAlert(string name) =>
        GaiaIndexAlerts().Single(a => (string?)a["name"] == name);

    // Read straight from the fixture's script line, independently of the broker's parser.
    private static List<JsonObject> GaiaIndexAlerts()
    {
        var line = Fixtures.Read("gaia/alertsindex.html").Split('\n').Single(l => l.StartsWith("var alerts = ", StringComparison.Ordinal));
        return JsonNode.Parse(line["var alerts = ".Length..].TrimEnd().TrimEnd(';'))!.AsArray().Select(n => n!.AsObject()).ToList();
    }

    // ---- form ----

    [Fact]
    public async Task DefaultBaseUrl_IsHttps()
    {
        var attribute = (BrokerAttribute)Attribute.GetCustomAttribute(typeof(GaiaBroker), typeof(BrokerAttribute))!;
        WithIndex();

        await FetchAsync(new JsonObject { ["target_name"] = "Gaia20cpu" });

        Assert.Equal("https://gsaweb.ast.cam.ac.uk", attribute.DefaultBaseUrl);
        Assert.Equal(Uri.UriSchemeHttps, _fake.Requests.Single().Uri.Scheme);
        Assert.StartsWith("https://", Broker().DocsUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetFormAsync_SaysTheStreamIsArchival()
    {
        var form = await Broker().GetFormAsync(CancellationToken.None);

        Assert.Equal(GaiaBroker.ArchivalNotice, form.Notice);
        Assert.Contains("ended with the Gaia mission in 2025", form.Notice, StringComparison.Ordinal);
        Assert.Contains("no new alerts", form.Notice, StringComparison.Ordinal);
        Assert.Contains("schedule", form.Notice, StringComparison.Ordinal);
        Assert.Contains("archive", form.Intro, StringComparison.Ordinal);
        Assert.Contains("https://gsaweb.ast.cam.ac.uk/alerts/tableinfo", form.Intro, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetFormAsync_Fields_AreTomsTargetNameAndCone()
    {
        var form = await Broker().GetFormAsync(CancellationToken.None);

        Assert.Equal(["target_name", "cone"], form.Fields.Select(f => f.Name));
        Assert.Equal("Target Name", form.Field("target_name")!.Label);
        Assert.Equal("Cone Search", form.Field("cone")!.Label);
        Assert.Equal("RA,Dec,radius in degrees", form.Field("cone")!.HelpText);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task Clean_TargetNameAlone_IsValid()
    {
        var result = await CleanAsync("Gaia20bph", null);

        Assert.True(result.IsValid);
        Assert.Equal("Gaia20bph", (string?)result.Parameters["target_name"]);
    }

    [Fact]
    public async Task Clean_MissingQueryName_IsRequired()
    {
        var result = await CleanAsync("Gaia20bph", null, queryName: null);

        Assert.Equal(["This field is required."], result.Errors.For("query_name"));
    }

    [Fact]
    public async Task Clean_NeitherField_GivesTomFormWideMessage()
    {
        var result = await CleanAsync(null, "  ");

        Assert.Equal([NeitherMessage], result.Errors.For(FormErrors.FormWide));
    }

    [Fact]
    public async Task Clean_BothFields_GivesTomFormWideMessage()
    {
        var result = await CleanAsync("Gaia20bph", "10,20,3");

        Assert.Equal([BothMessage], result.Errors.For(FormErrors.FormWide));
    }

    [Theory]
    [InlineData("10,20,3")]
    [InlineData(" 0 , -90 , 0.5 ")]
    [InlineData("359.99,90,180")]
    [InlineData("05:35:27.4,-69:16:12.5,0.01")]
    public async Task Clean_WellFormedCone_IsValid(string cone)
    {
        Assert.True((await CleanAsync(null, cone)).IsValid);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("10,20")]
    [InlineData("10,20,3,4")]
    public async Task Clean_ConeWithoutThreeParts_GivesFormatErrorOnCone(string cone)
    {
        var result = await CleanAsync(null, cone);

        Assert.Equal([ConeFormatMessage], result.Errors.For("cone"));
    }

    [Theory]
    [InlineData("abc,20,3", "number")]
    [InlineData("10,,3", "number")]
    [InlineData("10,20,NaN", "number")]
    [InlineData("360,20,3", "RA")]
    [InlineData("-1,20,3", "RA")]
    [InlineData("10,90.5,3", "Dec")]
    [InlineData("10,-91,3", "Dec")]
    [InlineData("10,20,0", "Radius")]
    [InlineData("10,20,-2", "Radius")]
    public async Task Clean_ConeWithBadNumber_GivesClearErrorOnCone(string cone, string mentions)
    {
        var result = await CleanAsync(null, cone);

        var error = Assert.Single(result.Errors.For("cone"));
        Assert.Contains(mentions, error, StringComparison.Ordinal);
        Assert.NotEqual(ConeFormatMessage, error);
    }

    // ---- index and filtering ----

    [Fact]
    public async Task FetchAlertsAsync_TargetName_FindsThatAlertWithOneIndexDownload()
    {
        WithIndex();

        var alerts = await FetchAsync(new JsonObject { ["target_name"] = "Gaia20cpu" });

        Assert.Equal(["Gaia20cpu"], alerts.Select(a => (string?)a["name"]));
        Assert.Equal("https://gsaweb.ast.cam.ac.uk/alerts/alertsindex", _fake.Requests.Single().Uri.ToString());
    }

    [Fact]
    public async Task FetchAlertsAsync_TargetNameSubstringAnyCase_FindsEveryMatch()
    {
        WithIndex();

        var alerts = await FetchAsync(new JsonObject { ["target_name"] = "gaia23" });

        Assert.Equal(["Gaia23ebt", "Gaia23dnw", "Gaia23cxz", "Gaia23bra"], alerts.Select(a => (string?)a["name"]));
    }

    [Fact]
    public async Task FetchAlertsAsync_TomTestCone_FindsTheAlertAtItsCentre()
    {
        WithIndex();

        var alerts = await FetchAsync(new JsonObject { ["cone"] = "291.61247, 13.36801, 0.002" });

        Assert.Equal(["Gaia20cpu"], alerts.Select(a => (string?)a["name"]));
    }

    [Fact]
    public async Task ConeParameters_FetchAlerts_FindsTheAlertWithinTheRadiusInArcsec()
    {
        WithIndex();
        var broker = Broker();

        var inside = await FetchAsync(broker.ConeParameters(291.61247, 13.36801, 7.2));
        var outside = await FetchAsync(broker.ConeParameters(291.61247, 13.36801 + 8.0 / 3600, 7.2));

        Assert.Equal(["Gaia20cpu"], inside.Select(a => (string?)a["name"]));
        Assert.Empty(outside);
    }

    [Fact]
    public async Task FetchAlertsAsync_ConeAtHighDec_UsesTrueAngularSeparation()
    {
        WithIndex();

        // Gaia23ebt is at RA 83.86412, Dec -69.27013: 0.5 degrees of RA there is only about 0.177 degrees on the sky.
        var inside = await FetchAsync(new JsonObject { ["cone"] = "84.36412,-69.27013,0.2" });
        var outside = await FetchAsync(new JsonObject { ["cone"] = "84.36412,-69.27013,0.15" });

        Assert.Equal(["Gaia23ebt"], inside.Select(a => (string?)a["name"]));
        Assert.Empty(outside);
    }

    [Fact]
    public async Task FetchAlertsAsync_NoFilter_GivesEveryAlertDetached()
    {
        WithIndex();

        var alerts = await FetchAsync([]);

        Assert.Equal(GaiaIndexAlerts().Select(a => (string?)a["name"]), alerts.Select(a => (string?)a["name"]));
        Assert.All(alerts, a => Assert.Null(a.Parent));
    }

    [Fact]
    public async Task FetchAlertsAsync_ArrayOverSeveralLinesWithBracketInText_IsParsed()
    {
        WithIndex("alertsindex_multiline.html");

        var alerts = await FetchAsync([]);

        Assert.Equal(["Gaia21abc", "Gaia21abd"], alerts.Select(a => (string?)a["name"]));
        Assert.Equal("odd text with ]; inside", (string?)alerts[0]["comment"]);
    }

    [Fact]
    public async Task FetchAlertsAsync_PageWithoutAlertsArray_ThrowsReadableMessage()
    {
        WithIndex("alertsindex_no_alerts.html");

        var error = await Assert.ThrowsAnyAsync<BrokerException>(() => FetchAsync([]));

        Assert.Contains("var alerts", error.TechnicalDetail, StringComparison.Ordinal);
        Assert.Equal("Gaia's alert index page did not list any alerts — the site may be down for maintenance. Try again later.", error.Message);
    }

    [Fact]
    public async Task FetchAlertsAsync_ServerError_ThrowsReadableMessage()
    {
        _fake.On(_ => true, _ => FakeBrokerHttp.Respond(HttpStatusCode.ServiceUnavailable, "<html><body><h1>Service Unavailable</h1></body></html>", "text/html"));

        var error = await Assert.ThrowsAnyAsync<BrokerException>(() => FetchAsync([]));

        Assert.Equal("Gaia answered 503 Service Unavailable: Service Unavailable", error.TechnicalDetail);
    }

    [Fact]
    public async Task FetchAlertsAsync_StoredMalformedCone_ThrowsTheFormatMessage()
    {
        WithIndex();

        var error = await Assert.ThrowsAnyAsync<BrokerException>(() => FetchAsync(new JsonObject { ["cone"] = "10;20;3" }));

        Assert.Equal(ConeFormatMessage, error.Message);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task FetchAlertAsync_KnownName_ReturnsItsIndexEntry()
    {
        WithIndex();

        var alert = await Broker().FetchAlertAsync("Gaia23cxz", CancellationToken.None);

        Assert.Equal("271.83391", (string?)alert?["ra"]);
        Assert.Equal("microlensing event", (string?)alert?["classification"]);
    }

    [Fact]
    public async Task FetchAlertAsync_UnknownOrPartialName_ReturnsNull()
    {
        WithIndex();

        Assert.Null(await Broker().FetchAlertAsync("Gaia99zzz", CancellationToken.None));
        Assert.Null(await Broker().FetchAlertAsync("Gaia23", CancellationToken.None));
    }

    // ---- parsing ----

    [Fact]
    public void ToGenericAlert_IndexEntry_MapsNamePositionMagAndUtcTime()
    {
        var alert = Broker().ToGenericAlert(IndexAlert("Gaia23dnw"));

        Assert.Equal("Gaia23dnw", alert.Id);
        Assert.Equal("Gaia23dnw", alert.Name);
        Assert.Equal(150.31578, alert.Ra);
        Assert.Equal(2.20943, alert.Dec);
        Assert.Equal(18.46, alert.Mag);
        Assert.Equal(new DateTime(2023, 11, 2, 18, 47, 9, DateTimeKind.Utc), alert.Timestamp);
        Assert.Equal(DateTimeKind.Utc, alert.Timestamp!.Value.Kind);
        Assert.Equal("SN Ia", alert.Classification);
        Assert.Null(alert.Score);
    }

    [Fact]
    public void ToGenericAlert_IndexEntry_GaiaBandAndTheAlertTeamsClass()
    {
        var alert = Broker().ToGenericAlert(IndexAlert("Gaia23dnw"));

        Assert.Equal("G", alert.Band);
        Assert.Equal(new AlertClassification("Gaia", "gsa_classification", null, "SN Ia", null), Assert.Single(alert.Classifications));
        Assert.Empty(Broker().ToGenericAlert(IndexAlert("Gaia23ebt")).Classifications); // "unknown" is no class
    }

    [Fact]
    public void ToGenericAlert_Url_JoinsHostAndLinkWithoutDoubleSlash()
    {
        Assert.Equal("https://gsaweb.ast.cam.ac.uk/alerts/alert/Gaia23dnw/", Broker().ToGenericAlert(IndexAlert("Gaia23dnw")).Url);
        Assert.Equal("https://gaia.test/alerts/alert/Gaia20cpu/", Broker("https://gaia.test").ToGenericAlert(IndexAlert("Gaia20cpu")).Url);
    }

    [Fact]
    public void ToGenericAlert_UnknownAndEmptyClassification_KeepsTextOrGivesNull()
    {
        var unknown = Broker().ToGenericAlert(IndexAlert("Gaia23ebt"));
        var empty = IndexAlert("Gaia23bra");
        empty["classification"] = "";

        Assert.Equal("unknown", unknown.Classification);
        Assert.Null(Broker().ToGenericAlert(empty).Classification);
    }

    [Fact]
    public void ToGenericAlert_BadObstimeAndEmptyMag_GiveNulls()
    {
        var alert = IndexAlert("Gaia23bra");
        alert["obstime"] = "not a date";
        alert["alertMag"] = "";

        var generic = Broker().ToGenericAlert(alert);

        Assert.Null(generic.Timestamp);
        Assert.Null(generic.Mag);
        Assert.Null(generic.Band);
    }

    [Fact]
    public void ToTarget_IndexEntry_HasExtrasAndTnsAlias()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var target = Broker().ToTarget(IndexAlert("Gaia23cxz"));

            Assert.Equal("Gaia23cxz", target.Name);
            Assert.Equal(271.83391, target.Ra);
            Assert.Equal(-24.06628, target.Dec);
            Assert.Equal("microlensing event", target.Extras["classification"]);
            Assert.Equal("16.98", target.Extras["alert_mag"]);
            Assert.Equal("17.92", target.Extras["historic_mag"]);
            Assert.Equal("AT2023mkq", target.Extras["tnsid"]);
            Assert.StartsWith("slow rise", target.Extras["comment"], StringComparison.Ordinal);
            Assert.Equal(["AT2023mkq"], target.Aliases);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void ToTarget_EmptyHistoricMagAndTnsId_AreOmitted()
    {
        var noHistory = Broker().ToTarget(IndexAlert("Gaia23dnw"));
        var noTns = Broker().ToTarget(IndexAlert("Gaia23bra"));

        Assert.False(noHistory.Extras.ContainsKey("historic_mag"));
        Assert.False(noTns.Extras.ContainsKey("tnsid"));
        Assert.Empty(noTns.Aliases);
    }

    // ---- light curve ----

    [Fact]
    public async Task ProcessReducedDataAsync_LightCurve_SkipsUntrustedAndNullRows()
    {
        WithLightCurve("lightcurve_Gaia23cxz.csv");

        var points = await Broker().ProcessReducedDataAsync("Gaia23cxz", null, CancellationToken.None);

        Assert.Equal("https://gsaweb.ast.cam.ac.uk/alerts/alert/Gaia23cxz/lightcurve.csv", _fake.Requests.Single().Uri.ToString());
        Assert.Equal(156 - 3, points.Count); // 156 data rows, 2 untrusted and 1 null
        Assert.All(points, p =>
        {
            Assert.Equal("G", p.Bandpass);
            Assert.Equal("Gaia", p.Telescope);
            Assert.Equal(("Gaia", PhotometryKind.Detection), (p.Survey, p.Kind));
            Assert.NotNull(p.Magnitude);
            Assert.Null(p.Limit);
        });
        Assert.DoesNotContain(points, p => p.Timestamp == new DateTime(2015, 2, 5, 9, 12, 42, DateTimeKind.Utc));
    }

    [Fact]
    public async Task ProcessReducedDataAsync_JulianDates_AgreeWithTheRowsDateColumn()
    {
        WithLightCurve("lightcurve_Gaia23cxz.csv");
        var rows = Fixtures.Read("gaia/lightcurve_Gaia23cxz.csv").Split('\n').Skip(2).Where(l => l.Length > 0)
            .Select(l => l.Split(','))
            .Where(f => double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .ToList();

        var points = await Broker().ProcessReducedDataAsync("Gaia23cxz", null, CancellationToken.None);

        Assert.Equal(rows.Count, points.Count);
        foreach (var (row, point) in rows.Zip(points))
        {
            var date = DateTime.ParseExact(row[0], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            Assert.Equal(date, point.Timestamp, TimeSpan.FromSeconds(1));
            Assert.Equal(DateTimeKind.Utc, point.Timestamp.Kind);
            Assert.Equal(double.Parse(row[2], CultureInfo.InvariantCulture), point.Magnitude);
        }
    }

    [Fact]
    public async Task ProcessReducedDataAsync_SpaceSeparatedHeader_ReadsColumnsAndSkipsBadRows()
    {
        WithLightCurve("lightcurve_space_header.csv");

        var points = await Broker().ProcessReducedDataAsync("Gaia23dnw", null, CancellationToken.None);

        // Kept: 19.91 and 18.40; dropped: NaN, null, untrusted, empty mag, non-numeric JD, blank line.
        Assert.Equal([19.91, 18.40], points.Select(p => p.Magnitude!.Value));
        Assert.Equal(new DateTime(2023, 10, 20, 3, 12, 0, DateTimeKind.Utc), points[0].Timestamp, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task ProcessReducedDataAsync_WindowsLineEnds_AreRead()
    {
        WithLightCurve("lightcurve_crlf.csv");

        var points = await Broker().ProcessReducedDataAsync("Gaia23dnw", null, CancellationToken.None);

        Assert.Equal(18.40, Assert.Single(points).Magnitude);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_NameNeedingEscape_IsUrlEscaped()
    {
        WithLightCurve("lightcurve_crlf.csv");

        await Broker().ProcessReducedDataAsync("Gaia 23/x", null, CancellationToken.None);

        Assert.Equal("/alerts/alert/Gaia%2023%2Fx/lightcurve.csv", _fake.Requests.Single().Uri.AbsolutePath);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_UnknownAlert_ThrowsReadable404()
    {
        _fake.On(_ => true, _ => FakeBrokerHttp.Respond(HttpStatusCode.NotFound, Fixtures.Read("gaia/error_404_page.html"), "text/html"));

        var error = await Assert.ThrowsAnyAsync<BrokerException>(() => Broker().ProcessReducedDataAsync("Gaia99zzz", null, CancellationToken.None));

        Assert.StartsWith("Gaia answered 404 Not Found", error.TechnicalDetail, StringComparison.Ordinal);
        Assert.Contains("was not found on this server", error.TechnicalDetail, StringComparison.Ordinal);
        Assert.DoesNotContain("<", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessReducedDataAsync_HtmlInsteadOfCsv_ThrowsReadableMessage()
    {
        _fake.On(_ => true, _ => FakeBrokerHttp.Respond(HttpStatusCode.OK, Fixtures.Read("gaia/alertsindex_no_alerts.html"), "text/html"));

        var error = await Assert.ThrowsAnyAsync<BrokerException>(() => Broker().ProcessReducedDataAsync("Gaia23dnw", null, CancellationToken.None));

        Assert.Contains("header", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoreDescription_SaysGaiaHasNoScore()
    {
        Assert.Contains("no score", Broker().ScoreDescription, StringComparison.Ordinal);
    }
}
