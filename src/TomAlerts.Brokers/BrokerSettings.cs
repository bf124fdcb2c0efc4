using Microsoft.Extensions.Configuration;

namespace TomAlerts.Brokers;

/// <summary>One broker's settings section, <c>BROKERS:&lt;NAME&gt;</c>, keeping TOM's key names (api_key, bot_id …).</summary>
public sealed class BrokerSettings(IConfigurationSection section, BrokerAttribute broker)
{
    public static string SectionName(string brokerName) => $"BROKERS:{brokerName.ToUpperInvariant()}";

    public IConfigurationSection Section { get; } = section;

    public string? this[string key] => string.IsNullOrWhiteSpace(Section[key]) ? null : Section[key]!.Trim();

    /// <summary>The service address, always ending in "/" so relative paths append to it.</summary>
    public Uri? BaseUrl => (this[broker.BaseUrlKey] ?? broker.DefaultBaseUrl) is { } url
        ? new Uri(url.EndsWith('/') ? url : url + "/")
        : null;

    /// <summary>The settings among <paramref name="keys"/> that are missing, for "not configured" messages.</summary>
    public IReadOnlyList<string> Missing(params string[] keys) =>
        keys.Where(k => this[k] is null).Select(k => $"{Section.Path}:{k}").ToList();
}
