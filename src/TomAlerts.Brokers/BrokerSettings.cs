using Microsoft.Extensions.Configuration;

namespace TomAlerts.Brokers;

/// <summary>One broker's settings section, <c>BROKERS:&lt;NAME&gt;</c>, keeping TOM's key names (api_key, bot_id …).</summary>
public sealed class BrokerSettings(IConfigurationSection section, BrokerAttribute broker)
{
    public static string SectionName(string brokerName) => $"BROKERS:{brokerName.ToUpperInvariant()}";

    public IConfigurationSection Section { get; } = section;

    /// <summary>The circuit states of the brokers' clients, so a paused call can say for how long; null outside the app.</summary>
    public Resilience.BrokerCircuits? Circuits { get; init; }

    public string? this[string key] => string.IsNullOrWhiteSpace(Section[key]) ? null : Section[key]!.Trim();

    /// <summary>The service address, always ending in "/" so relative paths append to it.</summary>
    public Uri? BaseUrl => Url(broker.BaseUrlKey, broker.DefaultBaseUrl);

    /// <summary>
    /// A service address kept under <paramref name="key"/> (or <paramref name="defaultUrl"/>), ending in "/". A broker
    /// with a second service (ALeRCE's LSST API) sends absolute URLs under it through its one HTTP client, so its
    /// calls keep that client's resilience pipeline, rate limits and call log.
    /// </summary>
    public Uri? Url(string key, string? defaultUrl) => (this[key] ?? defaultUrl) is { } url
        ? new Uri(url.EndsWith('/') ? url : url + "/")
        : null;

    /// <summary>The settings among <paramref name="keys"/> that are missing, for "not configured" messages.</summary>
    public IReadOnlyList<string> Missing(params string[] keys) =>
        keys.Where(k => this[k] is null).Select(k => $"{Section.Path}:{k}").ToList();
}
