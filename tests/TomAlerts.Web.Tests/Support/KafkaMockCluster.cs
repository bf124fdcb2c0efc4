using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// librdkafka's mock Kafka cluster, started in-process by a client configured with <c>test.mock.num.brokers</c>: it
/// speaks the real protocol on 127.0.0.1, so the app's consumer and this producer reach it over TCP like a real server.
/// </summary>
public sealed class KafkaMockCluster : IDisposable
{
    private readonly IProducer<Null, string> _seed;
    private readonly IProducer<byte[]?, byte[]> _producer;

    public KafkaMockCluster()
    {
        var seedConfig = new ProducerConfig { BootstrapServers = "unused:9092" };
        seedConfig.Set("test.mock.num.brokers", "1"); // the cluster lives as long as this client
        _seed = new ProducerBuilder<Null, string>(seedConfig).SetLogHandler((_, _) => { }).Build();
        using (var admin = new DependentAdminClientBuilder(_seed.Handle).Build())
        {
            BootstrapServers = string.Join(",", admin.GetMetadata(TimeSpan.FromSeconds(5)).Brokers.Select(b => $"{b.Host}:{b.Port}"));
        }
        _producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = BootstrapServers, LingerMs = 5, Acks = Acks.All })
            .SetLogHandler((_, _) => { }).Build();
    }

    /// <summary>host:port of the cluster's broker on 127.0.0.1.</summary>
    public string BootstrapServers { get; }

    public Task ProduceAsync(string topic, string value) => ProduceAsync(topic, Encoding.UTF8.GetBytes(value));

    public async Task ProduceAsync(string topic, byte[] value) =>
        await _producer.ProduceAsync(topic, new Message<byte[]?, byte[]> { Value = value });

    /// <summary>Many messages at once; returns when every one is acknowledged.</summary>
    public void ProduceAll(string topic, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            while (true)
            {
                try
                {
                    _producer.Produce(topic, new Message<byte[]?, byte[]> { Value = Encoding.UTF8.GetBytes(value) });
                    break;
                }
                catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    _producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }
        _producer.Flush(TimeSpan.FromSeconds(30));
    }

    /// <summary>A Lasair filter-stream message: the filter's SELECTed columns of one ZTF object, as Lasair's query rows have them.</summary>
    public static string LasairRow(int i, double gmag = 19.5) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"objectId":"{{LasairId(i)}}","ramean":{{10 + i * 0.001}},"decmean":{{-5 - i * 0.001}},"gmag":{{gmag}},"rmag":19.1,"jdmax":2460282.79437,"ncandgp":{{3 + i % 10}},"classification":"SN","UTC":"2026-12-01 10:00:00"}""");

    public static string LasairId(int i) => string.Create(CultureInfo.InvariantCulture, $"ZTF26st{i:D6}");

    public void Dispose()
    {
        _producer.Dispose();
        _seed.Dispose();
    }
}
