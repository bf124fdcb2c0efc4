using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using TomAlerts.Sky;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// Lasair-ZTF as its server behaves (lsst-uk/lasair4 <c>webserver/lasairapi</c>), over a catalogue of objects: object 0 is
/// ZTF23abtfusv at its recorded position with its recorded object page, the rest made-up objects a degree apart.
/// <list type="bullet">
/// <item>Auth first (DRF): no token 401 "Authentication credentials were not provided.", another token 401 "Invalid token.".</item>
/// <item>Then the throttle, per token: a sliding window of <see cref="QuotaPerHour"/> accepted calls an hour (DRF's
/// UserRateThrottle history); the next call is answered 429 with Lasair's body and <c>Retry-After</c> the seconds until the
/// oldest call leaves the window (an hour when the calls came at once). A refused call does not count.</item>
/// <item><c>/api/cone/</c>: ra, dec, radius (arcsec, at most 1000), requestType all/nearest/count.</item>
/// <item><c>/api/query/</c>: selected, tables, conditions (all required, conditions may be blank), limit (default 1000, capped
/// at 10,000 for a personal token), offset. Answers the selected columns, keyed without the table prefix. Conditions:
/// blank, <c>objects.objectId IN ("…", …)</c>, or comparisons <c>[objects.]column op number</c> joined by AND;
/// <c>sherlock_classifications.classification = "…"</c> too when that table is named, which Lasair joins on objectId (an
/// inner join: objects without a Sherlock row drop out). A condition containing "limit" or "offset" is refused as the
/// server does, and anything else answers 400 with an SQL error.</item>
/// <item><c>/api/object/</c>: objectId and lasair_added=true give the object page; an unknown id gives a 500.</item>
/// </list>
/// </summary>
public sealed partial class FakeLasair
{
    public const string Prefix = "/lasair";
    public const string ThrottledBody = """{"message": "Request limit exceeded. Either wait an hour, or see API documentation to increase your limits."}""";
    public const string FirstId = "ZTF23abtfusv";

    private static readonly string[] Classes = ["SN", "NT", "AGN", "VS"];

    private readonly Lock _lock = new();
    private readonly List<DateTimeOffset> _history = [];
    private readonly List<JsonObject> _objects;
    private readonly JsonObject _page = JsonNode.Parse(Fixtures.Read("lasair/object_ZTF23abtfusv.json"))!.AsObject();
    private int _calls;
    private int _refused;

    private FakeLasair(int count) => _objects = Enumerable.Range(0, count).Select(Row).ToList();

    /// <summary>Accepted calls per token per hour: 100 for a personal token.</summary>
    public int QuotaPerHour { get; set; } = 100;

    /// <summary>Calls answered (not refused), on any path.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Calls refused with 429.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>The paths of the answered calls, in order.</summary>
    public List<string> Paths { get; } = [];

    public static string Id(int index) => index == 0 ? FirstId : $"ZTF23zz{Letters(index)}";

    /// <summary>Object <paramref name="index"/>'s position: ZTF23abtfusv's recorded one, the others a degree apart.</summary>
    public static (double Ra, double Dec) Position(int index) =>
        index == 0 ? (150.31577584166666, 2.209430991666667) : ((10.0 + index) % 360, -30.0 + index % 50);

    /// <summary>As if the hour had passed: the token's window is empty again.</summary>
    public void ResetQuota()
    {
        lock (_lock)
        {
            _history.Clear();
        }
    }

    public static FakeLasair Map(FakeBrokerServer server, int count)
    {
        var lasair = new FakeLasair(count);
        server.Map($"{Prefix}/api/", lasair.HandleAsync);
        return lasair;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var token = context.Request.Headers.Authorization.ToString();
        if (token.Length == 0)
        {
            await Write(context, 401, """{"detail": "Authentication credentials were not provided."}""");
            return;
        }
        if (token != $"Token {TomAlertsFactory.LasairKey}")
        {
            await Write(context, 401, """{"detail": "Invalid token."}""");
            return;
        }
        if (Throttle() is { } wait)
        {
            Interlocked.Increment(ref _refused);
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Write(context, 429, ThrottledBody);
            return;
        }
        Interlocked.Increment(ref _calls);
        var path = context.Request.Path.Value![(Prefix.Length + "/api".Length)..];
        lock (_lock)
        {
            Paths.Add(path);
        }
        var query = context.Request.Query;
        var (status, body) = path switch
        {
            "/cone/" => Cone(query),
            "/query/" => Query(query),
            "/object/" => Object(query),
            _ => (404, """{"detail": "Not found."}"""),
        };
        await Write(context, status, body);
    }

