using TomAlerts.Streams;

namespace TomAlerts.Brokers.Streams;

/// <summary>
/// The broker whose payload shape each stream source's messages are decoded to: the registered decoder's
/// <see cref="IStreamDecoder.Broker"/>, else the source's broker as the contract names it (broker-apis-lsst.md §7).
/// Null for the generic Kafka source, whose subscription names the broker.
/// </summary>
public static class StreamSourceBrokers
{
    public static string? Of(StreamDecoders decoders, StreamSource source) =>
        decoders.For(source) is { } decoder ? decoder.Broker : Default(source);

    private static string? Default(StreamSource source) => source switch
    {
        StreamSource.Lasair => "Lasair",
        StreamSource.Fink => "Fink",
        StreamSource.Antares => "ANTARES",
        StreamSource.Hopskotch or StreamSource.Gcn => "Hermes",
        _ => null,
    };
}
