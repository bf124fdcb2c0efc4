using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using TomAlerts.Sky;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// ALeRCE as the real API pages and filters: <c>/alerce/objects/?page=&amp;page_size=&amp;count=true</c> serves
/// <paramref name="count"/> fixture-shaped objects (ZTF23abtfusv first, then made-up objects a degree apart on the sky;
/// object 30 sits on the equator, object 350 at RA 0), and every object's light curve is the fixture light curve.
/// Filters follow the server's code: <c>oid</c> (one value a LIKE with * as wildcard, several an IN), <c>ndet</c>,
/// <c>firstmjd</c> and <c>lastmjd</c> (one value a minimum, two a range), and a cone that the server skips whenever
/// ra, dec or radius is falsy (<c>if ra and dec and radius</c>), answering every object instead.
/// </summary>
public static class FakeAlerce
{
    public const string Prefix = "/alerce";

    /// <summary>ALeRCE's multisurvey (LSST) API, <c>lsst_base_url</c>; only its classifier list, which the form shows.</summary>
    public const string LsstPrefix = "/alerce-lsst";

    /// <summary>ALeRCE's ZTF stamp service, <c>stamps_base_url</c>.</summary>
    public const string StampsPrefix = "/alerce-stamps";

    public static FakeBrokerServer MapAlerce(this FakeBrokerServer server, int count)
    {
        var template = JsonNode.Parse(Fixtures.Read("alerce/objects_page1.json"))!["items"]![0]!.AsObject();
        server.MapAlerceStamps();
        server.MapText($"{Prefix}/classifiers/", 200, Fixtures.Read("alerce/classifiers.json"));
        server.MapText($"{LsstPrefix}/classifier_api/classifiers", 200, Fixtures.Read("alerce_lsst/classifiers.json"));
        server.Map($"{Prefix}/objects/", async context =>
        {
            var path = context.Request.Path.Value!;
            if (path.EndsWith("/detections", StringComparison.Ordinal))
            {
                await WriteJson(context, Fixtures.Read("alerce/detections_ZTF23abtfusv.json"));
                return;
            }
            if (path.EndsWith("/lightcurve", StringComparison.Ordinal))
            {
                await WriteJson(context, Fixtures.Read("alerce/lightcurve_ZTF23abtfusv.json"));
                return;
            }
            if (path.EndsWith("/probabilities", StringComparison.Ordinal))
            {
                await WriteJson(context, Fixtures.Read("alerce/probabilities_ZTF23abtfusv.json"));
                return;
            }
            if (path.EndsWith("/magstats", StringComparison.Ordinal))
            {
                await WriteJson(context, Magstats());
                return;
            }
            var query = context.Request.Query;
            var matching = Enumerable.Range(0, count).Select(i => Item(template, i)).Where(item => Matches(item, query)).ToList();
            var page = Math.Max(1, int.Parse(query["page"].FirstOrDefault() ?? "1", CultureInfo.InvariantCulture));
            var size = int.Parse(query["page_size"].FirstOrDefault() ?? "10", CultureInfo.InvariantCulture);
            var items = new JsonArray([.. matching.Skip((page - 1) * size).Take(size)]);
            var counted = query["count"].FirstOrDefault() is "true" or "True" or "1" or "yes" or "t" or "y";
            var hasNext = counted && page * size < matching.Count;
            var body = new JsonObject
            {
                ["total"] = counted ? matching.Count : null, ["page"] = null, ["next"] = hasNext ? page + 1 : null, ["has_next"] = hasNext,
                ["prev"] = page > 1 ? page - 1 : null, ["has_prev"] = page > 1, ["items"] = items,
            };
            await WriteJson(context, body.ToJsonString());
        });
        return server;
    }

    /// <summary>
    /// <c>objects/{oid}/magstats</c> as the server computes it from the object's detections: one row per band (<c>fid</c>)
    /// with its count, first and last magnitude and MJD (here the recorded light curve's detections).
    /// </summary>
    private static string Magstats()
    {
        var detections = JsonNode.Parse(Fixtures.Read("alerce/lightcurve_ZTF23abtfusv.json"))!["detections"]!.AsArray().OfType<JsonObject>();
        var rows = detections.GroupBy(d => (int)d["fid"]!).OrderBy(g => g.Key).Select(g =>
        {
            var byTime = g.OrderBy(d => (double)d["mjd"]!).ToList();
            var mags = byTime.Select(d => (double)d["magpsf"]!).ToList();
            return (JsonNode)new JsonObject
            {
                ["fid"] = g.Key, ["stellar"] = false, ["corrected"] = false, ["ndet"] = byTime.Count, ["ndubious"] = 0,
                ["magmean"] = mags.Average(), ["magmedian"] = mags.Order().ElementAt(mags.Count / 2), ["magmax"] = mags.Max(), ["magmin"] = mags.Min(),
                ["magsigma"] = 0.1, ["maglast"] = mags[^1], ["magfirst"] = mags[0],
                ["firstmjd"] = byTime[0]["mjd"]!.DeepClone(), ["lastmjd"] = byTime[^1]["mjd"]!.DeepClone(), ["step_id_corr"] = "23.0.0",
            };
        });
        return new JsonArray([.. rows]).ToJsonString();
    }

