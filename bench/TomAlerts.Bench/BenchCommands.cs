using System.Diagnostics;
using System.Globalization;

namespace TomAlerts.Bench;

internal static class BenchCommands
{
    private const string Usage = "usage: ingest [--alerts N] | create-targets [--targets N] [--points M]   [--provider sqlite|postgres] [--connection CS]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var options = Options(args[1..]);
        await using var app = await BenchApp.CreateAsync(options.GetValueOrDefault("--provider", "sqlite"), options.GetValueOrDefault("--connection"));
        Console.WriteLine($"# {app.Description}; {Environment.ProcessorCount} cores; .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        switch (args[0])
        {
            case "ingest":
                await IngestBench.RunAsync(app, Int(options, "--alerts", 10_000));
                return 0;
            case "create-targets":
                await CreateTargetsBench.RunAsync(app, Int(options, "--targets", 1_000), Int(options, "--points", 100));
                return 0;
            default:
                Console.Error.WriteLine(Usage);
                return 2;
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
