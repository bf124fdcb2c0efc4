using Microsoft.AspNetCore.Http;
using TomAlerts.Web.Tests.Resilience;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Security;

/// <summary>
/// Broker keys and passwords appear in no log line, no page, no run message and no recorded broker call — even when a
/// broker echoes the key back in an error. The app runs as its own process with everything logged at the most verbose
/// level, as structured JSON (so a key hidden in an event's properties, not just its text, is caught) and to the console.
/// </summary>
public sealed class SecretsTests : IAsyncLifetime
{
    private const string LasairKey = "lasair-secret-key-0123456789";
    private const string TnsKey = "tns-secret-key-abcdef012345";

    private readonly string _directory = Directory.CreateTempSubdirectory("tomalerts-secrets-").FullName;
    private FakeBrokerServer _brokers = null!;

    public async Task InitializeAsync()
    {
        _brokers = await FakeBrokerServer.StartAsync();
        // Both brokers refuse and quote the key they were sent, as a careless error page might.
        _brokers.Map("/lasair/api/", async context =>
        {
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"detail": "Invalid token: {{context.Request.Headers.Authorization}}"}""");
        });
        _brokers.Map("/tns/api/", async context =>
        {
            var form = await context.Request.ReadFormAsync();
            context.Response.StatusCode = 500;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"id_code": 500, "id_message": "Internal error for api_key {{form["api_key"]}}"}""");
        });
    }

    public async Task DisposeAsync()
    {
        await _brokers.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private Dictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(_directory, "tomalerts.db")}",
            ["BROKERS__LASAIR__base_url"] = _brokers.Url + "/lasair",
            ["BROKERS__LASAIR__api_key"] = LasairKey,
            ["BROKERS__TNS__tns_base_url"] = _brokers.Url + "/tns/api",
            ["BROKERS__TNS__api_key"] = TnsKey,
            ["BROKERS__TNS__bot_id"] = "12345",
            ["BROKERS__TNS__bot_name"] = "secrets_test_bot",
            ["BROKERS__TNS__resilience__Retry__Delay"] = "00:00:00.010",
            ["Serilog__MinimumLevel__Default"] = "Verbose",
            ["Serilog__WriteTo__1__Args__path"] = Path.Combine(_directory, "log-.json"),
            ["Serilog__WriteTo__1__Args__formatter"] = "Serilog.Formatting.Compact.CompactJsonFormatter, Serilog.Formatting.Compact",
        };
        foreach (var source in new[] { "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "System.Net.Http.HttpClient", "Polly", "Microsoft.Hosting.Lifetime" })
        {
            settings[$"Serilog__MinimumLevel__Override__{source}"] = "Verbose";
        }
        return settings;
    }

    [Fact]
    public async Task KeysAndPasswords_AppearInNoLogPageRunOrCallRecord()
    {
        var pages = new List<string>();
        string console;
        await using (var app = await AppProcess.StartAsync(Settings()))
        {
            await app.RegisterAsync("secrets@example.org");
            var lasairQuery = await app.SaveQueryAsync("Lasair", "secret lasair", new() { ["cone_ra"] = "150.3157", ["cone_dec"] = "2.2094", ["cone_radius"] = "20" });
            var lasairRun = await app.StartRunAsync(lasairQuery);
            await app.WaitForRunAsync(lasairRun);
            var tnsQuery = await app.SaveQueryAsync("TNS", "secret tns", new() { ["target_name"] = "2023vjq" });
            var tnsRun = await app.StartRunAsync(tnsQuery);
            await app.WaitForRunAsync(tnsRun);
            await app.Page.WaitForHealthAsync("TNS", "TNS answered 500");
            foreach (var url in new[] { "/brokers/", $"/alerts/run/{lasairRun}/", $"/alerts/run/{tnsRun}/", $"/alerts/query/{lasairQuery}/runs/",
                         $"/alerts/query/{tnsQuery}/runs/", "/alerts/query/list/", $"/alerts/query/{tnsQuery}/update/", "/alerts/query/create/?broker=Lasair" })
            {
                pages.Add((await app.Page.GetAsync(url)).Html);
            }
            await app.StopAsync(); // logs flushed
            console = app.Output;
        }
        var logs = string.Join("\n", Directory.GetFiles(_directory, "log-*").Select(File.ReadAllText));
        var database = await File.ReadAllBytesAsync(Path.Combine(_directory, "tomalerts.db"));

        Assert.Contains("Registered user", logs, StringComparison.Ordinal); // the password went by,
        Assert.Contains(logs.Split('\n'), l => l.Contains("\"Broker\":\"Lasair\"", StringComparison.Ordinal)
            && l.Contains("\"Path\":\"/lasair/api/cone/\"", StringComparison.Ordinal) && l.Contains("\"Status\":401", StringComparison.Ordinal)); // the key too,
        Assert.Contains("Invalid token: Token [hidden]", string.Join("\n", pages), StringComparison.Ordinal); // and came back.
        var places = new Dictionary<string, string>
        {
            ["the log file"] = logs,
            ["the console"] = console,
            ["pages"] = string.Join("\n", pages),
            ["the database (runs, recorded calls)"] = System.Text.Encoding.UTF8.GetString(database),
        };
        foreach (var (place, text) in places)
        {
            foreach (var secret in new[] { LasairKey, TnsKey, TestUser.Password })
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{place} contain the secret {secret[..4]}…: "
                    + string.Join("\n", text.Split('\n').Where(l => l.Contains(secret, StringComparison.Ordinal)).Take(3)).Replace(secret, "(secret)", StringComparison.Ordinal));
            }
        }
    }
}
