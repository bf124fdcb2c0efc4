using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TomAlerts.Sky;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// ANTARES's API under <see cref="Prefix"/>, over the three loci of the cone fixtures (ANT2023ch7kxe with ZTF23abtfusv
/// and an LSST object, the LSST-only ANT2026c4xk2q7mwe9t, the QSO ANT2018c7nq4ly), as the real server answers:
/// <c>GET loci</c> takes <c>elasticsearch_query[locus_listing]</c> whose only key is <c>query</c> (bool filter/must,
/// term, terms, match, range, match_all and the custom <c>sky_distance</c> cone), sorts by
/// <c>-properties.newest_alert_observation_time</c>, pages by <c>page[limit]</c> (<see cref="PageSize"/> unless asked)
/// and <c>page[offset]</c>, and writes <c>links</c> as absolute <c>http://</c> URLs, with <c>links.next</c> only when
/// more follow. <c>loci/&lt;id&gt;</c>, its <c>alerts</c> and <c>catalog-matches</c> answer the fixtures, an unknown
/// locus a JSON:API 404; <c>loci/statistics</c> lists the tags.
/// </summary>
public static class FakeAntares
{
    public const string Prefix = "/antares/v1";

    /// <summary>Small, so that a search of two loci takes two pages.</summary>
    public const int PageSize = 1;

    private const string EsKey = "elasticsearch_query[locus_listing]";

    public static FakeBrokerServer MapAntares(this FakeBrokerServer server)
    {
        var loci = new[] { "loci_cone_page1.json", "loci_cone_page2.json" }
            .SelectMany(f => JsonNode.Parse(Fixtures.Read($"antares/{f}"))!["data"]!.AsArray().Select(l => l!.DeepClone().AsObject()))
            .ToList();
        server.Map($"{Prefix}/loci", context =>
        {
            var rest = context.Request.Path.Value![(Prefix.Length + "/loci".Length)..].Trim('/');
            if (rest.Length == 0)
            {
                return Search(context, loci);
            }
            if (rest == "statistics")
            {
                return Json(context, 200, Fixtures.Read("antares/loci_statistics_tags.json"));
            }
            var parts = rest.Split('/');
            var id = Uri.UnescapeDataString(parts[0]);
            var listing = loci.FirstOrDefault(l => (string?)l["id"] == id);
            if (listing is null || parts.Length > 2)
            {
                return Json(context, 404, $$"""{"errors": [{"status": "404", "title": "Not Found", "detail": "Locus {{id}} not found"}]}""");
            }
            return (parts.Length == 1 ? "" : parts[1]) switch
            {
                "" when id == "ANT2023ch7kxe" => Json(context, 200, Fixtures.Read("antares/locus_ANT2023ch7kxe.json")),
                "" => Json(context, 200, new JsonObject { ["data"] = Locus(listing) }.ToJsonString()),
                "alerts" when id == "ANT2023ch7kxe" => Json(context, 200, Fixtures.Read("antares/alerts_ANT2023ch7kxe_ztf_and_lsst.json")),
                "alerts" when id == "ANT2026c4xk2q7mwe9t" => Json(context, 200, Fixtures.Read("antares/alerts_ANT2026c4xk2q7mwe9t_lsst.json")),
                "catalog-matches" when id == "ANT2023ch7kxe" => Json(context, 200, Fixtures.Read("antares/catalog_matches_ANT2023ch7kxe.json")),
                "alerts" or "catalog-matches" => Json(context, 200, """{"data": [], "links": {}, "meta": {"count": 0}}"""),
                _ => Json(context, 404, """{"errors": [{"status": "404", "title": "Not Found"}]}"""),
            };
        });
        return server;
    }

    private static JsonObject Locus(JsonObject listing)
    {
        var locus = listing.DeepClone().AsObject();
        locus["type"] = "locus";
        locus.Remove("meta");
        return locus;
    }

