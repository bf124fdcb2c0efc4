using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Api;

/// <summary>The downloads of the results, target list and target pages, and their API twins.</summary>
public sealed class ExportTests : AppTest
{
    private static readonly XNamespace VoTable = "http://www.ivoa.net/xml/VOTable/v1.3";

    private async Task<(ApiUser Api, long RunId)> RunAsync(int alerts)
    {
        Factory.Brokers.MapAlerce(alerts);
        var api = await Factory.ApiUserAsync();
        var run = await api.Api.RunAsync(await api.Api.CreateQueryAsync("ALeRCE", new { max_pages = "10" }));
        return (api, run.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task RunCsv_ManyAlerts_StreamsEveryRowWithAHeaderAndInvariantNumbers()
    {
        var (api, runId) = await RunAsync(2_300);

        using var response = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts/export?format=csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"run-{runId}-alerts.csv", response.Content.Headers.ContentDisposition!.FileName);
        Assert.Equal("alertId,name,ra,dec,mag,score,timestamp,url,classification,isNew,decision,decided_by,decided_at", lines[0]);
        Assert.Equal(2_301, lines.Length);
        var first = lines[1].Split(',');
        Assert.Equal(FakeAlerce.Oid(0), first[0]);
        Assert.Equal(150.31577623641664, double.Parse(first[2], CultureInfo.InvariantCulture), 9);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", first[6]);
        Assert.Equal(2_300, lines.Skip(1).Select(l => l.Split(',')[0]).Distinct().Count());
    }

    [Fact]
    public async Task RunJson_IsAnArrayOfRowsWithNumbers()
    {
        var (api, runId) = await RunAsync(30);

        using var response = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts/export?format=json");
        var rows = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(30, rows.GetArrayLength());
        Assert.Equal(JsonValueKind.Number, rows[0].GetProperty("ra").ValueKind);
        Assert.True(rows[0].GetProperty("isNew").GetBoolean());
        Assert.Equal(FakeAlerce.Oid(29), rows[29].GetProperty("alertId").GetString());
    }

    [Fact]
    public async Task RunVoTable_IsWellFormedVoTableWithOneFieldPerColumn()
    {
        var (api, runId) = await RunAsync(40);

        using var response = await api.Api.GetAsync($"/api/v1/runs/{runId}/alerts/export?format=votable");
        var document = XDocument.Load(await response.Content.ReadAsStreamAsync());

        Assert.Equal("application/x-votable+xml", response.Content.Headers.ContentType!.MediaType);
        AssertVoTable(document, 13, 40);
        var fields = document.Descendants(VoTable + "FIELD").ToDictionary(f => (string)f.Attribute("name")!);
        Assert.Equal("double", (string?)fields["ra"].Attribute("datatype"));
        Assert.Equal("deg", (string?)fields["ra"].Attribute("unit"));
        Assert.Equal("pos.eq.ra;meta.main", (string?)fields["ra"].Attribute("ucd"));
        Assert.Equal("timestamp", (string?)fields["timestamp"].Attribute("xtype"));
        Assert.Equal(FakeAlerce.Oid(0), document.Descendants(VoTable + "TD").First().Value);
    }

    [Fact]
    public async Task TargetsExport_UsesTheListFilter_InEveryFormat()
    {
        await TargetsApiTests.SeedTargetsAsync(Factory);
        var api = await Factory.ApiUserAsync();

        var csv = await api.Api.GetStringAsync("/api/v1/targets/export?format=csv&ra=150&dec=2&radiusArcsec=100");
        var json = JsonDocument.Parse(await api.Api.GetStringAsync("/api/v1/targets/export?format=json&name=2023vjq")).RootElement;
        var votable = XDocument.Parse(await api.Api.GetStringAsync("/api/v1/targets/export?format=votable"));
        using var bad = await api.Api.GetAsync("/api/v1/targets/export?ra=999&dec=0");
        using var badFormat = await api.Api.GetAsync("/api/v1/targets/export?format=fits");

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("id,name,type,ra,dec,", lines[0], StringComparison.Ordinal);
        Assert.Contains(",Alpha,", lines[1], StringComparison.Ordinal);
        Assert.Equal("Alpha", Assert.Single(json.EnumerateArray()).GetProperty("name").GetString());
        AssertVoTable(votable, 16, 3); // the list page's columns too: last magnitude, band, detection, class, its source, points
        Assert.Equal(["ra"], await bad.ErrorFieldsAsync());
        Assert.Equal(["format"], await badFormat.ErrorFieldsAsync());
    }

    [Fact]
    public async Task PhotometryExport_InEveryFormat()
    {
        var (api, runId) = await RunAsync(1);
        var outcome = (await (await api.Api.PostAsJsonAsync("/api/v1/targets/from-alerts", new { runId, alertIds = new[] { FakeAlerce.Oid(0) } })).JsonAsync())[0];
        var id = outcome.GetProperty("targetId").GetInt32();

        var csv = (await api.Api.GetStringAsync($"/api/v1/targets/{id}/photometry/export")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var json = JsonDocument.Parse(await api.Api.GetStringAsync($"/api/v1/targets/{id}/photometry/export?format=json")).RootElement;
        var votable = XDocument.Parse(await api.Api.GetStringAsync($"/api/v1/targets/{id}/photometry/export?format=votable"));
        using var missing = await api.Api.GetAsync("/api/v1/targets/999999/photometry/export?format=csv");

        Assert.Equal("timestamp,mjd,bandpass,magnitude,magnitudeError,limit,flux,fluxError,fluxUnit,telescope,source,sourceLocation,kind,survey,sourceId,sources", csv[0]);
        Assert.Equal(17, csv.Length);
        Assert.Equal(12, csv.Count(line => System.Text.RegularExpressions.Regex.IsMatch(line, ",detection,ZTF,[0-9]{19},ALeRCE$")));
        Assert.Equal(4, csv.Count(line => line.EndsWith(",limit,ZTF,,ALeRCE", StringComparison.Ordinal)));
        Assert.Equal(16, json.GetArrayLength());
        Assert.Equal(["detection", "limit"], json.EnumerateArray().Select(p => p.GetProperty("kind").GetString()).Distinct().Order());
        Assert.All(json.EnumerateArray(), p => Assert.Equal("ZTF", p.GetProperty("survey").GetString()));
        AssertVoTable(votable, 16, 16);
        ApiSupport.AssertProblem(missing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Pages_ShowDownloadButtonsAndTheCurlCommand_AndTheButtonsDownloadWithTheBrowserLogin()
    {
        var (api, runId) = await RunAsync(3);
        var page = api.User.Page;
        var outcome = (await (await api.Api.PostAsJsonAsync("/api/v1/targets/from-alerts", new { runId, alertIds = new[] { FakeAlerce.Oid(0) } })).JsonAsync())[0];
        var targetId = outcome.GetProperty("targetId").GetInt32();

        var (_, results) = await page.GetAsync($"/alerts/run/{runId}/");
        var (_, list) = await page.GetAsync("/targets/?name=ZTF23&ra=&dec=");
        var (_, detail) = await page.GetAsync($"/targets/{targetId}/");
        using var runCsv = await page.Client.GetAsync($"/alerts/run/{runId}/export?format=csv");
        using var targetsVot = await page.Client.GetAsync("/targets/export?format=votable&name=ZTF23");
        using var photometryJson = await page.Client.GetAsync($"/targets/{targetId}/photometry/export?format=json");
        using var badFormat = await page.Client.GetAsync($"/alerts/run/{runId}/export?format=xls");
        using var anonymous = await Factory.ApiClient().GetAsync($"/alerts/run/{runId}/export?format=csv");

        Assert.Contains($"href=\"/alerts/run/{runId}/export?format=votable\"", results, StringComparison.Ordinal);
        Assert.Contains(WebUtilityEncode($"curl -H \"Authorization: Bearer $TOMALERTS_TOKEN\" 'http://localhost/api/v1/runs/{runId}/alerts/export?format=csv' -o run-{runId}-alerts.csv"), results, StringComparison.Ordinal);
        Assert.Contains("href=\"/targets/export?format=csv&amp;name=ZTF23\"", list, StringComparison.Ordinal);
        Assert.Contains(WebUtilityEncode("'http://localhost/api/v1/targets/export?format=csv&name=ZTF23'"), list, StringComparison.Ordinal);
        Assert.Contains($"href=\"/targets/{targetId}/photometry/export?format=json\"", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Token, results + list + detail, StringComparison.Ordinal);
        Assert.Equal(4, (await runCsv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        AssertVoTable(XDocument.Parse(await targetsVot.Content.ReadAsStringAsync()), 16, 1);
        Assert.Equal(16, JsonDocument.Parse(await photometryJson.Content.ReadAsStringAsync()).RootElement.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task Csv_BrokerTextThatLooksLikeAFormula_IsDefused()
    {
        var (api, runId) = await RunAsync(2);
        await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId && a.Position == 0)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Classification, "=HYPERLINK(\"http://evil\",\"x\")")));

        var csv = await api.Api.GetStringAsync($"/api/v1/runs/{runId}/alerts/export?format=csv");

        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SN;=1+1", "\"'SN;=1+1\"")]
    [InlineData("  =cmd|' /C calc'!A0", "'  =cmd|' /C calc'!A0")]
    [InlineData("\t=1+1", "\"'\t=1+1\"")]
    [InlineData("SN Ia\t@SUM(A1)", "\"'SN Ia\t@SUM(A1)\"")]
    [InlineData("SN Ia; AGN", "\"SN Ia; AGN\"")]
    [InlineData("SN Ia (x=1)", "SN Ia (x=1)")]
    public async Task Csv_FormulaAfterASeparatorOrWhiteSpace_IsDefusedAndKeptInOneCell(string text, string field)
    {
        var (api, runId) = await RunAsync(2);
        await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId && a.Position == 0)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Classification, text)));

        var csv = await api.Api.GetStringAsync($"/api/v1/runs/{runId}/alerts/export?format=csv");

        Assert.Contains("," + field + ",", csv, StringComparison.Ordinal);
    }

    private static void AssertVoTable(XDocument document, int fields, int rows)
    {
        var root = document.Root!;
        Assert.Equal(VoTable + "VOTABLE", root.Name);
        Assert.Equal("1.4", (string?)root.Attribute("version"));
        var table = Assert.Single(root.Descendants(VoTable + "TABLE"));
        Assert.Equal(fields, table.Elements(VoTable + "FIELD").Count());
        var trs = table.Descendants(VoTable + "TR").ToList();
        Assert.Equal(rows, trs.Count);
        Assert.All(trs, tr => Assert.Equal(fields, tr.Elements(VoTable + "TD").Count()));
    }

    private static string WebUtilityEncode(string text) => System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text);
}
