using System.Globalization;

namespace TomAlerts.Brokers;

/// <summary>
/// The one catalogue of broker failures in a user's words: what happened, what the user can do, and when to try
/// again. The developer's account of the same failure travels beside it as <see cref="BrokerException.TechnicalDetail"/>.
/// </summary>
public static class BrokerMessages
{
    public static string Timeout(string broker, TimeSpan? after) =>
        after is { } limit && limit > TimeSpan.Zero
            ? $"{broker} did not answer within {Seconds(limit)} s; it may be busy. Try again in a few minutes."
            : $"{broker} did not answer in time; it may be busy. Try again in a few minutes.";

    public static string CutOff(string broker) =>
        $"{broker} stopped in the middle of its answer; it may be busy. Try again in a few minutes.";

    public static string Paused(string broker, TimeSpan? remaining) =>
        remaining is { } wait && wait > TimeSpan.Zero
            ? $"TomAlerts has paused calls to {broker} for {Duration(wait)} after repeated failures, so as not to add to its trouble. Try again after that."
            : $"TomAlerts has paused calls to {broker} for a short while after repeated failures, so as not to add to its trouble. Try again in a minute.";

    public static string ServerError(string broker, int status) =>
        $"{broker} had a problem of its own (HTTP {status.ToString(CultureInfo.InvariantCulture)}) and could not answer. This is usually temporary; try again in a few minutes.";

    public static string KeyRefused(string broker, string setting) =>
        $"{broker} refused this portal's key, so nothing can be fetched from it until an administrator checks the {setting} setting. Trying again will not help until then.";

    public static string NotFound(string broker) =>
        $"{broker} has no such object or page. Check the name or the query's filters; trying again will not help.";

    public static string Refused(string broker, string brokersWords) =>
        $"{broker} refused the request: {brokersWords} Check the query's filters and save it again.";

    public static string RateLimited(string broker, DateTimeOffset? resetsAt) =>
        resetsAt is { } reset
            ? $"{broker}'s request limit is used up; it resets at {reset.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC. Try again after that."
            : $"{broker}'s request limit is used up and it did not say when it resets. Try again later (such limits usually reset within an hour).";

    public static string Unreadable(string broker) =>
        $"{broker} sent an answer TomAlerts could not read; the site may be down for maintenance. Try again later; if this lasts, tell an administrator.";

    /// <summary>Gaia serves its alerts inside a web page; a page without them is almost always its maintenance page.</summary>
    public static string IndexWithoutAlerts(string broker) =>
        $"{broker}'s alert index page did not list any alerts — the site may be down for maintenance. Try again later.";

    public static string Unreachable(string broker) =>
        $"TomAlerts could not reach {broker}: the site may be down or the network interrupted. Try again in a few minutes.";

    public static string NotConfigured(string broker, string missing) =>
        $"{broker} is not set up in this portal yet ({missing}). An administrator must add it in the settings; until then nothing can be fetched from it.";

    /// <summary>"30 s", "5 minutes".</summary>
    public static string Duration(TimeSpan span) =>
        span < TimeSpan.FromMinutes(2)
            ? $"{Seconds(span)} s"
            : $"{Math.Round(span.TotalMinutes).ToString(CultureInfo.InvariantCulture)} minutes";

    public static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}