    private static Task Search(HttpContext context, List<JsonObject> loci)
    {
        JsonObject? query;
        try
        {
            query = JsonNode.Parse(context.Request.Query[EsKey].FirstOrDefault() ?? "") as JsonObject;
        }
        catch (JsonException)
        {
            query = null;
        }
        if (query is not { Count: 1 } || query["query"] is not JsonObject clause)
        {
            return Json(context, 400, """{"errors": [{"status": "400", "title": "Bad Request", "detail": "elasticsearch_query[locus_listing] must be an object with only a query"}]}""");
        }
        List<JsonObject> matching;
        try
        {
            matching = loci.Where(l => Holds(clause, l))
                .OrderByDescending(l => (double?)l["attributes"]!["properties"]!["newest_alert_observation_time"]).ToList();
        }
        catch (NotSupportedException e)
        {
            return Json(context, 400, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["status"] = "400", ["title"] = "Bad Request", ["detail"] = e.Message }) }.ToJsonString());
        }
        var limit = int.Parse(context.Request.Query["page[limit]"].FirstOrDefault() ?? PageSize.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var offset = int.Parse(context.Request.Query["page[offset]"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
        var self = $"http://{context.Request.Host}{context.Request.Path}";
        string Page(int at) =>
            $"{self}?sort={Uri.EscapeDataString(context.Request.Query["sort"].FirstOrDefault() ?? "")}&{Uri.EscapeDataString(EsKey)}={Uri.EscapeDataString(query.ToJsonString())}"
            + $"&page%5Blimit%5D={limit}&page%5Boffset%5D={at}";
        var links = new JsonObject { ["self"] = Page(offset) };
        if (offset + limit < matching.Count)
        {
            links["next"] = Page(offset + limit);
        }
        var body = new JsonObject
        {
            ["data"] = new JsonArray([.. matching.Skip(offset).Take(limit).Select(l => l.DeepClone())]),
            ["links"] = links,
            ["meta"] = new JsonObject { ["count"] = matching.Count },
        };
        return Json(context, 200, body.ToJsonString());
    }

    /// <summary>Whether a locus satisfies one Elasticsearch clause; a clause this fake does not know is refused, as ES refuses one it cannot parse.</summary>
    private static bool Holds(JsonObject clause, JsonObject locus) =>
        clause.All(c => c.Key switch
        {
            "match_all" => true,
            "bool" => new[] { "filter", "must" }.All(k => Clauses(c.Value![k]).All(inner => Holds(inner, locus))),
            "term" or "match" => c.Value!.AsObject().All(f => Values(locus, f.Key).Contains(Text(f.Value))),
            "terms" => c.Value!.AsObject().All(f => f.Value!.AsArray().Any(v => Values(locus, f.Key).Contains(Text(v)))),
            "range" => c.Value!.AsObject().All(f => Values(locus, f.Key).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).Any(v => InRange(v, f.Value!.AsObject()))),
            "sky_distance" => InCone(c.Value!.AsObject(), locus),
            _ => throw new NotSupportedException($"Unknown query [{c.Key}]"),
        });

    private static IEnumerable<JsonObject> Clauses(JsonNode? node) => node switch
    {
        null => [],
        JsonArray list => list.OfType<JsonObject>(),
        JsonObject one => [one],
        _ => throw new NotSupportedException("A bool clause must be an object or a list."),
    };

    /// <summary>A field's values: <c>tags</c>, <c>ra</c>, <c>dec</c> or a dotted path under the attributes; a list gives each of its items.</summary>
    private static List<string> Values(JsonObject locus, string field)
    {
        JsonNode? node = locus["attributes"];
        foreach (var part in field.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }
        return node switch
        {
            null => [],
            JsonArray list => [.. list.Select(Text)],
            _ => [Text(node)],
        };
    }

    private static string Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out string? s) ? s : node?.ToJsonString() ?? "";

    private static bool InRange(double value, JsonObject bounds) =>
        bounds.All(b => (double)b.Value! is var limit && b.Key switch
        {
            "gte" => value >= limit,
            "gt" => value > limit,
            "lte" => value <= limit,
            "lt" => value < limit,
            _ => throw new NotSupportedException($"Unknown range bound [{b.Key}]"),
        });

    private static bool InCone(JsonObject cone, JsonObject locus)
    {
        var distance = ((string)cone["distance"]!).Split(' ');
        if (distance is not [var degrees, "degree"])
        {
            throw new NotSupportedException("sky_distance distance must be '<number> degree'.");
        }
        var center = ((string)cone["htm16"]!["center"]!).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var attributes = locus["attributes"]!;
        return Angles.Separation(center[0], center[1], (double)attributes["ra"]!, (double)attributes["dec"]!) <= double.Parse(degrees, CultureInfo.InvariantCulture);
    }

    private static async Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }
}
