using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Streams;

namespace TomAlerts.Bench;

/// <summary>librdkafka's mock Kafka cluster (started in-process, reached over TCP on 127.0.0.1) and a producer into it.</summary>
internal sealed class BenchKafka : IDisposable
{
    private readonly IProducer<Null, string> _seed;

    public BenchKafka()
    {
        var seedConfig = new ProducerConfig { BootstrapServers = "unused:9092" };
        seedConfig.Set("test.mock.num.brokers", "1");
        _seed = new ProducerBuilder<Null, string>(seedConfig).SetLogHandler((_, _) => { }).Build();
        using var admin = new DependentAdminClientBuilder(_seed.Handle).Build();
        BootstrapServers = string.Join(",", admin.GetMetadata(TimeSpan.FromSeconds(5)).Brokers.Select(b => $"{b.Host}:{b.Port}"));
        Producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = BootstrapServers, LingerMs = 5 }).SetLogHandler((_, _) => { }).Build();
    }

    public string BootstrapServers { get; }

    public IProducer<byte[]?, byte[]> Producer { get; }

    /// <summary>Produces to <paramref name="partition"/>, or where the producer's partitioner puts it.</summary>
    public void Produce(string topic, string value, int? partition = null)
    {
        var target = new TopicPartition(topic, partition is { } p ? new Partition(p) : Partition.Any);
        while (true)
        {
            try
            {
                Producer.Produce(target, new Message<byte[]?, byte[]> { Value = Encoding.UTF8.GetBytes(value) });
                return;
            }
            catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                Producer.Poll(TimeSpan.FromMilliseconds(20));
            }
        }
    }

    /// <summary>
    /// How many topics <paramref name="bytes"/> of messages need: the mock cluster auto-creates a topic with 4 partitions
    /// and keeps at most 5 MiB (and 100,000 message sets) per partition, dropping the oldest beyond that as a real
    /// server's retention would, so a backlog larger than one topic holds is spread over several (2 MiB of message
    /// values a partition, leaving room for the records' framing). The backlog is dealt round the partitions: the
    /// producer's own partitioner sends a whole batch (up to 1 MB) to one partition, which left some partitions
    /// over the limit.
    /// </summary>
    public static int TopicsFor(long bytes) => (int)Math.Max(1, Math.Ceiling(bytes / (4 * 2.0 * 1024 * 1024)));

    /// <summary>Messages the cluster holds for <paramref name="topics"/> now (high less low watermark, summed over their partitions).</summary>
    public long Held(IEnumerable<string> topics)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = "bench-watermarks" }).SetLogHandler((_, _) => { }).Build();
        return topics.SelectMany(t => Enumerable.Range(0, 4).Select(p => new TopicPartition(t, p)))
            .Select(p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(5)))
            .Sum(w => w.High.Value - w.Low.Value);
    }

    public void Dispose()
    {
        Producer.Dispose();
        _seed.Dispose();
    }
}

/// <summary>
/// A backlog of N Lasair filter-stream messages consumed into a stream run (messages/s into stored alerts, memory before
/// and after), then paced messages whose produce → visible-in-the-database latency is measured.
/// </summary>
internal static class StreamsBench
{
    private const string Topic = "lasair_1bench_filter";

    public static IReadOnlyDictionary<string, string?> Settings(BenchKafka kafka) => new Dictionary<string, string?>
    {
        ["STREAMS:KAFKA:bootstrap_servers"] = kafka.BootstrapServers,
        ["Streams:ScanSeconds"] = "1",
        ["Streams:LeaseSeconds"] = "5",
    };

    public static async Task RunAsync(BenchApp app, BenchKafka kafka, int messages, int samples)
    {
        var topics = Enumerable.Range(0, BenchKafka.TopicsFor((long)messages * Encoding.UTF8.GetByteCount(Row(messages))))
            .Select(t => t == 0 ? Topic : $"{Topic}{t}").ToList();
        var produce = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            kafka.Produce(topics[i % topics.Count], Row(i), (i / topics.Count / 400) % 4);
        }
        kafka.Producer.Flush(TimeSpan.FromMinutes(5));
        var held = kafka.Held(topics);
        Console.WriteLine($"produced {messages:N0} messages in {produce.Elapsed.TotalSeconds:0.00} s into {topics.Count} topic(s) of 4 partitions, which hold {held:N0} of them");
        if (held < messages)
        {
            throw new InvalidOperationException($"the mock cluster dropped {messages - held:N0} of the {messages:N0} messages before they could be consumed");
        }

