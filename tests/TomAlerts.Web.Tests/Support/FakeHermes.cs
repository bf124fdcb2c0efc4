using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TomAlerts.Sky;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// Hermes' REST API (LCOGT/hermes <c>hermes/views.py</c>, <c>filters.py</c>, DRF settings) under <see cref="Prefix"/>, over the
/// recorded events (S260305bx with two sequences, the retracted S260221ab) and messages (about LSST-P-DO-169298433216610349
/// and 2023vjq):
/// <list type="bullet">
/// <item>Every route needs <c>Authorization: Token …</c>: none is 403 "Authentication credentials were not provided.", another
/// token 403 "Invalid token." (the session authenticator comes first, so DRF answers 403, not 401).</item>
/// <item>DRF's <c>LimitOffsetPagination</c>: <c>limit</c> (default 100, no cap) and <c>offset</c>; the envelope
/// <c>{count, next, previous, results}</c>, <c>next</c> the absolute URL of the next page with the same filters.
/// Unknown query parameters are ignored (django-filter), as <c>page_size</c> or <c>published_after</c> are.</item>
/// <item><c>nonlocalizedevents/</c>: <c>event_id</c> (contains, case-insensitive), <c>event_id_exact</c>,
/// <c>created_after</c>/<c>created_before</c> (on any sequence's creation; the fixture's <c>time_created</c> stands for it).</item>
/// <item><c>messages/</c>, newest first: <c>cone_search=ra,dec,radius</c> (degrees, on the targets; a value that is not three
/// numbers fails inside the server, 500), <c>event_id</c>, <c>event_id_exact</c>, <c>target_name</c>, <c>target_name_exact</c>.</item>
/// </list>
/// </summary>
public sealed class FakeHermes
{
    public const string Prefix = "/hermes/api/v0";
    public const string NotAuthenticated = """{"detail": "Authentication credentials were not provided."}""";
    public const string InvalidToken = """{"detail": "Invalid token."}""";
    private const int PageSize = 100;

    private readonly List<JsonObject> _events = Results("hermes/nonlocalizedevents_page1.json");
    private readonly List<JsonObject> _messages = Results("hermes/messages_cone_page1.json");
    private readonly Lock _lock = new();

    /// <summary>The path and query of every call, answered or refused.</summary>
    public List<string> Calls { get; } = [];

    public static FakeHermes Map(FakeBrokerServer server)
    {
        var hermes = new FakeHermes();
        server.Map(Prefix + "/", hermes.HandleAsync);
        return hermes;
    }

    private async Task HandleAsync(HttpContext context)
    {
        lock (_lock)
        {
            Calls.Add(context.Request.Path + context.Request.QueryString);
        }
        var token = context.Request.Headers.Authorization.ToString();
        if (token.Length == 0)
        {
            await Write(context, 403, NotAuthenticated);
            return;
        }
        if (token != $"Token {TomAlertsFactory.HermesKey}")
        {
            await Write(context, 403, InvalidToken);
            return;
        }
        var query = context.Request.Query;
        var route = context.Request.Path.Value![Prefix.Length..];
        IEnumerable<JsonObject>? items = route switch
        {
            "/nonlocalizedevents/" => Events(query),
            "/messages/" => Messages(query),
            _ => null,
        };
        if (items is null)
        {
            await Write(context, 404, """{"detail": "Not found."}""");
            return;
        }
        try
        {
            await Write(context, 200, Page(context, items.ToList()).ToJsonString());
        }
        catch (FormatException)
        {
            await Write(context, 500, "<h1>Server Error (500)</h1>", "text/html");
        }
    }

    private IEnumerable<JsonObject> Events(IQueryCollection query)
    {
        var items = _events.AsEnumerable();
        if (Text(query, "event_id") is { } contains)
        {
            items = items.Where(e => Id(e).Contains(contains, StringComparison.OrdinalIgnoreCase));
        }
        if (Text(query, "event_id_exact") is { } exact)
        {
            items = items.Where(e => Id(e) == exact);
        }
        if (Text(query, "created_after") is { } after)
        {
            var time = Time(after);
            items = items.Where(e => Created(e).Any(c => c >= time));
        }
        if (Text(query, "created_before") is { } before)
        {
            var time = Time(before);
            items = items.Where(e => Created(e).Any(c => c <= time));
        }
        return items;
    }

    private IEnumerable<JsonObject> Messages(IQueryCollection query)
    {
        var items = _messages.AsEnumerable();
        if (Text(query, "cone_search") is { } cone)
        {
            var parts = cone.Split(',').Select(p => double.Parse(p, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            if (parts.Length != 3)
            {
                throw new FormatException("ValueError: not enough values to unpack");
            }
            items = items.Where(m => Targets(m).Any(t => (double?)t["right_ascension"] is { } ra && (double?)t["declination"] is { } dec
                                                         && Angles.Separation(parts[0], parts[1], ra, dec) <= parts[2]));
        }
        if (Text(query, "event_id") is { } contains)
        {
            items = items.Where(m => EventIds(m).Any(id => id.Contains(contains, StringComparison.OrdinalIgnoreCase)));
        }
        if (Text(query, "event_id_exact") is { } exact)
        {
            items = items.Where(m => EventIds(m).Contains(exact));
        }
        if (Text(query, "target_name") is { } name)
        {
            items = items.Where(m => Targets(m).Any(t => ((string?)t["name"] ?? "").Contains(name, StringComparison.OrdinalIgnoreCase)));
        }
        if (Text(query, "target_name_exact") is { } nameExact)
        {
            items = items.Where(m => Targets(m).Any(t => (string?)t["name"] == nameExact));
        }
        return items.OrderByDescending(m => (long)m["id"]!);
    }

    /// <summary>DRF's LimitOffsetPagination over the filtered items.</summary>
    private static JsonObject Page(HttpContext context, List<JsonObject> items)
    {
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], out var l) && l > 0 ? l : PageSize;
        var offset = int.TryParse(query["offset"], out var o) && o > 0 ? o : 0;
        string Link(int at)
        {
            var rest = query.Where(q => q.Key is not ("limit" or "offset")).Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}");
            var all = rest.Append($"limit={limit}").Append($"offset={at}");
            return $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}?{string.Join("&", all)}";
        }
        return new JsonObject
        {
            ["count"] = items.Count,
            ["next"] = offset + limit < items.Count ? Link(offset + limit) : null,
            ["previous"] = offset > 0 ? Link(Math.Max(0, offset - limit)) : null,
            ["results"] = new JsonArray(items.Skip(offset).Take(limit).Select(i => (JsonNode)i.DeepClone()).ToArray()),
        };
    }

    private static List<JsonObject> Results(string fixture) =>
        JsonNode.Parse(Fixtures.Read(fixture))!["results"]!.AsArray().Select(r => r!.AsObject()).ToList();

    private static string? Text(IQueryCollection query, string key) => query[key].FirstOrDefault() is { Length: > 0 } v ? v : null;

    private static string Id(JsonObject e) => (string)e["event_id"]!;

    private static IEnumerable<DateTime> Created(JsonObject e) =>
        e["sequences"]!.AsArray().Select(s => Time((string)s!["data"]!["time_created"]!));

    private static DateTime Time(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static IEnumerable<JsonObject> Targets(JsonObject m) => m["targets"]!.AsArray().OfType<JsonObject>();

    private static IEnumerable<string> EventIds(JsonObject m) => m["nonlocalizedevents"]!.AsArray().Select(e => (string)e!["event_id"]!);

    private static async Task Write(HttpContext context, int status, string body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    }
}