    /// <summary>DRF's sliding window: null when the call is accepted (and counted), else how long until a slot frees.</summary>
    private TimeSpan? Throttle()
    {
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            _history.RemoveAll(at => at <= now - TimeSpan.FromHours(1));
            if (_history.Count >= QuotaPerHour)
            {
                return TimeSpan.FromHours(1) - (now - _history[0]);
            }
            _history.Add(now);
            return null;
        }
    }

    private (int, string) Cone(IQueryCollection query)
    {
        if (Number(query["ra"]) is not { } ra || Number(query["dec"]) is not { } dec || Number(query["radius"]) is not { } radius
            || query["requestType"].ToString() is not ("all" or "nearest" or "count"))
        {
            return (400, """{"requestType": ["This field is required."]}""");
        }
        if (radius > 1000)
        {
            return (400, """{"error": "Max radius is 1000 arcsec."}""");
        }
        var hits = _objects
            .Select(o => new JsonObject { ["object"] = (string)o["objectId"]!, ["separation"] = Angles.Separation(ra, dec, (double)o["ramean"]!, (double)o["decmean"]!) * 3600 })
            .Where(h => (double)h["separation"]! <= radius)
            .OrderBy(h => (double)h["separation"]!)
            .ToList();
        return query["requestType"].ToString() switch
        {
            "count" => (200, new JsonObject { ["count"] = hits.Count }.ToJsonString()),
            "nearest" => (200, hits.Count == 0 ? "{}" : hits[0].ToJsonString()),
            _ => (200, new JsonArray([.. hits]).ToJsonString()),
        };
    }

    private (int, string) Query(IQueryCollection query)
    {
        if (!query.ContainsKey("selected") || !query.ContainsKey("tables") || !query.ContainsKey("conditions"))
        {
            return (400, """{"selected": ["This field is required."], "tables": ["This field is required."], "conditions": ["This field is required."]}""");
        }
        var conditions = query["conditions"].ToString().Replace('\'', '"');
        if (conditions.Contains("limit", StringComparison.Ordinal))
        {
            return (400, """{"error": "Dont put LIMIT in the WHERE clause, use the parameter in the form/API instead"}""");
        }
        if (conditions.Contains("offset", StringComparison.Ordinal))
        {
            return (400, """{"error": "Dont put OFFSET in the WHERE clause, use the parameter in the form/API instead"}""");
        }
        var sherlock = query["tables"].ToString().Split(',').Any(t => t.Trim().Equals("sherlock_classifications", StringComparison.OrdinalIgnoreCase));
        var limit = Math.Min(10000, query["limit"].Count == 0 ? 1000 : int.Parse(query["limit"]!, CultureInfo.InvariantCulture));
        var offset = query["offset"].Count == 0 ? 0 : int.Parse(query["offset"]!, CultureInfo.InvariantCulture);
        var filter = Filter(conditions, sherlock);
        var columns = query["selected"].ToString().Split(',').Select(c => c.Trim()).ToList();
        if (filter is null || columns.Any(c => Column(c, sherlock) is null))
        {
            return (400, $$"""{"error": "Your query:<br/><b>SELECT {{query["selected"]}} FROM objects WHERE {{conditions.Replace("\"", "\\\"", StringComparison.Ordinal)}}</b><br/>returned the error<br/><i>1054 (42S22): Unknown column in 'where clause'</i>"}""");
        }
        var rows = _objects.Where(o => !sherlock || o["classification"] is not null).Where(filter).Skip(offset).Take(limit)
            .Select(o => new JsonObject(columns.Select(c => KeyValuePair.Create(Column(c, sherlock)!, o[Column(c, sherlock)!]?.DeepClone()))));
        return (200, new JsonArray([.. rows]).ToJsonString());
    }

    private (int, string) Object(IQueryCollection query)
    {
        var row = _objects.FirstOrDefault(o => (string)o["objectId"]! == query["objectId"].ToString());
        if (row is null)
        {
            // objjson gives None for an unknown id, and retcode then fails.
            return (500, """{"detail": "Server Error (500)"}""");
        }
        if (query["lasair_added"] != "true")
        {
            // DRF reads an omitted boolean as false: only the raw rows.
            return (200, Fixtures.Read("lasair/object_ZTF23abtfusv_lasair_added_false.json").Replace(FirstId, (string)row["objectId"]!, StringComparison.Ordinal));
        }
        var page = _page.DeepClone().AsObject();
        page["objectId"] = row["objectId"]!.DeepClone();
        var data = page["objectData"]!.AsObject();
        foreach (var key in new[] { "ramean", "decmean", "glonmean", "glatmean", "ncand", "jdmin", "jdmax" })
        {
            data[key] = row[key]!.DeepClone();
        }
        if ((string)row["objectId"]! != FirstId)
        {
            // Only ZTF23abtfusv is SN 2023vjq; the made-up objects have no TNS match.
            page["TNS"] = new JsonObject();
            page["sherlock"] = row["classification"] is { } c ? new JsonObject { ["objectId"] = row["objectId"]!.DeepClone(), ["classification"] = c.DeepClone() } : new JsonObject();
        }
        return (200, page.ToJsonString());
    }

    /// <summary>The rows the conditions keep; null when the fake does not understand them (the real server would say why).</summary>
    private static Func<JsonObject, bool>? Filter(string conditions, bool sherlock)
    {
        if (conditions.Trim().Length == 0)
        {
            return _ => true;
        }
        if (InList().Match(conditions) is { Success: true } list)
        {
            var ids = Quoted().Matches(list.Groups[1].Value).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            return o => ids.Contains((string)o["objectId"]!);
        }
        var tests = new List<Func<JsonObject, bool>>();
        foreach (var part in Regex.Split(conditions, @"\s+AND\s+", RegexOptions.IgnoreCase))
        {
            var comparison = Comparison().Match(part.Trim());
            if (!comparison.Success || Column(comparison.Groups[1].Value, sherlock) is not { } column)
            {
                return null;
            }
            var op = comparison.Groups[2].Value;
            var text = comparison.Groups[3].Value;
            if (text.StartsWith('"'))
            {
                var value = text.Trim('"');
                tests.Add(o => op == "=" && (string?)o[column] == value);
                continue;
            }
            var number = double.Parse(text, CultureInfo.InvariantCulture);
            tests.Add(o => o[column] is JsonValue v && double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) is var x && op switch
            {
                "<" => x < number,
                "<=" => x <= number,
                ">" => x > number,
                ">=" => x >= number,
                _ => x == number,
            });
        }
        return o => tests.All(t => t(o));
    }

    /// <summary>A column a query may name: an objects column, or Sherlock's classification when its table is joined.</summary>
    private static string? Column(string name, bool sherlock)
    {
        var bare = name.StartsWith("objects.", StringComparison.Ordinal) ? name["objects.".Length..] : name;
        if (bare == "sherlock_classifications.classification")
        {
            return sherlock ? "classification" : null;
        }
        return bare is "objectId" or "ramean" or "decmean" or "glonmean" or "glatmean" or "jdmin" or "jdmax" or "jdgmax" or "jdrmax"
            or "gmag" or "rmag" or "ncand" or "ncandgp" ? bare : null;
    }

    /// <summary>Object <paramref name="index"/>'s objects row, plus its Sherlock class (kept out of answers unless joined).</summary>
    private static JsonObject Row(int index)
    {
        var (ra, dec) = Position(index);
        var (lng, lat) = Galactic.FromEquatorial(ra, dec);
        var jdmax = index == 0 ? 2460282.79437 : 2460200.5 + index % 80;
        return new JsonObject
        {
            ["objectId"] = Id(index),
            ["ramean"] = ra,
            ["decmean"] = dec,
            ["glonmean"] = lng,
            ["glatmean"] = lat,
            ["jdmin"] = jdmax - 30,
            ["jdmax"] = jdmax,
            ["jdgmax"] = jdmax,
            ["jdrmax"] = jdmax - 1,
            ["gmag"] = index == 0 ? 19.702470779418945 : 18.0 + index % 30 / 10.0,
            ["rmag"] = index == 0 ? 19.0168399810791 : 18.5 + index % 20 / 10.0,
            ["ncand"] = index == 0 ? 12 : 3 + index % 20,
            ["ncandgp"] = index == 0 ? 12 : 2 + index % 20,
            // Every seventh object has no Sherlock row, so a join on it leaves the object out.
            ["classification"] = index % 7 == 6 ? null : Classes[index % Classes.Length],
        };
    }

    private static string Letters(int index) =>
        new([(char)('a' + index / 17576 % 26), (char)('a' + index / 676 % 26), (char)('a' + index / 26 % 26), (char)('a' + index % 26), 'q']);

    private static double? Number(Microsoft.Extensions.Primitives.StringValues values) =>
        double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static async Task Write(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    [GeneratedRegex(@"objects\.objectId IN \(([^)]*)\)")]
    private static partial Regex InList();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^([\w.]+)\s*(<=|>=|<|>|=)\s*(""[^""]*""|-?\d+(?:\.\d+)?)$")]
    private static partial Regex Comparison();
}

