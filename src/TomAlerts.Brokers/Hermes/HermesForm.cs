using System.Globalization;
using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Hermes;

/// <summary>
/// Hermes' query form: nonlocalized events (GW, GRB, neutrino triggers with their sequences) or messages (reports about
/// targets). Each key maps to a filter the Hermes server has: <c>published_after</c>/<c>published_before</c> (tom_hermes'
/// names) are the server's <c>created_after</c>/<c>created_before</c>, which exist for events only; <c>event_id</c> is
/// <c>event_id_exact</c>; <c>cone</c> is the messages' <c>cone_search</c> in degrees.
/// </summary>
internal static class HermesForm
{
    public const string Kind = "query_kind";
    public const string Events = "events";
    public const string Messages = "messages";
    public const string EventId = "event_id";
    public const string PublishedAfter = "published_after";
    public const string PublishedBefore = "published_before";
    public const string Cone = "cone";
    public const string TargetName = "target_name";
    public const string MaxResults = "max_results";

    public const int DefaultMaxResults = 100;
    public const int MaxMaxResults = 1000;

    public static BrokerForm Create(string docsUrl) => new()
    {
        Intro = $"Search Hermes for nonlocalized events (gravitational-wave and other triggers, with their latest sequence) or for "
                + $"messages about targets. See the Hermes API: {docsUrl}",
        Fields =
        [
            new FormField(Kind, "Query", FieldKind.Choice)
            {
                Choices = [new(Events, "Nonlocalized events"), new(Messages, "Messages")],
                Initial = Events,
                HelpText = "Events list each trigger with its latest sequence; messages give one alert per target they report.",
            },
            new FormField(EventId, "Event id")
            {
                HelpText = "An exact event id, e.g. S260305bx (events: that event; messages: those that reference it).",
            },
            new FormField(PublishedAfter, "Published after")
            {
                Placeholder = "2026-03-01T00:00:00", HelpText = "Events only: a sequence created at or after this UTC time.",
            },
            new FormField(PublishedBefore, "Published before")
            {
                Placeholder = "2026-03-31T23:59:59", HelpText = "Events only: a sequence created at or before this UTC time.",
            },
            new FormField(Cone, "Cone")
            {
                Placeholder = "150.3158, 2.2095, 0.001",
                HelpText = "Messages only: \"RA, Dec, radius\"; RA and Dec in degrees or sexagesimal, the radius in degrees.",
            },
            new FormField(TargetName, "Target name")
            {
                HelpText = "Messages only: targets whose name contains this text.",
            },
            new FormField(MaxResults, "Maximum results", FieldKind.Integer)
            {
                Initial = DefaultMaxResults.ToString(CultureInfo.InvariantCulture), Min = 1, Max = MaxMaxResults,
                HelpText = "Events or messages read at most (Hermes gives 100 a page).",
            },
        ],
        Validate = Validate,
    };

    private static void Validate(JsonObject parameters, FormErrors errors)
    {
        var messages = IsMessages(parameters);
        foreach (var date in new[] { PublishedAfter, PublishedBefore })
        {
            if (parameters.GetString(date) is not { } text)
            {
                continue;
            }
            if (messages)
            {
                errors.Add(date, "Hermes filters messages by cone, event id and target name only; dates apply to events.");
            }
            else if (ParseTime(text) is null)
            {
                errors.Add(date, "Enter a date and time, e.g. 2026-03-05 or 2026-03-05T12:00:00.");
            }
        }
        if (parameters.GetString(Cone) is { } cone)
        {
            if (!messages)
            {
                errors.Add(Cone, "A cone searches messages (their targets); events have no position.");
            }
            else if (ParseCone(cone, out var problem) is null)
            {
                errors.Add(Cone, problem!);
            }
        }
        if (!messages && parameters.GetString(TargetName) is not null)
        {
            errors.Add(TargetName, "A target name searches messages; events have no targets of their own.");
        }
    }

    public static bool IsMessages(JsonObject parameters) => parameters.GetString(Kind) == Messages;

    public static DateTime? ParseTime(string text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    /// <summary>"RA, Dec, radius" in degrees (RA and Dec may be sexagesimal); null with the reason when it cannot be read.</summary>
    public static (double Ra, double Dec, double RadiusDeg)? ParseCone(string text, out string? problem)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        problem = null;
        if (parts.Length != 3)
        {
            problem = "Enter the cone as \"RA, Dec, radius\", e.g. 150.3158, 2.2095, 0.001.";
            return null;
        }
        if (!Angles.TryParseRa(parts[0], out var ra))
        {
            problem = "The cone's RA must be decimal degrees (0 to 360) or hh:mm:ss.";
            return null;
        }
        if (!Angles.TryParseDec(parts[1], out var dec))
        {
            problem = "The cone's Dec must be decimal degrees (−90 to 90) or ±dd:mm:ss.";
            return null;
        }
        if (!double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var radius) || !double.IsFinite(radius)
            || radius <= 0 || radius > 180)
        {
            problem = "The cone's radius must be a number of degrees above 0 and at most 180.";
            return null;
        }
        return (ra, dec, radius);
    }
}
