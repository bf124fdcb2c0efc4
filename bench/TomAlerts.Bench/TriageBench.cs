using System.Net;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Bench;

/// <summary>
/// The run page a scanner works on: a run of <c>alerts</c> stored alerts (ingested from the loopback fake ALeRCE), every
/// alert with a band, detections and a six-class classification panel, a decision on every third object, and pages of
/// 100 alerts fetched through HTTP from the Release web process, with the API's page beside them.
/// </summary>
internal static class TriageBench
{
    /// <summary>
    /// A stored run of <paramref name="alerts"/> alerts: ingested from the fake ALeRCE, copied within itself (new alert
    /// ids), every alert with a band, detections and a six-class panel, a decision on every third object.
    /// </summary>
    public static async Task<(long RunId, int Decided, int Stored, System.Diagnostics.Stopwatch Ingest)> SetUpRunAsync(BenchApp app, int alerts)
    {
        // A run takes ALeRCE's 20 pages of 500 at most: the run is ingested once, then copied within itself (new alert ids) up to N.
        BenchApp.Prepare(RunSize, 500);
        var runId = await app.StartRunAsync("ALeRCE", """{"query_name":"bench triage","broker":"ALeRCE","max_pages":20}""");
        var ingest = System.Diagnostics.Stopwatch.StartNew();
        await app.ExecuteRunAsync(runId);
        ingest.Stop();
        await app.WithDbAsync(async db =>
        {
            for (var copy = 1; copy * RunSize < alerts; copy++)
            {
                var suffix = $"-{copy}";
                var offset = copy * RunSize;
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "RunAlerts" ("QueryRunId", "Position", "AlertId", "Name", "Ra", "Dec", "Mag", "Score", "Timestamp", "Url", "Classification", "Payload", "IsNew")
                    SELECT "QueryRunId", "Position" + {offset}, "AlertId" || {suffix}, "Name" || {suffix}, "Ra", "Dec", "Mag", "Score", "Timestamp", "Url", "Classification", "Payload", "IsNew"
                    FROM "RunAlerts" WHERE "QueryRunId" = {runId} AND "Position" < {RunSize}
                    """);
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "RunAlertKeys" ("QueryRunId", "AlertId", "Key")
                    SELECT "QueryRunId", "AlertId" || {suffix}, "Key" || {suffix} FROM "RunAlertKeys" WHERE "QueryRunId" = {runId} AND "AlertId" NOT LIKE '%-%'
                    """);
            }
            // Every 100th object is a target already, made after the run as a scanner makes them (through the app's
            // save, which marks the run's keys): the target sort and the not-a-target filter have matches to find.
            var now = DateTime.UtcNow;
            var objects = await db.RunAlerts.Where(a => a.QueryRunId == runId && a.Position % 100 == 0 && !db.Targets.Any(t => t.Name == a.Name))
                .Select(a => new { a.Name, a.Ra, a.Dec }).ToListAsync();
            foreach (var o in objects)
            {
                var target = new TomAlerts.Targets.Target { Name = o.Name, NormalizedName = TomAlerts.Targets.TargetNames.Normalize(o.Name), Created = now, Modified = now };
                target.SetPosition(o.Ra, o.Dec);
                db.Targets.Add(target);
            }
            return await db.SaveChangesAsync();
        });
        var classes = StoredClassifications.Write([
            new AlertClassification("ALeRCE", "lc_classifier", "1.1.0", "SNIa", 0.61, DateTime.UtcNow),
            new AlertClassification("ALeRCE", "lc_classifier", "1.1.0", "SNIbc", 0.21, DateTime.UtcNow),
            new AlertClassification("ALeRCE", "lc_classifier", "1.1.0", "SNII", 0.11, DateTime.UtcNow),
            new AlertClassification("ALeRCE", "stamp_classifier", "1.0.4", "SN", 0.71, DateTime.UtcNow),
            new AlertClassification("ALeRCE", "stamp_classifier", "1.0.4", "AGN", 0.2, DateTime.UtcNow),
            new AlertClassification("ALeRCE", "stamp_classifier", "1.0.4", "VS", 0.09, DateTime.UtcNow),
        ]);
        var decided = await app.WithDbAsync(async db =>
        {
            await db.RunAlerts.Where(a => a.QueryRunId == runId).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Band, "r").SetProperty(a => a.Mag, a => 15.0 + a.Position % 70 / 10.0).SetProperty(a => a.Detections, a => a.Position % 40).SetProperty(a => a.ClassificationsJson, classes)
                .SetProperty(a => a.FirstDetection, a => a.Timestamp).SetProperty(a => a.LastDetection, a => a.Timestamp));
            var ids = await db.RunAlerts.Where(a => a.QueryRunId == runId && a.Position % 3 == 0).Select(a => a.AlertId).ToListAsync();
            await BulkInsert.InsertAsync(db, ids.Select((id, i) => new TriageDecision
            {
                Broker = "ALeRCE", AlertId = id, Verdict = i % 2 == 0 ? TriageVerdict.Rejected : TriageVerdict.Interesting, DecidedAt = DateTime.UtcNow,
            }).ToList(), CancellationToken.None);
            await TomAlerts.Web.Features.Runs.TriageDecisions.CopyToRunsAsync(db, "ALeRCE", db.RunAlerts.Where(a => a.QueryRunId == runId), CancellationToken.None);
            return ids.Count;
        });
        var stored = await app.WithDbAsync(db => db.RunAlerts.CountAsync());
        // The copies are the run's alerts now: its count says so, as a run that stored them itself would.
        await app.WithDbAsync(db => db.QueryRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.AlertCount, stored)));
        if (app.Provider != "postgres")
        {
            // The set-up leaves hundreds of MB in the WAL; the first page that writes would pay for their checkpoint.
            await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)"));
        }

        return (runId, decided, stored, ingest);
    }

    /// <summary>How many alerts the stored run is ingested with before it is copied within itself up to the size asked.</summary>
    public const int RunSize = 10_000;

    public static async Task RunAsync(BenchApp app, int alerts, int samples, string? webDll)
    {
        var (runId, decided, stored, ingest) = await SetUpRunAsync(app, alerts);
        await using var web = await PagesBench.WebProcess.StartAsync(app.Provider, app.ConnectionString, webDll);
        using var client = await web.LoginAsync();
        var pages = Math.Max(1, alerts / 100);
        var inputs = Enumerable.Range(0, samples).Select(i => 1 + i * 7919 % pages).ToList();
        Console.WriteLine();
        Console.WriteLine($"### Run page of 100 alerts with decisions and classification panels, at {stored:N0} stored run alerts ({decided:N0} decisions; "
                          + $"{samples} sequential requests each after 10 warm-up requests; TomAlerts.Web Release, Production, 127.0.0.1)");
        Console.WriteLine();
        Console.WriteLine($"ingest of the run: {ingest.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine();
        Console.WriteLine(Samples.Header);
        var favicon = await Samples.TimeAsync("static file /favicon.ico", inputs, _ => GetAsync(client, "/favicon.ico"));
        var rows = new[]
        {
            await Samples.TimeAsync("/alerts/run/{id}/?pageSize=100&page=<random>", inputs, p => GetAsync(client, $"/alerts/run/{runId}/?pageSize=100&page={p}")),
            await Samples.TimeAsync("… &sort=decision&dir=desc", inputs, p => GetAsync(client, $"/alerts/run/{runId}/?pageSize=100&page={p}&sort=decision&dir=desc")),
            await Samples.TimeAsync("… &decision=undecided&notTarget=true", inputs, p => GetAsync(client, $"/alerts/run/{runId}/?pageSize=100&page={Math.Max(1, p * 2 / 3)}&decision=undecided&notTarget=true")),
            await Samples.TimeAsync("… &sort=mag&minDetections=10", inputs, p => GetAsync(client, $"/alerts/run/{runId}/?pageSize=100&page={Math.Max(1, p * 3 / 4)}&sort=mag&minDetections=10")),
            await Samples.TimeAsync("/alerts/run/{id}/alerts/{alertId}/details?partial=1", inputs, p => GetAsync(client, $"/alerts/run/{runId}/alerts/ZTF24bench{p * 100 % RunSize:D7}/details?partial=1")),
        };
        Console.WriteLine(favicon.Row(null));
        foreach (var row in rows)
        {
            Console.WriteLine(row.Row(favicon));
        }
        Console.WriteLine();
        Console.WriteLine("Times are the full round trip on 127.0.0.1 (server time plus the loopback socket); the baseline is the pipeline's floor.");
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
