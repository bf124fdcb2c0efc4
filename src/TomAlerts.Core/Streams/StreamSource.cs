namespace TomAlerts.Streams;

/// <summary>Where a subscription's messages come from; each has a settings section STREAMS:&lt;SOURCE&gt;.</summary>
public enum StreamSource
{
    Lasair,
    Fink,
    Antares,
    Hopskotch,
    Gcn,
    /// <summary>Any Kafka server whose messages are JSON alerts in a configured broker's shape.</summary>
    Kafka,
}
