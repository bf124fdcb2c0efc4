using Microsoft.Extensions.Configuration;

namespace TomAlerts.Brokers.Resilience;

/// <summary>
/// Hides a broker's secrets (the values of its settings named like api_key, token, secret or password) in text that
/// came back from the broker, so an error body that echoes a key never reaches a log line, a page or the database.
/// </summary>
public sealed class SecretMask
{
    public const string Hidden = "[hidden]";

    private static readonly string[] SecretWords = ["key", "token", "secret", "password"];

    private readonly IReadOnlyList<string> _secrets;

    public SecretMask(IEnumerable<string> secrets) =>
        _secrets = secrets.Where(s => s.Trim().Length >= 6).Select(s => s.Trim()).Distinct().OrderByDescending(s => s.Length).ToList();

    /// <summary>The secrets among the settings of <paramref name="section"/> (a broker's BROKERS:&lt;NAME&gt; section).</summary>
    public static SecretMask For(IConfigurationSection section) =>
        new(section.AsEnumerable(makePathsRelative: true)
            .Where(kv => kv.Value is not null && SecretWords.Any(w => kv.Key.Contains(w, StringComparison.OrdinalIgnoreCase)))
            .Select(kv => kv.Value!));

    public bool IsEmpty => _secrets.Count == 0;

    public bool Contains(string text) => _secrets.Any(s => text.Contains(s, StringComparison.Ordinal));

    public string Apply(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Hidden, StringComparison.Ordinal);
        }
        return text;
    }
}
