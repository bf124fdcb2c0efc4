using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 standing in for the brokers: each test maps paths to handlers, and every
/// request is recorded. The app under test reaches it over real HTTP through its configured base URLs.
/// </summary>
public sealed class FakeBrokerServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);

    private FakeBrokerServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "";
            Requests.Enqueue($"{context.Request.Method} {path}{context.Request.QueryString}");
            var route = _routes.Where(r => path.StartsWith(r.Key, StringComparison.Ordinal)).OrderByDescending(r => r.Key.Length).FirstOrDefault();
            if (route.Value is null)
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsJsonAsync(new { message = "The requested URL was not found on the server." });
                return;
            }
            await route.Value(context);
        });
    }

    public ConcurrentQueue<string> Requests { get; } = new();

    public string Url { get; private set; } = "";

    public static async Task<FakeBrokerServer> StartAsync()
    {
        var server = new FakeBrokerServer();
        await server._app.StartAsync();
        server.Url = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    /// <summary>Answers every request whose path starts with <paramref name="pathPrefix"/>.</summary>
    public FakeBrokerServer Map(string pathPrefix, Func<HttpContext, Task> handler)
    {
        _routes[pathPrefix] = handler;
        return this;
    }

    public FakeBrokerServer MapText(string pathPrefix, int status, string body, string contentType = "application/json") =>
        Map(pathPrefix, async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
