using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace TomAlerts.Web.Tests.Support;

/// <summary>The ways a broker misbehaves that the fault tests inject.</summary>
public enum BrokerFault
{
    ServerError,
    SlowReply,
    GarbageBytes,
    TruncatedJson,
    HtmlErrorPage,
    RateLimited,
    ConnectionRefused,
}

/// <summary>A <see cref="FakeBrokerServer"/> that misbehaves on purpose, on every path under a prefix.</summary>
public static class BrokerFaults
{
    /// <summary>Longer than any attempt timeout the fault tests configure.</summary>
    public static readonly TimeSpan SlowDelay = TimeSpan.FromSeconds(5);

    /// <summary>A JSON document cut off mid-value.</summary>
    public const string TruncatedJson = """{"total": 3, "items": [{"oid": "ZTF23abtfusv", "meanra": 150.31""";

    /// <summary>Gaia's index page cut off inside its alert list.</summary>
    public const string TruncatedGaiaIndex = """<html><body><script>var alerts = [{"name": "Gaia23abc", "ra": "10.5", "dec": "-4""";

    public const string HtmlPage = "<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head>"
                                   + "<body><h1>Down for maintenance</h1><p>Back soon.</p></body></html>";

    /// <summary>
    /// Answers every request under <paramref name="pathPrefix"/> with <paramref name="fault"/>. Connection refusal
    /// cannot be served: point the broker's base URL at <see cref="ClosedPortUrl"/> instead.
    /// </summary>
    public static FakeBrokerServer MapFault(this FakeBrokerServer server, string pathPrefix, BrokerFault fault, string? truncated = null) => fault switch
    {
        BrokerFault.ServerError => server.MapText(pathPrefix, 500, """{"message": "Internal Server Error"}"""),
        BrokerFault.SlowReply => server.Map(pathPrefix, async context =>
        {
            await Task.Delay(SlowDelay, context.RequestAborted);
            await Write(context, 200, "[]", "application/json");
        }),
        BrokerFault.GarbageBytes => server.Map(pathPrefix, async context =>
        {
            context.Response.ContentType = "application/json";
            var garbage = new byte[4096];
            new Random(42).NextBytes(garbage);
            await context.Response.Body.WriteAsync(garbage, context.RequestAborted);
        }),
        BrokerFault.TruncatedJson => server.MapText(pathPrefix, 200, truncated ?? TruncatedJson),
        BrokerFault.HtmlErrorPage => server.MapText(pathPrefix, 200, HtmlPage, "text/html"),
        BrokerFault.RateLimited => server.Map(pathPrefix, async context =>
        {
            context.Response.Headers.RetryAfter = "1";
            await Write(context, 429, """{"message": "Request limit exceeded. Either wait an hour, or see API documentation to increase your limits.", "id_code": 429, "id_message": "Too Many Requests"}""", "application/json");
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "Point the base URL at ClosedPortUrl() instead."),
    };

    /// <summary>An address on 127.0.0.1 where nothing listens, so a connection is refused at once.</summary>
    public static string ClosedPortUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    private static async Task Write(HttpContext context, int status, string body, string contentType)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted);
    }
}
