using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TomAlerts.Sky;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// Fink's ZTF (<see cref="ZtfPrefix"/>) and LSST (<see cref="LsstPrefix"/>) APIs as the Flask apps answer: arguments in
/// a JSON body or the query string (values then strings); a missing required argument is a 400 whose body is a Python
/// dict repr; <c>withupperlim</c> counts only when its text is "True"; a diaObjectId sent as a JSON number is a 500;
/// replies are record lists holding only the columns asked for (the cone adds ra/dec and the separation). The data are
/// the fixtures: ZTF23abtfusv and LSST <see cref="FakeAlerceLsst.ObjectId"/>.
/// </summary>
public static class FakeFink
{
    public const string ZtfPrefix = "/fink-ztf";
    public const string LsstPrefix = "/fink-lsst";

    private const string MissingArgument = "{{'status': 'error', 'text': 'A value for `{0}` is required. See https://api.ztf.fink-portal.org \\n'}}";

    public static FakeBrokerServer MapFink(this FakeBrokerServer server)
    {
        server.Map($"{ZtfPrefix}/api/v1/objects", context => Answer(context, "objectId", (args, id) =>
            id == "ZTF23abtfusv"
                ? Rows(args["withupperlim"]?.ToString() == "True" ? "fink/objects_ZTF23abtfusv_withupperlim.json" : "fink/objects_ZTF23abtfusv_columns.json")
                : []));
        server.Map($"{ZtfPrefix}/api/v1/latests", context => Answer(context, "class", (args, name) =>
            name == "Early SN Ia candidate" ? Rows("fink/latests_early_sn_ia.json").Take(Count(args)).ToList() : []));
        server.Map($"{ZtfPrefix}/api/v1/conesearch", context => Cone(context, "fink/conesearch_ztf.json", "i:"));
        server.Map($"{LsstPrefix}/api/v1/objects", context => LsstObject(context, "fink/lsst_objects.json"));
        server.Map($"{LsstPrefix}/api/v1/sources", context => LsstObject(context, "fink/lsst_sources.json"));
        server.Map($"{LsstPrefix}/api/v1/fp", context => LsstObject(context, "fink/lsst_fp.json"));
        server.Map($"{LsstPrefix}/api/v1/conesearch", context => Cone(context, "fink/lsst_conesearch.json", "r:"));
        server.Map($"{LsstPrefix}/api/v1/tags", async context =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && !context.Request.QueryString.HasValue)
            {
                await Write(context, 200, Fixtures.Read("fink/lsst_tags_list.json"));
                return;
            }
            // A tag the list has but the fixtures do not is a valid tag with no alerts just now.
            var supported = JsonNode.Parse(Fixtures.Read("fink/lsst_tags_list.json"))!.AsObject()
                .Where(t => (bool)t.Value!["API support"]!).Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
            await Answer(context, "tag", (args, tag) => tag == "early_snia_candidate"
                ? Rows("fink/lsst_tags_early_snia_candidate.json").Take(Count(args)).ToList()
                : supported.Contains(tag) ? [] : throw new BadTag());
        });
        return server;
    }

    private sealed class BadTag : Exception;

    private static Task LsstObject(HttpContext context, string fixture) => Answer(context, "diaObjectId", (args, id) =>
        args["diaObjectId"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? throw new InvalidOperationException("'int' object has no attribute 'split'")
            : id == FakeAlerceLsst.ObjectId ? Rows(fixture) : []);

    private static Task Cone(HttpContext context, string fixture, string family) => Answer(context, "ra", (args, _) =>
    {
        if (args["dec"] is null || args["radius"] is null)
        {
            throw new MissingArgumentException(args["dec"] is null ? "dec" : "radius");
        }
        double Arg(string key) => double.Parse(args[key]!.ToString(), CultureInfo.InvariantCulture);
        var (ra, dec, radius) = (Arg("ra"), Arg("dec"), Arg("radius"));
        return Rows(fixture)
            .Where(r => Angles.Separation(ra, dec, (double)r[family + "ra"]!, (double)r[family + "dec"]!) * 3600 <= radius)
            .ToList();
    }, extraColumns: [family + "ra", family + "dec", "v:separation_degree"]);

    private sealed class MissingArgumentException(string argument) : Exception(argument);

    private static async Task Answer(HttpContext context, string required, Func<JsonObject, string, List<JsonObject>> rows, string[]? extraColumns = null)
    {
        var args = await Arguments(context);
        var value = args[required]?.ToString();
        if (string.IsNullOrEmpty(value))
        {
            await Write(context, 400, string.Format(CultureInfo.InvariantCulture, MissingArgument, required), "text/html; charset=utf-8");
            return;
        }
        List<JsonObject> answer;
        try
        {
            answer = rows(args, value);
        }
        catch (MissingArgumentException e)
        {
            await Write(context, 400, string.Format(CultureInfo.InvariantCulture, MissingArgument, e.Message), "text/html; charset=utf-8");
            return;
        }
        catch (BadTag)
        {
            await Write(context, 400, Fixtures.Read("fink/error_400_lsst_invalid_tag.txt").Replace("early_sn ", value + " ", StringComparison.Ordinal), "text/html; charset=utf-8");
            return;
        }
        catch (InvalidOperationException)
        {
            await Write(context, 500, "<h1>Internal Server Error</h1>", "text/html; charset=utf-8");
            return;
        }
        if (args["columns"]?.ToString() is { } columns)
        {
            var keep = columns.Split(',').Concat(extraColumns ?? []).ToHashSet(StringComparer.Ordinal);
            foreach (var row in answer)
            {
                foreach (var key in row.Select(e => e.Key).Where(k => !keep.Contains(k)).ToList())
                {
                    row.Remove(key);
                }
            }
        }
        await Write(context, 200, new JsonArray([.. answer]).ToJsonString());
    }

    /// <summary>A POST's JSON body, or a GET's query string (each value a string).</summary>
    private static async Task<JsonObject> Arguments(HttpContext context)
    {
        if (HttpMethods.IsPost(context.Request.Method))
        {
            return JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()) as JsonObject ?? [];
        }
        var args = new JsonObject();
        foreach (var (key, value) in context.Request.Query)
        {
            args[key] = value.ToString();
        }
        return args;
    }

    private static int Count(JsonObject args) => args["n"] is { } n ? int.Parse(n.ToString(), CultureInfo.InvariantCulture) : 10;

    private static List<JsonObject> Rows(string fixture) => JsonNode.Parse(Fixtures.Read(fixture))!.AsArray().OfType<JsonObject>().Select(r => r.DeepClone().AsObject()).ToList();

    private static async Task Write(HttpContext context, int status, string body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    }
}