/// <summary>
/// Lasair's LSST service (lsst-uk/lasair-lsst <c>webserver/lasairapi</c>) over two objects from the lasair_lsst fixtures:
/// <see cref="FirstId"/> (SN 2023vjq's position) and <see cref="SecondId"/> 25.8″ away, whose old diaSource trips the
/// server's image_urls fault.
/// <list type="bullet">
/// <item>Auth: its own token (<see cref="TomAlertsFactory.LasairLsstKey"/>); none gives 401 "Authentication credentials
/// were not provided.", another (a Lasair-ZTF token) 401 "Invalid token.".</item>
/// <item><c>cone/</c>: <c>{objects, count, nearest}</c> with diaObjectIds as JSON numbers.</item>
/// <item><c>query/</c>: the selected columns of the rows, keyed without their table prefix; conditions
/// <c>objects.diaObjectId IN (…)</c> keep those ids, blank keeps all, anything else answers an SQL error.</item>
/// <item><c>object/</c>: with lasair_added true (the default) the object reply, for the second object 400
/// <c>{"error": "'image_urls'"}</c>; lasair_added=false the raw rows (with the diaObject unless lite); unknown ids 404.</item>
/// </list>
/// </summary>
public sealed partial class FakeLasairLsst
{
    public const string Prefix = "/lasair-lsst";
    public const string FirstId = "169298433216610349";
    public const string SecondId = "169298433216610412";

