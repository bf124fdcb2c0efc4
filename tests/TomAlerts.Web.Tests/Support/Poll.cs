using System.Diagnostics;

namespace TomAlerts.Web.Tests.Support;

/// <summary>Waiting for what the app does in the background: read until a condition holds, or fail the test after a timeout.</summary>
public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Reads with <paramref name="read"/> until <paramref name="done"/> holds and returns that value; fails with
    /// <paramref name="failure"/> of the last value read when <paramref name="timeout"/> (a minute unless given) passes first.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<T, string> failure, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            Assert.True(watch.Elapsed < (timeout ?? DefaultTimeout), failure(value));
            await Task.Delay(Interval);
        }
    }
}
