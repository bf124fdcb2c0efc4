namespace TomAlerts.Brokers;

/// <summary>
/// Names a broker class: its registry name, and the default address of its service. Settings come from
/// the configuration section <c>BROKERS:&lt;NAME IN CAPITALS&gt;</c>, as in TOM.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class BrokerAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    /// <summary>The service's address when <c>base_url</c> is not configured; null for brokers without one.</summary>
    public string? DefaultBaseUrl { get; init; }

    /// <summary>The settings key that holds the service address (TNS calls it <c>tns_base_url</c>).</summary>
    public string BaseUrlKey { get; init; } = "base_url";

    /// <summary>
    /// The broker waits out its own rate limits (by the headers its service sends), so the HTTP client's resilience
    /// pipeline must not retry a 429 as well: a second layer would multiply the waits and burn the broker's quota.
    /// </summary>
    public bool PacesItself { get; init; }

    /// <summary>
    /// The broker is the naming and classification authority (TNS): its object type is the class a target shows,
    /// above the class any other broker's model gives.
    /// </summary>
    public bool NamesObjects { get; init; }
}
