using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace TomAlerts.Bench;

internal static class BenchCommands
{
    private const string Usage = """
        usage: TomAlerts.Bench <command> [options]   (add --provider postgres --connection "Host=…" for PostgreSQL; default: a fresh SQLite file, or --db FILE, kept afterwards)
          ingest [--alerts N]                              a run of N alerts from the loopback fake ALeRCE vs a plain batched INSERT
          create-targets [--targets N] [--points M]        N targets from alerts with identity matching on, M points each
          targets [--count N] [--samples S] [--web DLL]    seed N targets, then lookups, cone search and pages (HTTP)
          all [--count N] [--samples S] [--alerts N] [--targets N] [--points M]   targets + ingest + create-targets on one database
          seed --count N [--db FILE] [--alerts N]          seed only, and a run of N alerts (SQLite: keep FILE; for bench/load-pages.sh)
          explain [--count N]                              seed, then the query plans of the app's target queries
          stamps [--stamps N] [--samples S]                render a FITS cutout, then serve N cached stamps (in-process, no database)
          triage [--alerts N] [--samples S] [--web DLL]    a run of N stored alerts with decisions and class panels, its pages of 100 (HTTP)
          run-pages [--alerts N] [--samples S] [--web DLL] a run of N alerts (default 100,000): results page 1 and 1,000 for every sort and filter (HTTP); --only "sort=decision&dir=asc,notTarget=true" for some
          sorted-list [--count N] [--samples S]            seed N targets, then the list sorted by last magnitude: page 1 and page 1,000 by cursor
          streams [--messages N] [--samples S]             N Lasair-shaped messages from librdkafka's mock Kafka cluster into a stream run; S paced ones for latency
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("ingest" or "create-targets" or "targets" or "all" or "seed" or "explain" or "stamps" or "triage" or "run-pages" or "sorted-list" or "streams"))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var options = Options(args[1..]);
        if (args[0] == "stamps")
        {
            Console.WriteLine($"# stamps; {Environment.ProcessorCount} cores; .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average {LoadAverage()}");
            await StampsBench.RunAsync(Int(options, "--stamps", 300), Int(options, "--samples", 1000));
            return 0;
        }
        var provider = options.GetValueOrDefault("--provider", "sqlite");
        if (args[0] == "streams")
        {
            using var kafka = new BenchKafka();
            await using var streamsApp = await BenchApp.CreateAsync(provider, options.GetValueOrDefault("--connection"), options.GetValueOrDefault("--db"), StreamsBench.Settings(kafka));
            Console.WriteLine($"# streams; {streamsApp.Description}; {Environment.ProcessorCount} cores; .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average {LoadAverage()}");
            await StreamsBench.RunAsync(streamsApp, kafka, Int(options, "--messages", 100_000), Int(options, "--samples", 300));
            return 0;
        }
        await using var app = await BenchApp.CreateAsync(provider, options.GetValueOrDefault("--connection"), options.GetValueOrDefault("--db"));
        app.Keep = options.ContainsKey("--db"); // a file named on the command line is kept, to look into afterwards
        var count = Int(options, "--count", 100_000);
        var samples = Int(options, "--samples", 200);
        Console.WriteLine($"# {app.Description}; {Environment.ProcessorCount} cores; .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average {LoadAverage()}");
        switch (args[0])
        {
            case "ingest":
                await IngestBench.RunAsync(app, Int(options, "--alerts", 10_000));
                return 0;
            case "create-targets":
                await CreateTargetsBench.RunAsync(app, Int(options, "--targets", 1_000), Int(options, "--points", 100));
                return 0;
            case "triage":
                await TriageBench.RunAsync(app, Int(options, "--alerts", 100_000), samples, options.GetValueOrDefault("--web"));
                return 0;
            case "run-pages":
                await RunPagesBench.RunAsync(app, Int(options, "--alerts", 100_000), Int(options, "--samples", 20), options.GetValueOrDefault("--web"), options.GetValueOrDefault("--only"));
                return 0;
            case "seed":
                await SeedAsync(app, count);
                if (Int(options, "--alerts", 0) is > 0 and var alerts)
                {
                    var (runId, decided, stored, _) = await TriageBench.SetUpRunAsync(app, alerts);
                    Console.WriteLine($"run of {stored:N0} alerts ({decided:N0} decisions): /alerts/run/{runId}/");
                }
                app.Keep = true;
                return 0;
        }
        await SeedAsync(app, count);
        if (args[0] == "sorted-list")
        {
            Console.WriteLine(Samples.Header);
            await SortedListBench.RunAsync(app, count, samples);
            return 0;
        }
        if (args[0] == "explain")
        {
            await ExplainBench.RunAsync(app, count);
            return 0;
        }
        await ExplainBench.RunAsync(app, count);
        await LookupBench.RunAsync(app, count, samples);
        Console.WriteLine($"(load average {LoadAverage()})");
        await PagesBench.RunAsync(provider, app.ConnectionString, count, samples, options.GetValueOrDefault("--web"));
        Console.WriteLine($"(load average {LoadAverage()})");
        if (args[0] == "all")
        {
            Console.WriteLine();
            Console.WriteLine($"### Ingest of a run from the loopback fake ALeRCE, on the database seeded with {count:N0} targets");
            Console.WriteLine();
            await IngestBench.RunAsync(app, Int(options, "--alerts", 10_000));
            Console.WriteLine($"(load average {LoadAverage()})");
            Console.WriteLine();
            Console.WriteLine($"### Target creation from alerts with identity matching, on the database seeded with {count:N0} targets");
            Console.WriteLine();
            await CreateTargetsBench.RunAsync(app, Int(options, "--targets", 1_000), Int(options, "--points", 100));
            Console.WriteLine($"(load average {LoadAverage()})");
        }
        return 0;
    }

    private static async Task SeedAsync(BenchApp app, int count)
    {
        // A kept file seeded before (seed --count N --db FILE) is measured as it is: seeding 10^7 targets takes minutes.
        // (The run of `seed --alerts` adds targets of its own after the seeded ones: the seeded count is its last seeded name.)
        if (app.Keep && await app.WithDbAsync(db => db.Targets.AnyAsync()))
        {
            var last = TargetSeeder.NameOf(count - 1, count);
            Console.WriteLine();
            Console.WriteLine(await app.WithDbAsync(db => db.Targets.AnyAsync(t => t.Id == count && t.Name == last))
                ? $"### Seed: reusing {app.ConnectionString}, seeded before with {count:N0} targets"
                : throw new InvalidOperationException($"{app.ConnectionString} was not seeded with --count {count:N0}: pass its own count or another file."));
            return;
        }
        var report = await app.WithDbAsync(db => TargetSeeder.SeedAsync(db, count, app.Provider == "postgres"));
        Console.WriteLine();
        Console.WriteLine($"### Seed: {report.Targets:N0} targets, {report.Aliases:N0} aliases, {report.Points:N0} photometry points");
        Console.WriteLine();
        Console.WriteLine($"rows {report.Rows.TotalSeconds:0.0} s, indexes + ANALYZE {report.Indexes.TotalSeconds:0.0} s, total {report.Total.TotalSeconds:0.0} s"
                          + (app.Provider == "postgres" ? "" : $"; database file {app.ConnectionString}"));
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static int Int(Dictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }
        return options;
    }

    /// <summary>Samples the process's working set while <paramref name="work"/> runs; returns the peak in MiB.</summary>
    public static async Task<(TimeSpan Elapsed, double PeakMiB)> MeasureAsync(Func<Task> work)
    {
        using var process = Process.GetCurrentProcess();
        var peak = 0L;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(10);
            }
        });
        GC.Collect();
        var watch = Stopwatch.StartNew();
        await work();
        watch.Stop();
        await done.CancelAsync();
        await sampler;
        return (watch.Elapsed, peak / 1024.0 / 1024.0);
    }
}
