using System.Collections.Concurrent;

namespace TomAlerts.Web.Features.Account;

/// <summary>
/// Failed log-ins slow down the client that makes them, not the account: each failure after <see cref="FreeFailures"/> makes a
/// client wait 1 s, then 2 s, 4 s … up to <see cref="MaxDelay"/> before its next attempt is even checked. An attacker
/// guessing from one address gets a handful of tries a minute, and cannot lock anyone out from it; the account's own
/// lockout comes only after many failures (see IdentityExtensions) and never for administrators.
/// </summary>
public sealed class LoginThrottle(TimeProvider clock, Microsoft.Extensions.Options.IOptions<AccountOptions> options)
{
    public const int FreeFailures = 3;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Forget = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Until, DateTimeOffset Last)> _clients = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="client"/> must still wait before its next attempt; null when it may try now.</summary>
    public TimeSpan? Wait(string client)
    {
        if (!options.Value.LoginDelays)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        if (!_clients.TryGetValue(client, out var state) || now - state.Last > Forget)
        {
            return null;
        }
        return state.Until > now ? state.Until - now : null;
    }

    public void Failed(string client)
    {
        if (!options.Value.LoginDelays)
        {
            return;
        }
        var now = clock.GetUtcNow();
        if (_clients.Count > 100_000)
        {
            foreach (var old in _clients.Where(c => now - c.Value.Last > Forget).Select(c => c.Key).ToList())
            {
                _clients.TryRemove(old, out _);
            }
        }
        _clients.AddOrUpdate(client, _ => (1, now, now), (_, s) =>
        {
            var failures = now - s.Last > Forget ? 1 : s.Failures + 1;
            var delay = failures <= FreeFailures ? TimeSpan.Zero
                : TimeSpan.FromSeconds(Math.Min(MaxDelay.TotalSeconds, Math.Pow(2, failures - FreeFailures - 1)));
            return (failures, now + delay, now);
        });
    }

    public void Succeeded(string client) => _clients.TryRemove(client, out _);
}
