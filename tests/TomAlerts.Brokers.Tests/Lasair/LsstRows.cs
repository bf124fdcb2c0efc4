using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Web;

namespace TomAlerts.Brokers.Tests.Lasair;

/// <summary>
/// Lasair-LSST's <c>query/</c> as its server answers (lasair-lsst <c>lasairapi/serializers.py</c>, <c>query_builder.py</c>):
/// the selected columns keyed without their table prefix, diaObjectIds as JSON numbers, then LIMIT/OFFSET. Conditions
/// are modelled as far as the tests need: <c>objects.diaObjectId IN (…)</c> keeps those ids; anything else stands for
/// "these rows match".
/// </summary>
public static partial class LsstRows
{
    private const long FirstId = 169298433216610349;

    public static IReadOnlyList<JsonObject> Fixture() =>
        JsonNode.Parse(Fixtures.Read("lasair_lsst/query_result.json"))!.AsArray().Select(r => r!.AsObject()).ToList();

    public static JsonObject Row(long id, double ra, double decl) => new()
    {
        ["diaObjectId"] = id, ["ra"] = ra, ["decl"] = decl, ["firstDiaSourceMjdTai"] = 61102.1845312, ["lastDiaSourceMjdTai"] = 61134.0734227,
        ["latest_psfFlux"] = 2301.5522, ["r_psfFlux"] = 2301.5522, ["nDiaSources"] = 6, ["tns_name"] = null,
    };

    /// <summary><paramref name="count"/> made-up objects, each with its own 18-digit id.</summary>
    public static IReadOnlyList<JsonObject> Generated(int count) =>
        Enumerable.Range(0, count).Select(i => Row(FirstId + i, 10.0 + i * 0.01, -20.0 + i * 0.005)).ToList();

    public static string Id(int index) => (FirstId + index).ToString(CultureInfo.InvariantCulture);

    public static FakeBrokerHttp OnLsstQuery(this FakeBrokerHttp fake, IReadOnlyList<JsonObject> rows) =>
        fake.On(r => r.RequestUri!.AbsoluteUri.StartsWith("https://api.lasair.lsst.ac.uk/api/query/", StringComparison.Ordinal), r => Answer(r, rows));

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
            ? list.Groups[1].Value.Split(',').Select(s => s.Trim()).ToHashSet(StringComparer.Ordinal)
            : null;
        var columns = selected.Split(',').Select(c => c.Trim()).Select(c => c[(c.IndexOf('.', StringComparison.Ordinal) + 1)..]).ToList();
        var answer = new JsonArray([.. rows
            .Where(r => ids is null || ids.Contains(r["diaObjectId"]!.ToJsonString()))
            .Skip(offset).Take(Math.Min(limit, 10000))
            .Select(r => new JsonObject(columns.Select(c => KeyValuePair.Create(c, r[c]?.DeepClone()))))]);
        return FakeBrokerHttp.Respond(HttpStatusCode.OK, answer.ToJsonString());
    }

    [GeneratedRegex(@"objects\.diaObjectId IN \(([^)]*)\)")]
    private static partial Regex InList();
}
