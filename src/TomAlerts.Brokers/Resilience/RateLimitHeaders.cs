using System.Globalization;
using System.Net.Http.Headers;

namespace TomAlerts.Brokers.Resilience;

/// <summary>
/// What a broker's answer says about its rate limit: how many requests are left in the window, and how long to
/// wait before the next one (Retry-After, or the reset headers TNS and others send).
/// </summary>
public static class RateLimitHeaders
{
    private static readonly string[] RemainingHeaders =
        ["x-rate-limit-remaining", "x-cone-rate-limit-remaining", "ratelimit-remaining", "x-ratelimit-remaining"];

    private static readonly string[] ResetHeaders =
        ["x-rate-limit-reset", "x-cone-rate-limit-reset", "ratelimit-reset", "x-ratelimit-reset"];

    /// <summary>The fewest requests any reported window has left; null when the broker reports none.</summary>
    public static int? Remaining(HttpResponseMessage response)
    {
        var values = RemainingHeaders.Select(h => Number(response.Headers, h)).OfType<double>().ToList();
        return values.Count == 0 ? null : (int)Math.Clamp(values.Min(), 0, int.MaxValue);
    }

    /// <summary>
    /// How long the broker asks us to wait: Retry-After (seconds or a date), else the longest reset of a window; null when
    /// it says nothing. A reset larger than a year is read as a Unix time, as some APIs send.
    /// </summary>
    public static TimeSpan? Wait(HttpResponseMessage response, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return NotNegative(delta);
            }
            if (retryAfter.Date is { } date)
            {
                return NotNegative(date - now);
            }
        }
        var resets = ResetHeaders.Select(h => Number(response.Headers, h)).OfType<double>()
            .Select(seconds => seconds > 365 * 24 * 3600 ? DateTimeOffset.FromUnixTimeSeconds((long)seconds) - now : TimeSpan.FromSeconds(seconds))
            .ToList();
        return resets.Count == 0 ? null : NotNegative(resets.Max());
    }

    private static readonly HttpRequestOptionsKey<DateTimeOffset> ResetsAtKey = new("TomAlerts.RateLimitResetsAt");

    /// <summary>
    /// Notes on <paramref name="request"/> when the broker's 429 answer says the limit resets, read with the app's clock,
    /// so the broker code that reads the final answer can say so (<see cref="ResetsAt"/>).
    /// </summary>
    public static void NoteReset(HttpRequestMessage request, HttpResponseMessage response, TimeProvider time)
    {
        if (Wait(response, time) is { } wait)
        {
            request.Options.Set(ResetsAtKey, time.GetUtcNow() + wait);
        }
    }

    /// <summary>
    /// When a 429 answer to <paramref name="request"/> says the limit resets: as the broker's call handler noted it, else
    /// read from <paramref name="response"/> now (a client without the handler, as in unit tests); null when it says nothing.
    /// </summary>
    public static DateTimeOffset? ResetsAt(HttpRequestMessage request, HttpResponseMessage response) =>
        request.Options.TryGetValue(ResetsAtKey, out var noted) ? noted
        : Wait(response, TimeProvider.System) is { } wait ? TimeProvider.System.GetUtcNow() + wait
        : null;

    private static TimeSpan NotNegative(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;

    /// <summary>A header's number (a count or seconds); null when it is missing, negative or not a number.</summary>
    public static double? Number(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values)
        && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
        && double.IsFinite(value) && value >= 0
            ? value
            : null;
}