    /// <summary>
    /// The ZTF stamp service as it answers <c>get_stamp?oid&amp;candid&amp;type&amp;format=fits</c>: the alert packet's
    /// cutout, gzipped FITS, for a candid of the fixture's detections with a stamp; 404 for any other.
    /// </summary>
    public static FakeBrokerServer MapAlerceStamps(this FakeBrokerServer server)
    {
        var withStamp = JsonNode.Parse(Fixtures.Read("alerce/detections_ZTF23abtfusv.json"))!.AsArray()
            .Where(d => d!["has_stamp"]!.GetValue<bool>()).Select(d => d!["candid"]!.GetValue<string>()).ToHashSet();
        server.Map($"{StampsPrefix}/get_stamp", async context =>
        {
            var query = context.Request.Query;
            if (!withStamp.Contains(query["candid"].ToString()) || query["type"] is not { Count: 1 } type
                || type.ToString() is not ("science" or "template" or "difference") || query["format"] != "fits")
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("<!doctype html><title>404 Not Found</title><h1>Not Found</h1>");
                return;
            }
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(TestFits.Gzip(TestFits.GaussianSource(seed: type.ToString().Length)));
        });
        return server;
    }

    public static string Oid(int index) => index == 0 ? "ZTF23abtfusv" : $"ZTF23zz{index:D5}";

    /// <summary>The first detection of a made-up object: MJD 60000 plus a day per object (within a cycle of 240).</summary>
    public static double FirstMjd(int index) => 60000 + index % 240;

    private static JsonObject Item(JsonObject template, int index)
    {
        var item = template.DeepClone().AsObject();
        item["oid"] = Oid(index);
        if (index > 0)
        {
            // Spread the made-up objects a degree apart so none of them is within any match radius of another.
            item["meanra"] = (10.0 + index) % 360;
            item["meandec"] = -30.0 + index % 50;
            item["probability"] = Math.Round(0.5 + index % 50 / 100.0, 3);
            item["firstmjd"] = FirstMjd(index);
            item["ndet"] = (double)(1 + index % 20);
        }
        return item;
    }

    private static bool Matches(JsonObject item, IQueryCollection query)
    {
        if (query["oid"] is { Count: > 0 } oids)
        {
            var oid = (string)item["oid"]!;
            var found = oids.Count == 1
                ? Regex.IsMatch(oid, "^" + Regex.Escape(oids[0]!).Replace(@"\*", ".*", StringComparison.Ordinal) + "$")
                : oids.Contains(oid);
            if (!found)
            {
                return false;
            }
        }
        if (!InRange((double)item["ndet"]!, query["ndet"]) || !InRange((double)item["firstmjd"]!, query["firstmjd"])
            || !InRange((double)item["lastmjd"]!, query["lastmjd"]))
        {
            return false;
        }
        var ra = Number(query["ra"]);
        var dec = Number(query["dec"]);
        var radius = Number(query["radius"]) ?? 30;
        // The server's test is Python truthiness: 0.0 is false, so a cone at RA 0 or Dec 0 is no cone at all.
        if (ra is not (null or 0) && dec is not (null or 0) && radius != 0)
        {
            return Angles.Separation(ra.Value, dec.Value, (double)item["meanra"]!, (double)item["meandec"]!) * 3600 <= radius;
        }
        return true;
    }

    /// <summary>One value: at least it; two: between them, both included.</summary>
    private static bool InRange(double value, StringValues bounds) => bounds.Count switch
    {
        0 => true,
        1 => value >= Number(bounds)!.Value,
        _ => value >= Number(bounds[0])!.Value && value <= Number(bounds[1])!.Value,
    };

    private static double? Number(StringValues values) => Number(values.FirstOrDefault());

    private static async Task WriteJson(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    private static double? Number(string? text) =>
        text is null ? null : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
