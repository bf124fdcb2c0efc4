using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Data;

namespace TomAlerts.Bench;

/// <summary>
/// A large run's results page (default page size 50) over HTTP: page 1 and page 1,000 for every sort column in both
/// directions and every filter the page offers, on the migrated schema.
/// </summary>
internal static class RunPagesBench
{
    private static readonly string[] Sorts = ["time", "name", "ra", "dec", "mag", "first", "last", "detections", "score", "class", "decision", "new", "target"];

    private static readonly string[] Filters =
    [
        "new=true", "className=SNIa", "minProbability=0.7", "minMag=15&maxMag=20", "minDetections=10", "notTarget=true",
        "decision=undecided", "decision=interesting", "decision=rejected", "decision=not-rejected", "decision=undecided&notTarget=true",
    ];

    public static async Task RunAsync(BenchApp app, int alerts, int samples, string? webDll, string? only = null)
    {
        _only = only?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (runId, decided, stored, _) = await TriageBench.SetUpRunAsync(app, alerts);
        Console.WriteLine();
        Console.WriteLine($"### A run's results page at {stored:N0} stored run alerts ({decided:N0} decisions; page size 50; {samples} sequential requests per row "
                          + "after 3 warm-up requests; TomAlerts.Web Release, Production, 127.0.0.1)");
        await using (var web = await PagesBench.WebProcess.StartAsync(app.Provider, app.ConnectionString, webDll))
        {
            using var client = await web.LoginAsync();
            await TimeAllAsync(client, runId, samples, app.Provider == "postgres" ? "migrated schema, the run just stored" : "migrated schema");
            if (app.Provider == "postgres")
            {
                // Until (auto)vacuum has been through the new rows, PostgreSQL's index-only scans visit every row they count or
                // skip to check it is visible; then they read the index alone.
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                    db.Database.SetCommandTimeout(0);
                    await db.Database.ExecuteSqlRawAsync("""VACUUM ANALYZE "RunAlerts", "RunAlertKeys", "TriageDecisions" """);
                }
                await TimeAllAsync(client, runId, samples, "migrated schema, after VACUUM ANALYZE");
            }
        }
    }

    /// <summary>Only the rows whose query is one of these (a sort with its direction, or a filter), from --only.</summary>
    private static string[]? _only;

    private static async Task TimeAllAsync(HttpClient client, long runId, int samples, string schema)
    {
        Console.WriteLine();
        Console.WriteLine($"#### {schema} (load average {BenchCommands.LoadAverage()})");
        Console.WriteLine();
        Console.WriteLine(Samples.Header);
        var inputs = Enumerable.Range(0, samples).ToList();
        var favicon = await Samples.TimeAsync("static file /favicon.ico", inputs, _ => GetAsync(client, "/favicon.ico"), warmup: 3);
        Console.WriteLine(favicon.Row(null));
        var slowest = (Name: "", P95: 0.0);
        foreach (var query in Sorts.SelectMany(s => new[] { $"sort={s}&dir=asc", $"sort={s}&dir=desc" }).Prepend("").Concat(Filters))
        {
            if (_only is not null && !_only.Any(o => query == o || query.StartsWith(o + "&", StringComparison.Ordinal)))
            {
                continue;
            }
            foreach (var page in new[] { 1, 1000 })
            {
                var url = $"/alerts/run/{runId}/?page={page}" + (query.Length == 0 ? "" : "&" + query);
                var row = await Samples.TimeAsync($"page {page}" + (query.Length == 0 ? " (broker's order)" : $" &{query}"), inputs, _ => GetAsync(client, url), warmup: 3);
                Console.WriteLine(row.Row(favicon));
                if (row.Percentile(95) > slowest.P95)
                {
                    slowest = (row.Name, row.Percentile(95));
                }
            }
        }
        Console.WriteLine();
        Console.WriteLine($"slowest p95: {slowest.Name}, {Samples.Ms(slowest.P95)} ms (goal: under 50 ms)");
    }

    private static async Task GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode}");
        }
        await response.Content.ReadAsStringAsync();
    }
}