    private readonly Lock _lock = new();
    private readonly List<JsonObject> _rows;

    private FakeLasairLsst()
    {
        _rows = JsonNode.Parse(Fixtures.Read("lasair_lsst/query_result.json"))!.AsArray().Select(r => r!.AsObject()).ToList();
        var second = _rows[0].DeepClone().AsObject();
        second["diaObjectId"] = long.Parse(SecondId, CultureInfo.InvariantCulture);
        second["ra"] = 150.32293;
        second["tns_name"] = null;
        _rows.Add(second);
        foreach (var row in _rows)
        {
            row["latest_psfFlux"] = row["r_psfFlux"]?.DeepClone();
        }
    }

    /// <summary>The paths of the answered calls, in order ("/cone/", "/query/", "/object/").</summary>
    public List<string> Paths { get; } = [];

    /// <summary>The query strings of the answered calls, in order.</summary>
    public List<string> Queries { get; } = [];

    public static FakeLasairLsst Map(FakeBrokerServer server)
    {
        var lasair = new FakeLasairLsst();
        server.Map($"{Prefix}/api/", lasair.HandleAsync);
        return lasair;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var token = context.Request.Headers.Authorization.ToString();
        if (token.Length == 0)
        {
            context.Response.Headers.WWWAuthenticate = "Token";
            await Write(context, 401, """{"detail": "Authentication credentials were not provided."}""");
            return;
        }
        if (token != $"Token {TomAlertsFactory.LasairLsstKey}")
        {
            await Write(context, 401, """{"detail": "Invalid token."}""");
            return;
        }
        var path = context.Request.Path.Value![(Prefix.Length + "/api".Length)..];
        lock (_lock)
        {
            Paths.Add(path);
            Queries.Add(context.Request.QueryString.Value ?? "");
        }
        var query = context.Request.Query;
        var (status, body) = path switch
        {
            "/cone/" => Cone(query),
            "/query/" => Query(query),
            "/object/" => Object(query),
            _ => (404, """{"detail": "Not found."}"""),
        };
        await Write(context, status, body);
    }

