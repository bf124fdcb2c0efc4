using Microsoft.AspNetCore.Http;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Search;

/// <summary>
/// ALeRCE, Lasair, TNS, Gaia, Fink, ANTARES and Hermes answering a cone around SN 2023vjq / ZTF23abtfusv / Gaia23dnw (RA 150.3158, Dec +2.2094)
/// from the recorded fixtures: the same transient, as each broker reports it.
/// </summary>
public static class FakeConeBrokers
{
    public const double Ra = 150.31577;
    public const double Dec = 2.20943;

    public static FakeBrokerServer MapConeBrokers(this FakeBrokerServer server)
    {
        server.Map("/alerce/objects/", async context =>
        {
            var path = context.Request.Path.Value!;
            await Write(context, 200, path switch
            {
                "/alerce/objects/" => OneAlerceObject(),
                _ when path.EndsWith("/lightcurve", StringComparison.Ordinal) => Fixtures.Read("alerce/lightcurve_ZTF23abtfusv.json"),
                _ => Fixtures.Read("alerce/object_ZTF23abtfusv.json"),
            });
        });
        server.MapLasair();
        server.MapFink();
        server.MapAntares();
        FakeHermes.Map(server);
        server.Map("/tns/api/get/", async context =>
        {
            var form = await context.Request.ReadFormAsync();
            if (form["api_key"] != TomAlertsFactory.TnsKey)
            {
                await Write(context, 401, Fixtures.Read("tns/error_401_unauthorized.json"));
                return;
            }
            await Write(context, 200, context.Request.Path.Value!.EndsWith("/search", StringComparison.Ordinal)
                ? Fixtures.Read("tns/search_by_internal_name.json")
                : Fixtures.Read("tns/get_object_2023vjq.json"));
        });
        server.MapText("/gaia/alerts/alertsindex", 200, Fixtures.Read("gaia/alertsindex.html"), "text/html");
        server.MapText("/gaia/alerts/alert/Gaia23dnw/lightcurve.csv", 200, Fixtures.Read("gaia/lightcurve_Gaia23cxz.csv").Replace("Gaia23cxz", "Gaia23dnw", StringComparison.Ordinal), "text/csv");
        return server;
    }

    /// <summary>The first object of the recorded page, alone: ALeRCE's cone answer.</summary>
    private static string OneAlerceObject()
    {
        var page = System.Text.Json.Nodes.JsonNode.Parse(Fixtures.Read("alerce/objects_page1.json"))!.AsObject();
        var first = page["items"]![0]!.DeepClone();
        page["items"] = new System.Text.Json.Nodes.JsonArray(first);
        page["total"] = 1;
        page["has_next"] = false;
        page["next"] = null;
        return page.ToJsonString();
    }

    public static async Task Write(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }
}
