using TomAlerts.Streams;

namespace TomAlerts.Brokers.Streams;

/// <summary>The decoder of each stream source (registered in <see cref="BrokersServiceCollectionExtensions.AddBrokers"/>).</summary>
public sealed class StreamDecoders(IEnumerable<IStreamDecoder> decoders)
{
    private readonly Dictionary<StreamSource, IStreamDecoder> _bySource = decoders.ToDictionary(d => d.Source);

    public IStreamDecoder? For(StreamSource source) => _bySource.GetValueOrDefault(source);

    public IEnumerable<StreamSource> Sources => _bySource.Keys;
}
