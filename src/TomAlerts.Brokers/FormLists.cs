using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace TomAlerts.Brokers;

/// <summary>
/// The lists a broker's query form offers (classifiers, tags), read from the broker and kept for a while. A failure is
/// kept too, for <see cref="RetryAfterFailure"/>: the form and every page restating a saved query's filters with the
/// form's labels would otherwise call (and wait on, and log) a broker that is down on each view.
/// </summary>
public static class FormLists
{
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    /// <summary>The list under <paramref name="key"/>, loaded when not kept; a failure is its reason, never an exception.</summary>
    public static async Task<(T? List, string? Error)> GetAsync<T>(IMemoryCache cache, string key, TimeSpan keep, Func<Task<T>> load, ILogger logger, string what)
        where T : class
    {
        if (cache.TryGetValue(key, out T? kept) && kept is not null)
        {
            return (kept, null);
        }
        var failedKey = key + ":failed";
        if (cache.TryGetValue(failedKey, out string? failure) && failure is not null)
        {
            return (null, failure);
        }
        try
        {
            var list = await load();
            cache.Set(key, list, keep);
            return (list, null);
        }
        catch (BrokerException e)
        {
            logger.LogWarning("{List} could not be loaded: {Reason}", what, e.Message);
            cache.Set(failedKey, e.Message, RetryAfterFailure);
            return (null, e.Message);
        }
    }
}
