using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// ALeRCE as the real API pages: <c>/alerce/objects/?page=&amp;page_size=&amp;count=true</c> serves <paramref name="count"/>
/// fixture-shaped objects (ZTF23abtfusv first, then made-up neighbours far apart on the sky), and every object's light
/// curve is the fixture light curve.
/// </summary>
public static class FakeAlerce
{
    public const string Prefix = "/alerce";

    public static FakeBrokerServer MapAlerce(this FakeBrokerServer server, int count)
    {
        var template = JsonNode.Parse(Fixtures.Read("alerce/objects_page1.json"))!["items"]![0]!.AsObject();
        server.MapText($"{Prefix}/classifiers", 200, Fixtures.Read("alerce/classifiers.json"));
        server.Map($"{Prefix}/objects/", async context =>
        {
            var path = context.Request.Path.Value!;
            if (path.EndsWith("/lightcurve", StringComparison.Ordinal))
            {
                await WriteJson(context, Fixtures.Read("alerce/lightcurve_ZTF23abtfusv.json"));
                return;
            }
            var page = int.Parse(context.Request.Query["page"].FirstOrDefault() ?? "1", CultureInfo.InvariantCulture);
            var size = int.Parse(context.Request.Query["page_size"].FirstOrDefault() ?? "10", CultureInfo.InvariantCulture);
            var items = new JsonArray();
            for (var i = (page - 1) * size; i < Math.Min(count, page * size); i++)
            {
                items.Add(Item(template, i));
            }
            var hasNext = page * size < count;
            var body = new JsonObject
            {
                ["total"] = count, ["page"] = null, ["next"] = hasNext ? page + 1 : null, ["has_next"] = hasNext,
                ["prev"] = page > 1 ? page - 1 : null, ["has_prev"] = page > 1, ["items"] = items,
            };
            await WriteJson(context, body.ToJsonString());
        });
        return server;
    }

    public static string Oid(int index) => index == 0 ? "ZTF23abtfusv" : $"ZTF23zz{index:D5}";

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
        }
        return item;
    }

    private static async Task WriteJson(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }
}
