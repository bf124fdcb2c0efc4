using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using TomAlerts.Brokers.Alerce;
using TomAlerts.Brokers.Antares;
using TomAlerts.Brokers.Fink;
using TomAlerts.Brokers.Lasair;

namespace TomAlerts.Brokers.Tests;

/// <summary>Cutout stamps of each broker that serves them: the request sent, the bytes returned, and "none" as null.</summary>
public sealed class BrokerStampsTests : IDisposable
{
    private static readonly byte[] FitsBytes = "SIMPLE  =                    T"u8.ToArray();
    private static readonly byte[] PngBytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly FakeBrokerHttp _fake = new();

    public void Dispose()
    {
        _cache.Dispose();
        _fake.Dispose();
    }

    private static HttpResponseMessage Bytes(byte[] data, string contentType, HttpStatusCode status = HttpStatusCode.OK)
    {
        var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new HttpResponseMessage(status) { Content = content };
    }

    private static HttpResponseMessage Json(string fixture, HttpStatusCode status = HttpStatusCode.OK) =>
        FakeBrokerHttp.Respond(status, Fixtures.Read(fixture));

    private static Dictionary<string, string> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""));

    private AlerceBroker Alerce() => _fake.Broker<AlerceBroker>(null, _cache, NullLogger<AlerceBroker>.Instance);

    private FinkBroker Fink() => _fake.Broker<FinkBroker>(null, _cache, TimeProvider.System, NullLogger<FinkBroker>.Instance);

    private LasairBroker Lasair() => _fake.Broker<LasairBroker>(new Dictionary<string, string?> { ["api_key"] = "ztfkey", ["lsst_api_key"] = "lsstkey" });

    private AntaresBroker Antares() => _fake.Broker<AntaresBroker>(null, _cache, NullLogger<AntaresBroker>.Instance);

    [Fact]
    public async Task AlerceZtf_StampOfFirstDetectionWithStamp_AsksStampServiceForFits()
    {
        var detections = JsonNode.Parse(Fixtures.Read("alerce/detections_ZTF23abtfusv.json"))!.AsArray();
        var firstWithStamp = detections.Where(d => d!["has_stamp"]!.GetValue<bool>()).Select(d => long.Parse(d!["candid"]!.GetValue<string>())).Min();
        _fake.On(r => r.RequestUri!.AbsolutePath == "/ztf/v1/objects/ZTF23abtfusv/detections", _ => Json("alerce/detections_ZTF23abtfusv.json"))
            .On(r => r.RequestUri!.Host == "avro.alerce.online", _ => Bytes(FitsBytes, "application/octet-stream"));
        var broker = Alerce();

        var science = await broker.FetchStampAsync("ZTF23abtfusv", [], StampKind.Science, default);
        var difference = await broker.FetchStampAsync("ZTF23abtfusv", [], StampKind.Difference, default);

        Assert.Equal(FitsBytes, science!.Data);
        Assert.NotNull(difference);
        var stampCalls = _fake.Requests.Where(r => r.Uri.Host == "avro.alerce.online").ToList();
        Assert.Equal("/get_stamp", stampCalls[0].Uri.AbsolutePath);
        Assert.Equal(new Dictionary<string, string>
        {
            ["oid"] = "ZTF23abtfusv", ["candid"] = firstWithStamp.ToString(), ["type"] = "science", ["format"] = "fits",
        }, Query(stampCalls[0].Uri));
        Assert.Equal("difference", Query(stampCalls[1].Uri)["type"]);
        Assert.Single(_fake.Requests, r => r.Uri.AbsolutePath.EndsWith("/detections", StringComparison.Ordinal)); // remembered for the other kinds
    }

    [Fact]
    public async Task AlerceZtf_StampServiceHasNone_ReturnsNull()
    {
        _fake.On(r => r.RequestUri!.AbsolutePath.EndsWith("/detections", StringComparison.Ordinal), _ => Json("alerce/detections_ZTF23abtfusv.json"))
            .On(r => r.RequestUri!.Host == "avro.alerce.online", _ => FakeBrokerHttp.Respond(HttpStatusCode.NotFound, "Not Found", "text/plain"));

        Assert.Null(await Alerce().FetchStampAsync("ZTF23abtfusv", [], StampKind.Template, default));
    }

    [Fact]
    public async Task AlerceZtf_UnknownObject_ReturnsNullWithoutAskingForStamp()
    {
        _fake.On("/detections", HttpStatusCode.NotFound, Fixtures.Read("alerce/error_404_object_not_found.json"));

        Assert.Null(await Alerce().FetchStampAsync("ZTF00nothing", [], StampKind.Science, default));
        Assert.DoesNotContain(_fake.Requests, r => r.Uri.Host == "avro.alerce.online");
    }

    [Fact]
    public async Task AlerceLsst_Stamp_AsksStampsApiForFirstMeasurementWithStamp()
    {
        var detections = JsonNode.Parse(Fixtures.Read("alerce_lsst/detections_lsst.json"))!.AsArray();
        var first = detections.Where(d => d!["has_stamp"]!.GetValue<bool>()).OrderBy(d => d!["mjd"]!.GetValue<double>()).First()!["measurement_id"]!.ToJsonString();
        _fake.On(r => r.RequestUri!.AbsolutePath == "/lightcurve_api/detections", _ => Json("alerce_lsst/detections_lsst.json"))
            .On(r => r.RequestUri!.AbsolutePath == "/stamps_api/stamp", _ => Bytes(FitsBytes, "application/fits"));

        var stamp = await Alerce().FetchStampAsync("169298433216610349", [], StampKind.Difference, default);

        Assert.Equal("application/fits", stamp!.ContentType);
        var detectionsCall = _fake.Requests.Single(r => r.Uri.AbsolutePath == "/lightcurve_api/detections");
        Assert.Equal("api-lsst.alerce.online", detectionsCall.Uri.Host);
        Assert.Equal(new Dictionary<string, string>
        {
            ["oid"] = "169298433216610349", ["measurement_id"] = first, ["stamp_type"] = "cutoutDifference", ["file_format"] = "fits", ["survey_id"] = "lsst",
        }, Query(_fake.Requests.Single(r => r.Uri.AbsolutePath == "/stamps_api/stamp").Uri));
    }

    [Fact]
    public async Task FinkZtf_Stamp_PostsCutoutsForTheAlertsCandidAsFits()
    {
        _fake.On(r => r.RequestUri!.AbsoluteUri == "https://api.ztf.fink-portal.org/api/v1/cutouts", _ => Bytes(FitsBytes, "application/octet-stream"));

        var stamp = await Fink().FetchStampAsync("ZTF23abtfusv", new JsonObject { ["i:objectId"] = "ZTF23abtfusv", ["i:candid"] = 2486412333715015000 },
            StampKind.Template, default);

        Assert.Equal(FitsBytes, stamp!.Data);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        var body = JsonNode.Parse(request.Body!)!.AsObject();
        Assert.Equal("ZTF23abtfusv", (string?)body["objectId"]);
        Assert.Equal("Template", (string?)body["kind"]);
        Assert.Equal("2486412333715015000", (string?)body["candid"]);
        Assert.Equal("FITS", (string?)body["output-format"]);
    }

    [Fact]
    public async Task FinkLsst_ObjectRowWithoutDiaSource_AsksTheNewestSourceFirst()
    {
        _fake.On(r => r.RequestUri!.AbsoluteUri == "https://api.lsst.fink-portal.org/api/v1/sources", _ => Json("fink/lsst_sources.json"))
            .On(r => r.RequestUri!.AbsoluteUri == "https://api.lsst.fink-portal.org/api/v1/cutouts", _ => Bytes(FitsBytes, "application/octet-stream"));
        var sources = JsonNode.Parse(Fixtures.Read("fink/lsst_sources.json"))!.AsArray();
        var newest = sources.OrderByDescending(s => s!["r:midpointMjdTai"]!.GetValue<double>()).First()!["r:diaSourceId"]!.ToJsonString();
        var objectId = sources[0]!["r:diaObjectId"]!.ToJsonString();

        var stamp = await Fink().FetchStampAsync(objectId, new JsonObject { ["r:diaObjectId"] = objectId }, StampKind.Science, default);

        Assert.NotNull(stamp);
        var body = JsonNode.Parse(_fake.Requests.Single(r => r.Uri.AbsolutePath == "/api/v1/cutouts").Body!)!.AsObject();
        Assert.Equal(newest, (string?)body["diaSourceId"]);
        Assert.Equal("Science", (string?)body["kind"]);
        Assert.Null(body["objectId"]);
    }

    [Fact]
    public async Task Fink_NoCutout_ReturnsNull()
    {
        _fake.On("/api/v1/cutouts", HttpStatusCode.NotFound, "Not found", "text/html");

        Assert.Null(await Fink().FetchStampAsync("ZTF23abtfusv", [], StampKind.Science, default));
    }

    [Fact]
    public async Task Fink_ServerFailure_IsABrokerErrorInPlainWords()
    {
        _fake.On("/api/v1/cutouts", HttpStatusCode.InternalServerError, "Internal Server Error", "text/html");

        var e = await Assert.ThrowsAsync<BrokerHttpException>(() => Fink().FetchStampAsync("ZTF23abtfusv", [], StampKind.Science, default));
        Assert.Contains("Fink", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LasairZtf_ListRow_FetchesObjectAndTheNewestCandidatesImageWithoutToken()
    {
        var page = JsonNode.Parse(Fixtures.Read("lasair/object_ZTF23abtfusv.json"))!.AsObject();
        var newest = page["candidates"]!.AsArray().Where(c => c!["image_urls"] is JsonObject).OrderByDescending(c => c!["mjd"]!.GetValue<double>()).First()!;
        var expected = newest["image_urls"]!["Difference"]!.GetValue<string>();
        _fake.On(r => r.RequestUri!.AbsolutePath == "/api/object/", _ => Json("lasair/object_ZTF23abtfusv.json"))
            .On(r => r.RequestUri!.AbsoluteUri == expected, _ => Bytes(FitsBytes, "application/octet-stream"));

        var stamp = await Lasair().FetchStampAsync("ZTF23abtfusv", new JsonObject { ["objectId"] = "ZTF23abtfusv", ["ramean"] = 150.3 }, StampKind.Difference, default);

        Assert.Equal(FitsBytes, stamp!.Data);
        var imageRequest = _fake.Requests.Single(r => r.Uri.AbsoluteUri == expected);
        Assert.False(imageRequest.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task LasairLsst_ObjectPage_TakesImageUrlOfNewestDiaSourceWithTheRoutesSlash()
    {
        var page = JsonNode.Parse(Fixtures.Read("lasair_lsst/object_lite.json"))!.AsObject();
        var newest = page["diaSourcesList"]!.AsArray().OrderByDescending(s => s!["midpointMjdTai"]!.GetValue<double>()).First()!["diaSourceId"]!.ToJsonString();
        _fake.On(r => r.RequestUri!.Host == "lasair.lsst.ac.uk", _ => Bytes(FitsBytes, "application/octet-stream"));

        var stamp = await Lasair().FetchStampAsync(page["diaObjectId"]!.GetValue<string>(), page, StampKind.Science, default);

        Assert.NotNull(stamp);
        Assert.Equal($"https://lasair.lsst.ac.uk/fits/{newest}_cutoutScience/", Assert.Single(_fake.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task LasairLsst_ImageUrlsServerBug_BuildsTheCutoutUrlFromTheRawRows()
    {
        var raw = JsonNode.Parse(Fixtures.Read("lasair_lsst/object_lasair_added_false_lite.json"))!.AsObject();
        var newest = raw["diaSourcesList"]!.AsArray().OrderByDescending(s => s!["midpointMjdTai"]!.GetValue<double>()).First()!["diaSourceId"]!.ToJsonString();
        _fake.On(r => r.RequestUri!.AbsolutePath == "/api/object/" && r.RequestUri.Query.Contains("lasair_added=true", StringComparison.Ordinal),
                _ => Json("lasair_lsst/error_400_image_urls_bug.json", HttpStatusCode.BadRequest))
            .On(r => r.RequestUri!.AbsolutePath == "/api/object/", _ => Json("lasair_lsst/object_lasair_added_false_lite.json"))
            .On(r => r.RequestUri!.Host == "lasair.lsst.ac.uk", _ => Bytes(FitsBytes, "application/octet-stream"));

        var stamp = await Lasair().FetchStampAsync(raw["diaObjectId"]!.ToString(), new JsonObject { ["diaObjectId"] = raw["diaObjectId"]!.ToString() }, StampKind.Template, default);

        Assert.NotNull(stamp);
        Assert.Equal($"https://lasair.lsst.ac.uk/fits/{newest}_cutoutTemplate/", _fake.Requests.Last().Uri.AbsoluteUri);
    }

    [Fact]
    public async Task LasairLsst_UnknownObject_ReturnsNull()
    {
        _fake.On("/api/object/", HttpStatusCode.NotFound, Fixtures.Read("lasair_lsst/error_404_not_found.json"));

        Assert.Null(await Lasair().FetchStampAsync("1", new JsonObject { ["diaObjectId"] = "1" }, StampKind.Science, default));
    }

    [Fact]
    public async Task Antares_ListedLocus_FetchesThumbnailOfTheKindAsked()
    {
        var locus = JsonNode.Parse(Fixtures.Read("antares/loci_cone_page1.json"))!["data"]![0]!.DeepClone().AsObject();
        var src = locus["meta"]!["newest_thumbnails"]!.AsArray()
            .Select(t => t!["data"]!["attributes"]!).Single(a => (string?)a["thumbnail_type"] == "template")["src"]!.GetValue<string>();
        _fake.On(r => r.RequestUri!.AbsoluteUri == src, _ => Bytes(PngBytes, "image/png"));

        var stamp = await Antares().FetchStampAsync(locus["id"]!.GetValue<string>(), locus, StampKind.Template, default);

        Assert.Equal("image/png", stamp!.ContentType);
        Assert.Equal(PngBytes, stamp.Data);
    }

    [Fact]
    public async Task Antares_LocusWithoutThumbnails_ReturnsNullWithoutARequest()
    {
        var locus = JsonNode.Parse(Fixtures.Read("antares/locus_ANT2023ch7kxe.json"))!["data"]!.DeepClone().AsObject();

        Assert.Null(await Antares().FetchStampAsync("ANT2023ch7kxe", locus, StampKind.Science, default));
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task Antares_ThumbnailAddressNotHttp_IsNotFollowed()
    {
        var locus = new JsonObject
        {
            ["meta"] = new JsonObject
            {
                ["newest_thumbnails"] = new JsonArray(new JsonObject
                {
                    ["data"] = new JsonObject { ["attributes"] = new JsonObject { ["thumbnail_type"] = "science", ["src"] = "file:///etc/passwd" } },
                }),
            },
        };

        Assert.Null(await Antares().FetchStampAsync("ANT1", locus, StampKind.Science, default));
        Assert.Empty(_fake.Requests);
    }
}
