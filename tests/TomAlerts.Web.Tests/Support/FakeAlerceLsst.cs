using Microsoft.AspNetCore.Http;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// ALeRCE's multisurvey API for LSST under <see cref="FakeAlerce.LsstPrefix"/>, serving the recorded-style answers of one
/// LSST object (diaObjectId <see cref="ObjectId"/>, 0.24″ from ZTF23abtfusv) as the FastAPI apps do: <c>list_objects</c>
/// needs <c>survey</c> (else 500, as the server's missing output model gives) and answers the cone fixture (the object
/// twice, once per classifier, and a neighbour); <c>object</c> and the light curve need <c>survey_id=lsst</c> (else
/// 422 with FastAPI's detail list); an unknown object is a 500 <c>{"detail":"An error occurred"}</c>, not a 404.
/// </summary>
public static class FakeAlerceLsst
{
    public const string ObjectId = "169298433216610349";

    public static FakeBrokerServer MapAlerceLsst(this FakeBrokerServer server)
    {
        var prefix = FakeAlerce.LsstPrefix;
        server.Map($"{prefix}/object_api/list_objects", context => context.Request.Query["survey"].FirstOrDefault() is "lsst"
            ? Json(context, 200, Fixtures.Read("alerce_lsst/list_objects_conesearch.json"))
            : Json(context, 500, """{"detail":"An error occurred"}"""));
        server.Map($"{prefix}/object_api/object", context => OneObject(context, "alerce_lsst/object_lsst.json"));
        server.Map($"{prefix}/lightcurve_api/lightcurve", context => OneObject(context, "alerce_lsst/lightcurve_lsst.json"));
        server.Map($"{prefix}/probability_api/probability", context => context.Request.Query["oid"].Contains(ObjectId)
            ? Json(context, 200, Fixtures.Read("alerce_lsst/probability_lsst.json"))
            : Json(context, 404, """{"detail":"Probability not found for the given OID"}"""));
        return server;
    }

    private static Task OneObject(HttpContext context, string fixture)
    {
        if (context.Request.Query["survey_id"].FirstOrDefault() is not "lsst")
        {
            return Json(context, 422, """{"detail":[{"type":"missing","loc":["query","survey_id"],"msg":"Field required","input":null}]}""");
        }
        return context.Request.Query["oid"].Contains(ObjectId)
            ? Json(context, 200, Fixtures.Read(fixture))
            : Json(context, 500, """{"detail":"An error occurred"}""");
    }

    private static async Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }
}
