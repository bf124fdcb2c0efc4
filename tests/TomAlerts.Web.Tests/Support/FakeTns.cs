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

    /// <summary>
    /// TNS's AT reports: <c>get/values</c> (no key, as TNS allows), <c>set/bulk-report</c> giving report 98765, and
    /// <c>get/bulk-report-reply</c> answering 404 (not processed yet) once and then the new object AT 2026xyz. Reports
    /// are kept in <paramref name="reports"/> (the <c>data</c> strings).
    /// </summary>
    public static FakeBrokerServer MapTnsReports(this FakeBrokerServer server, System.Collections.Concurrent.ConcurrentQueue<string> reports)
    {
        var polls = 0;
        return server
            .MapText("/tns/api/get/values", 200, Fixtures.Read("tns/get_values.json"))
            .Map("/tns/api/set/bulk-report", async context =>
            {
                var form = await context.Request.ReadFormAsync();
                if (!await Authorized(context, form))
                {
                    return;
                }
                reports.Enqueue(form["data"].ToString());
                await Write(context, 200, Fixtures.Read("tns/bulk_report_received.json"));
            })
            .Map("/tns/api/get/bulk-report-reply", async context =>
            {
                var form = await context.Request.ReadFormAsync();
                if (!await Authorized(context, form))
                {
                    return;
                }
                if (form["report_id"] != "98765")
                {
                    await Write(context, 404, Fixtures.Read("tns/bulk_report_reply_not_processed.json"));
                    return;
                }
                await (Interlocked.Increment(ref polls) == 1
                    ? Write(context, 404, Fixtures.Read("tns/bulk_report_reply_not_processed.json"))
                    : Write(context, 200, Fixtures.Read("tns/bulk_report_reply_new_object.json")));
            });
    }

    private static async Task<bool> Authorized(HttpContext context, IFormCollection form)
    {
        if (form["api_key"] == TomAlertsFactory.TnsKey && context.Request.Headers.UserAgent.ToString().StartsWith("tns_marker", StringComparison.Ordinal))
        {
            return true;
        }
        await Write(context, 401, Fixtures.Read("tns/error_401_unauthorized.json"));
        return false;
    }

    private static async Task Write(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }
}
