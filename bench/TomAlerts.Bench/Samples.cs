using System.Diagnostics;
using System.Globalization;

namespace TomAlerts.Bench;

/// <summary>Latency samples of one operation, and the markdown row comparing it with its baseline.</summary>
internal sealed class Samples(string name)
{
    private readonly List<double> _ms = [];

    public string Name { get; } = name;

    public int Count => _ms.Count;

    public void Add(TimeSpan elapsed) => _ms.Add(elapsed.TotalMilliseconds);

    public double Percentile(double p)
    {
        if (_ms.Count == 0)
        {
            return double.NaN;
        }
        var sorted = _ms.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public double Mean => _ms.Count == 0 ? double.NaN : _ms.Average();

    public static string Ms(double ms) => ms.ToString(ms < 1 ? "0.000" : ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public const string Header = "| operation | n | p50 ms | p95 ms | p99 ms | baseline | base p50 ms | base p95 ms | base p99 ms | p50 ratio | p95 ratio |\n|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|";

    public string Row(Samples? baseline) => baseline is null
        ? $"| {Name} | {Count} | {Ms(Percentile(50))} | {Ms(Percentile(95))} | {Ms(Percentile(99))} | – | | | | | |"
        : $"| {Name} | {Count} | {Ms(Percentile(50))} | {Ms(Percentile(95))} | {Ms(Percentile(99))} | {baseline.Name} | {Ms(baseline.Percentile(50))} | {Ms(baseline.Percentile(95))} | {Ms(baseline.Percentile(99))} | "
          + $"{(Percentile(50) / baseline.Percentile(50)).ToString("0.0", CultureInfo.InvariantCulture)}× | {(Percentile(95) / baseline.Percentile(95)).ToString("0.0", CultureInfo.InvariantCulture)}× |";

    /// <summary>
    /// Runs <paramref name="app"/> and <paramref name="baseline"/> alternately on the same inputs (after a warm-up), so a
    /// burst of load on the machine hits both alike.
    /// </summary>
    public static async Task<(Samples App, Samples Baseline)> PairAsync<T>(string appName, string baselineName, IReadOnlyList<T> inputs,
        Func<T, Task> app, Func<T, Task> baseline, int warmup = 20)
    {
        for (var k = 0; k < Math.Min(warmup, inputs.Count); k++)
        {
            await app(inputs[k]);
            await baseline(inputs[k]);
        }
        var a = new Samples(appName);
        var b = new Samples(baselineName);
        var watch = new Stopwatch();
        foreach (var input in inputs)
        {
            watch.Restart();
            await app(input);
            a.Add(watch.Elapsed);
            watch.Restart();
            await baseline(input);
            b.Add(watch.Elapsed);
        }
        return (a, b);
    }

    public static async Task<Samples> TimeAsync<T>(string name, IReadOnlyList<T> inputs, Func<T, Task> work, int warmup = 10)
    {
        for (var k = 0; k < Math.Min(warmup, inputs.Count); k++)
        {
            await work(inputs[k]);
        }
        var s = new Samples(name);
        var watch = new Stopwatch();
        foreach (var input in inputs)
        {
            watch.Restart();
            await work(input);
            s.Add(watch.Elapsed);
        }
        return s;
    }
}
