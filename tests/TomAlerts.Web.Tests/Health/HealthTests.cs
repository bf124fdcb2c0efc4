using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using TomAlerts.Brokers.Resilience;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Resilience;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Health;

/// <summary>/healthz: every check listed; a database that does not answer is 503; an open circuit breaker is degraded, still 200.</summary>
public sealed class HealthTests : IAsyncLifetime
{
    private readonly TomAlertsFactory factory = new();

    public Task InitializeAsync() => ((IAsyncLifetime)factory).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)factory).DisposeAsync();

    private static Dictionary<string, JsonElement> Checks(JsonElement health) =>
        health.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);

    [Fact]
    public async Task Healthz_AllWell_Is200HealthyWithEveryCheck()
    {
        using var response = await factory.ApiClient().GetAsync("/healthz");
        var health = await response.JsonAsync();
        var checks = Checks(health);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal(["brokers", "database"], checks.Keys.Order());
        Assert.All(checks.Values, c =>
        {
            Assert.Equal("healthy", c.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(c.GetProperty("description").GetString()));
        });
    }

    [Fact]
    public async Task Healthz_DatabaseGone_Is503UnhealthyWithoutItsAddress()
    {
        var client = factory.ApiClient();
        using var before = await client.GetAsync("/healthz");
        var path = new SqliteConnectionStringBuilder(factory.Services.GetRequiredService<IConfiguration>().GetConnectionString("Default")).DataSource;
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
        Directory.CreateDirectory(path); // nothing can open or create the database file there now
        try
        {
            using var response = await client.GetAsync("/healthz");
            var text = await response.Content.ReadAsStringAsync();
            var health = await response.JsonAsync();
            var checks = Checks(health);

            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("unhealthy", health.GetProperty("status").GetString());
            Assert.Equal("unhealthy", checks["database"].GetProperty("status").GetString());
            Assert.Equal("The database does not answer.", checks["database"].GetProperty("description").GetString());
            Assert.Equal("healthy", checks["brokers"].GetProperty("status").GetString());
            Assert.DoesNotContain(Path.GetFileName(path), text, StringComparison.Ordinal);
            Assert.DoesNotContain("Data Source", text, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(path);
        }
    }

    [Fact]
    public async Task Healthz_BrokerCircuitOpen_Is200Degraded()
    {
        var broker = BrokerCase.Alerce;
        factory.Settings[$"BROKERS:{broker.Key}:resilience:CircuitBreaker:MinimumThroughput"] = "2";
        factory.Settings[$"BROKERS:{broker.Key}:resilience:CircuitBreaker:BreakDuration"] = "00:05:00";
        factory.Brokers.MapText(broker.Prefix + "/", 500, """{"message": "Internal Server Error"}""");
        var client = factory.ApiClient();
        using var before = await client.GetAsync("/healthz");

        // The broker's own HTTP client, as its queries use it: a failed call and its retry open the circuit.
        var http = factory.Services.GetRequiredService<IHttpClientFactory>().CreateClient(broker.Name);
        try
        {
            using var failed = await http.GetAsync(factory.Brokers.Url + broker.Prefix + "/objects");
        }
        catch (BrokenCircuitException)
        {
            // The retry met the circuit it had just opened.
        }
        Assert.True(factory.Services.GetRequiredService<BrokerCircuits>()[broker.Name].IsOpen);
        using var response = await client.GetAsync("/healthz");
        var health = await response.JsonAsync();
        var checks = Checks(health);

        Assert.Equal("healthy", (await before.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal("degraded", checks["brokers"].GetProperty("status").GetString());
        Assert.Contains(broker.Name, checks["brokers"].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("healthy", checks["database"].GetProperty("status").GetString());
    }
}