    private (int, string) Cone(IQueryCollection query)
    {
        if (!double.TryParse(query["ra"], NumberStyles.Float, CultureInfo.InvariantCulture, out var ra)
            || !double.TryParse(query["dec"], NumberStyles.Float, CultureInfo.InvariantCulture, out var dec)
            || !double.TryParse(query["radius"], NumberStyles.Float, CultureInfo.InvariantCulture, out var radius)
            || query["requestType"] != "all")
        {
            return (400, """{"requestType": ["This field is required."]}""");
        }
        var hits = _rows
            .Select(r => (Id: r["diaObjectId"]!.ToJsonString(), Separation: Angles.Separation(ra, dec, (double)r["ra"]!, (double)r["decl"]!) * 3600))
            .Where(h => h.Separation <= radius)
            .OrderBy(h => h.Separation)
            .Select(h => $$"""{"object": {{h.Id}}, "separation": {{h.Separation.ToString("R", CultureInfo.InvariantCulture)}}}""")
            .ToList();
        return (200, $$"""{"objects": [{{string.Join(", ", hits)}}], "count": {{hits.Count}}, "nearest": {{(hits.Count == 0 ? "{}" : hits[0])}}}""");
    }

    private (int, string) Query(IQueryCollection query)
    {
        if (!query.ContainsKey("selected") || !query.ContainsKey("tables") || !query.ContainsKey("conditions"))
        {
            return (400, """{"selected": ["This field is required."]}""");
        }
        var conditions = query["conditions"].ToString();
        HashSet<string>? ids = null;
        if (LsstInList().Match(conditions) is { Success: true } list)
        {
            ids = list.Groups[1].Value.Split(',').Select(s => s.Trim()).ToHashSet(StringComparer.Ordinal);
        }
        else if (conditions.Trim().Length > 0)
        {
            return (400, """{"error": "Your query:<br/><b>…</b><br/>returned the error<br/><i>1054 (42S22): Unknown column</i>"}""");
        }
        var columns = query["selected"].ToString().Split(',').Select(c => c.Trim()).Select(c => c[(c.IndexOf('.', StringComparison.Ordinal) + 1)..]).ToList();
        var limit = query["limit"].Count == 0 ? 1000 : int.Parse(query["limit"]!, CultureInfo.InvariantCulture);
        var offset = query["offset"].Count == 0 ? 0 : int.Parse(query["offset"]!, CultureInfo.InvariantCulture);
        var rows = _rows.Where(r => ids is null || ids.Contains(r["diaObjectId"]!.ToJsonString())).Skip(offset).Take(limit)
            .Select(r => new JsonObject(columns.Select(c => KeyValuePair.Create(c, r[c]?.DeepClone()))));
        return (200, new JsonArray([.. rows]).ToJsonString());
    }

    private static (int, string) Object(IQueryCollection query)
    {
        var id = query["objectId"].ToString();
        if (id is not (FirstId or SecondId))
        {
            return (404, """{"detail": "Not found."}""");
        }
        if (query["lasair_added"] != "false")
        {
            return id == FirstId ? (200, Fixtures.Read("lasair_lsst/object_lite.json")) : (400, """{"error": "'image_urls'"}""");
        }
        var raw = JsonNode.Parse(Fixtures.Read("lasair_lsst/object_lasair_added_false_lite.json"))!.AsObject();
        var reply = new JsonObject { ["diaObjectId"] = id };
        if (query["lite"] == "false")
        {
            reply["diaObject"] = JsonNode.Parse($$"""{"diaObjectId": {{id}}, "ra": 150.32293, "decl": 2.209495887710154}""");
        }
        reply["diaSourcesList"] = raw["diaSourcesList"]!.DeepClone();
        reply["diaForcedSourcesList"] = raw["diaForcedSourcesList"]!.DeepClone();
        return (200, reply.ToJsonString());
    }

    private static async Task Write(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    [GeneratedRegex(@"objects\.diaObjectId IN \(([^)]*)\)")]
    private static partial Regex LsstInList();
}

public static class FakeLasairMapping
{
    /// <summary>Lasair under <see cref="FakeLasair.Prefix"/>, over <paramref name="count"/> objects (ZTF23abtfusv first).</summary>
    public static FakeLasair MapLasair(this FakeBrokerServer server, int count = 1) => FakeLasair.Map(server, count);

    /// <summary>Lasair's LSST service under <see cref="FakeLasairLsst.Prefix"/>, over its two fixture objects.</summary>
    public static FakeLasairLsst MapLasairLsst(this FakeBrokerServer server) => FakeLasairLsst.Map(server);
}
