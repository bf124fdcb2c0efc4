using Microsoft.AspNetCore.Http;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// TNS's bot API under <c>/tns/api/get/</c>: a request without the bot's key or <c>tns_marker</c> user agent is a 401;
/// otherwise <c>search</c> answers <paramref name="searchFixture"/> and <c>object</c> <paramref name="objectFixture"/>,
/// with rate-limit headers as TNS sends them.
/// </summary>
public static class FakeTns
{
    public static FakeBrokerServer MapTns(this FakeBrokerServer server, string searchFixture = "tns/search_by_internal_name.json",
        string objectFixture = "tns/get_object_2023vjq.json") =>
        server.Map("/tns/api/get/", async context =>
        {
            var form = await context.Request.ReadFormAsync();
            if (form["api_key"] != TomAlertsFactory.TnsKey || !context.Request.Headers.UserAgent.ToString().StartsWith("tns_marker", StringComparison.Ordinal))
            {
                await Write(context, 401, Fixtures.Read("tns/error_401_unauthorized.json"));
                return;
            }
            context.Response.Headers["x-rate-limit-remaining"] = "20";
            context.Response.Headers["x-rate-limit-reset"] = "30";
            await Write(context, 200, Fixtures.Read(context.Request.Path.Value!.EndsWith("/search", StringComparison.Ordinal) ? searchFixture : objectFixture));
        });

    private static async Task Write(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }
}
