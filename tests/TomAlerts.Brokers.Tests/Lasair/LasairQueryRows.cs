using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Web;

namespace TomAlerts.Brokers.Tests.Lasair;

/// <summary>
/// Lasair's <c>/api/query/</c> as its server answers (lasair4 <c>lasairapi/serializers.py</c> QuerySerializer and
/// <c>lasair/query_builder.py</c>): the selected columns of the rows the conditions keep, keyed without their table
/// prefix, then <c>LIMIT limit OFFSET offset</c> (limit 1000 when not given). Conditions are modelled as far as the
/// tests need: <c>objects.objectId IN ("…", …)</c> keeps those ids; any other condition stands for "these rows match".
/// </summary>
public static partial class LasairQueryRows
{
    public static IReadOnlyList<JsonObject> Fixture() =>
        JsonNode.Parse(Fixtures.Read("lasair/query_list_rows.json"))!.AsArray().Select(r => r!.AsObject()).ToList();

    /// <summary><paramref name="count"/> made-up objects shaped like the fixture's first row, each with its own id and values.</summary>
    public static IReadOnlyList<JsonObject> Generated(int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var row = Fixture()[0].DeepClone().AsObject();
            row["objectId"] = Id(i);
            row["ramean"] = 10.0 + i * 0.5;
            row["decmean"] = -20.0 + i * 0.25;
            row["ncand"] = 3 + i;
            row["jdmax"] = 2460200.5 + i;
            return row;
        }).ToList();

    public static string Id(int index) => $"ZTF23aa{(char)('a' + index / 676 % 26)}{(char)('a' + index / 26 % 26)}{(char)('a' + index % 26)}zq";

    public static FakeBrokerHttp OnQuery(this FakeBrokerHttp fake, IReadOnlyList<JsonObject> rows) =>
        fake.On(r => r.RequestUri!.AbsolutePath.EndsWith("/api/query/", StringComparison.Ordinal), r => Answer(r, rows));

    private static HttpResponseMessage Answer(HttpRequestMessage request, IReadOnlyList<JsonObject> rows)
    {
        var query = HttpUtility.ParseQueryString(request.RequestUri!.Query);
        if (query["selected"] is not { } selected || query["tables"] is null || query["conditions"] is not { } conditions)
        {
            return FakeBrokerHttp.Respond(HttpStatusCode.BadRequest, """{"selected": ["This field is required."]}""");
        }
        var limit = int.Parse(query["limit"] ?? "1000", CultureInfo.InvariantCulture);
        var offset = int.Parse(query["offset"] ?? "0", CultureInfo.InvariantCulture);
        var ids = InList().Match(conditions) is { Success: true } list
            ? Quoted().Matches(list.Groups[1].Value).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal)
            : null;
        var columns = selected.Split(',').Select(c => c.Trim()).Select(c => c[(c.IndexOf('.', StringComparison.Ordinal) + 1)..]).ToList();
        var answer = new JsonArray([.. rows
            .Where(r => ids is null || ids.Contains((string)r["objectId"]!))
            .Skip(offset).Take(Math.Min(limit, 10000))
            .Select(r => new JsonObject(columns.Select(c => KeyValuePair.Create(c, r[c]?.DeepClone()))))]);
        return FakeBrokerHttp.Respond(HttpStatusCode.OK, answer.ToJsonString());
    }

    [GeneratedRegex(@"objects\.objectId IN \(([^)]*)\)")]
    private static partial Regex InList();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();
}
