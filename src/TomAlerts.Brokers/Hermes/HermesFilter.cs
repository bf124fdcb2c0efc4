using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Hermes;

/// <summary>
/// Hermes's query form applied to one streamed alert. A subscription's topics decide which kind of alert arrives
/// (hermes.* messages, igwn.gwalert events), so the query kind does not filter; each other field applies to the kind it
/// searches in Hermes: the event id to events (their id) and messages (the events they reference), the published
/// dates to events (their latest notice's creation), the cone and target name to messages (their target; an event has
/// no position, so a cone lets no event through). The maximum number of results limits a search, not a stream, and is ignored.
/// </summary>
internal static class HermesFilter
{
    public static IReadOnlyDictionary<string, string> Check(JsonObject parameters)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parameters.GetString(HermesForm.Cone) is { } cone && HermesForm.ParseCone(cone, out var problem) is null)
        {
            problems[HermesForm.Cone] = problem!;
        }
        foreach (var date in new[] { HermesForm.PublishedAfter, HermesForm.PublishedBefore })
        {
            if (parameters.GetString(date) is { } text && HermesForm.ParseTime(text) is null)
            {
                problems[date] = "Enter a date and time, e.g. 2026-03-05 or 2026-03-05T12:00:00.";
            }
        }
        return problems;
    }

    public static bool Matches(JsonObject parameters, JsonObject alert)
    {
        var message = HermesMessage.IsMessageAlert(alert);
        var target = alert["target"] as JsonObject;
        if (parameters.GetString(HermesForm.EventId) is { } eventId)
        {
            var ids = message
                ? JsonRead.Objects(alert["nonlocalizedevents"]).Select(e => JsonRead.String(e["event_id"]))
                : [HermesEvent.Id(alert)];
            if (!ids.Contains(eventId, StringComparer.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        if (parameters.GetString(HermesForm.TargetName) is { } name
            && !(JsonRead.String(target?["name"]) ?? "").Contains(name, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (parameters.GetString(HermesForm.Cone) is { } text && HermesForm.ParseCone(text, out _) is var (ra, dec, radius)
            && !(JsonRead.Double(target?["right_ascension"]) is { } targetRa && JsonRead.Double(target?["declination"]) is { } targetDec
                 && Angles.Separation(ra, dec, targetRa, targetDec) <= radius))
        {
            return false;
        }
        if (!message)
        {
            var created = JsonRead.String(HermesEvent.LatestSequence(alert)?["data"]?["time_created"]) is { } c ? HermesForm.ParseTime(c) : null;
            if (parameters.GetString(HermesForm.PublishedAfter) is { } after && HermesForm.ParseTime(after) is { } from && !(created >= from))
            {
                return false;
            }
            if (parameters.GetString(HermesForm.PublishedBefore) is { } before && HermesForm.ParseTime(before) is { } to && !(created <= to))
            {
                return false;
            }
        }
        return true;
    }
}