        var subscriptionId = await app.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var query = new BrokerQuery { Name = "bench stream", Broker = "Lasair", Parameters = """{"query_name":"bench stream","broker":"Lasair"}""", IsStream = true, Created = now, Modified = now };
            var subscription = new StreamSubscription { Name = "bench", Source = StreamSource.Kafka, Topics = string.Join("\n", topics), GroupId = "tomalerts-bench", Query = query, Enabled = true, Created = now, Modified = now };
            db.StreamSubscriptions.Add(subscription);
            await db.SaveChangesAsync();
            return subscription.Id;
        });
        GC.Collect();
        var before = Memory();
        var first = (At: TimeSpan.Zero, Count: 0L);
        var (elapsed, peak) = await BenchCommands.MeasureAsync(async () =>
        {
            var start = Stopwatch.StartNew();
            await app.StartWorkersAsync();
            first = await WaitForConsumedAsync(app, subscriptionId, messages, TimeSpan.FromMinutes(10), start);
        });
        var stored = await app.WithDbAsync(db => db.RunAlerts.CountAsync());
        var after = Memory();
        GC.Collect();
        var afterGc = Memory();
        Console.WriteLine($"consumed {messages:N0} messages into {stored:N0} stored alerts in {elapsed.TotalSeconds:0.00} s (from the workers' start, incl. group join) = {messages / elapsed.TotalSeconds:N0} messages/s");
        var rest = elapsed - first.At;
        Console.WriteLine($"the first batch ({first.Count:N0}) was stored {first.At.TotalSeconds:0.00} s after the workers' start (group join, first fetch); "
                          + $"the other {messages - first.Count:N0} in {rest.TotalSeconds:0.00} s = {(messages - first.Count) / rest.TotalSeconds:N0} messages/s");
        Console.WriteLine($"memory: before {before}; after {after}; after a full GC {afterGc}; peak working set {peak:0} MiB");

        // Latency: one message every 10 ms, each timed from its produce call until its row is in the database.
        var produced = new Dictionary<string, long>(StringComparer.Ordinal);
        var visible = new Dictionary<string, long>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        using var done = new CancellationTokenSource();
        var runId = await app.WithDbAsync(db => db.StreamSubscriptions.Where(s => s.Id == subscriptionId).Select(s => s.CurrentRunId).SingleAsync());
        var watcher = Task.Run(async () =>
        {
            var lastPosition = stored - 1;
            while (visible.Count < samples && !done.IsCancellationRequested)
            {
                var rows = await app.WithDbAsync(db => db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == runId && a.Position > lastPosition)
                    .Select(a => new { a.AlertId, a.Position }).ToListAsync());
                var now = clock.ElapsedTicks;
                foreach (var row in rows)
                {
                    lock (visible)
                    {
                        visible[row.AlertId] = now;
                    }
                    lastPosition = Math.Max(lastPosition, row.Position);
                }
                await Task.Delay(10);
            }
        });
        for (var i = 0; i < samples; i++)
        {
            var row = Row(messages + i);
            lock (visible)
            {
                produced[Id(messages + i)] = clock.ElapsedTicks;
            }
            kafka.Produce(Topic, row);
            kafka.Producer.Flush(TimeSpan.FromSeconds(5));
            await Task.Delay(10);
        }
        done.CancelAfter(TimeSpan.FromSeconds(30));
        await watcher;
        var latencies = produced.Where(p => visible.ContainsKey(p.Key)).Select(p => (visible[p.Key] - p.Value) * 1000.0 / Stopwatch.Frequency).Order().ToList();
        Console.WriteLine($"latency produce → visible over {latencies.Count} of {samples} paced messages: p50 {Percentile(latencies, 0.50):0} ms, "
                          + $"p95 {Percentile(latencies, 0.95):0} ms, max {latencies.LastOrDefault():0} ms");
    }

    /// <summary>Waits until <paramref name="messages"/> are consumed; returns when (on <paramref name="clock"/>) the first were seen stored, and how many.</summary>
    private static async Task<(TimeSpan At, long Count)> WaitForConsumedAsync(BenchApp app, int subscriptionId, int messages, TimeSpan timeout, Stopwatch clock)
    {
        var watch = Stopwatch.StartNew();
        var first = (At: TimeSpan.Zero, Count: 0L);
        long consumed;
        while ((consumed = await app.WithDbAsync(db => db.StreamSubscriptions.Where(s => s.Id == subscriptionId).Select(s => s.MessagesConsumed).SingleAsync())) < messages)
        {
            if (consumed > 0 && first.Count == 0)
            {
                first = (clock.Elapsed, consumed);
            }
            if (watch.Elapsed > timeout)
            {
                var state = await app.WithDbAsync(db => db.StreamSubscriptions.AsNoTracking().SingleAsync(s => s.Id == subscriptionId));
                throw new TimeoutException($"{state.MessagesConsumed} of {messages} consumed; {state.State}: {state.StateMessage}");
            }
            await Task.Delay(20);
        }
        return first.Count == 0 ? (clock.Elapsed, consumed) : first;
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private static string Memory()
    {
        using var process = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture, $"GC heap {GC.GetTotalMemory(false) / 1048576.0:0} MiB, working set {process.WorkingSet64 / 1048576.0:0} MiB");
    }

    private static string Id(int i) => string.Create(CultureInfo.InvariantCulture, $"ZTF26bn{i:D7}");

    private static string Row(int i) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"objectId":"{{Id(i)}}","ramean":{{i * 0.0359 % 360}},"decmean":{{-89 + i * 0.0179 % 178}},"gmag":{{18 + i % 300 / 100.0}},"rmag":19.1,"jdmax":2460282.79437,"ncandgp":{{3 + i % 10}},"classification":"SN","UTC":"2026-12-01 10:00:00"}""");
}
