using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;
using TomAlerts.Web.Tests.Resilience;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Security;

/// <summary>
/// Broker keys and passwords appear in no log line (everything logged, at the most verbose level), no page, no run
/// message and no recorded broker call — even when a broker echoes the key back in an error.
/// </summary>
public sealed class SecretsTests : IAsyncLifetime
{
    private const string Password = "Sup3rnova!";

    private readonly CapturingFactory factory = new();

    public async Task InitializeAsync()
    {
        factory.Settings["Serilog:MinimumLevel:Default"] = "Verbose";
        foreach (var source in new[] { "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "System.Net.Http.HttpClient", "Polly" })
        {
            factory.Settings[$"Serilog:MinimumLevel:Override:{source}"] = "Verbose";
        }
        factory.Settings["BROKERS:LASAIR:resilience:CircuitBreaker:MinimumThroughput"] = "100";
        await ((IAsyncLifetime)factory).InitializeAsync();
        // Both brokers refuse and quote the key they were sent, as a careless error page might.
        factory.Brokers.Map("/lasair/api/", async context =>
        {
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"detail": "Invalid token: {{context.Request.Headers.Authorization}}"}""");
        });
        factory.Brokers.Map("/tns/api/", async context =>
        {
            var form = await context.Request.ReadFormAsync();
            context.Response.StatusCode = 500;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"id_code": 500, "id_message": "Internal error for api_key {{form["api_key"]}}"}""");
        });
    }

    public Task DisposeAsync() => ((IAsyncLifetime)factory).DisposeAsync();

    [Fact]
    public async Task KeysAndPasswords_AppearInNoLogPageRunOrCallRecord()
    {
        var user = await factory.LoginAsync();
        var lasairQuery = await factory.SaveQueryAsync(user, "Lasair", new() { ["cone_ra"] = "150.3157", ["cone_dec"] = "2.2094", ["cone_radius"] = "20" });
        var tnsQuery = await factory.SaveQueryAsync(user, "TNS", new() { ["target_name"] = "2023vjq" });
        var lasairRun = await factory.RunQueryAsync(user, lasairQuery);
        var tnsRun = await factory.RunQueryAsync(user, tnsQuery);
        await user.Page.WaitForHealthAsync("TNS", "TNS answered 500");

        var runs = await factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().ToListAsync());
        var calls = await factory.WithDbAsync(db => db.BrokerCalls.AsNoTracking().ToListAsync());
        var pages = new List<string>();
        foreach (var url in new[] { "/brokers/", $"/alerts/run/{lasairRun}/", $"/alerts/run/{tnsRun}/", $"/alerts/query/{lasairQuery}/runs/",
                     $"/alerts/query/{tnsQuery}/runs/", "/alerts/query/list/", $"/alerts/query/{tnsQuery}/update/", "/alerts/query/create/?broker=Lasair" })
        {
            pages.Add((await user.Page.GetAsync(url)).Html);
        }
        var logs = string.Join("\n", factory.Log);

        Assert.Contains("Lasair answered 401 Unauthorized: Invalid token: Token [hidden]", runs.Single(r => r.Id == lasairRun).Error, StringComparison.Ordinal);
        Assert.Contains("TNS answered 500", runs.Single(r => r.Id == tnsRun).Error, StringComparison.Ordinal);
        // Request-completion lines go to whichever app last set Serilog's static logger; controllers log through their own.
        Assert.Contains("Registered user", logs, StringComparison.Ordinal); // the password went by,
        Assert.Contains("\"Lasair\" \"GET\" \"/lasair/api/cone/\" answered 401", logs, StringComparison.Ordinal); // and every broker call
        var places = new Dictionary<string, string>
        {
            ["the log"] = logs,
            ["run messages"] = string.Join("\n", runs.Select(r => $"{r.Error} {r.Feedback} {r.Progress}")),
            ["recorded calls"] = string.Join("\n", calls.Select(c => c.Error)),
            ["pages"] = string.Join("\n", pages),
        };
        foreach (var (place, text) in places)
        {
            foreach (var secret in new[] { TomAlertsFactory.LasairKey, TomAlertsFactory.TnsKey, Password })
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{place} contain the secret {secret[..4]}…: "
                    + string.Join("\n", text.Split('\n').Where(l => l.Contains(secret, StringComparison.Ordinal)).Take(3)).Replace(secret, "(secret)", StringComparison.Ordinal));
            }
        }
    }

    /// <summary>The app with one more log sink, which keeps every event: its message, its properties and its exception.</summary>
    private sealed class CapturingFactory : TomAlertsFactory
    {
        private readonly LogCapture _capture = new();

        public ConcurrentQueue<string> Log => _capture.Events;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // LoggingExtensions reads sinks from the container as well as from the settings.
            builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(_capture));
        }
    }

    /// <summary>Not disposable on purpose: Serilog disposes its sinks with the logger, and this one outlives it.</summary>
    private sealed class LogCapture : ILogEventSink
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public void Emit(LogEvent logEvent) =>
            Events.Enqueue($"{logEvent.RenderMessage()} {string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"))} {logEvent.Exception}");
    }
}
