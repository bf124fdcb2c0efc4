using System.Globalization;
using System.Text.Json.Nodes;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Gcn;

/// <summary>
/// GCN's JSON notices and circulars, and IGWN's gravitational-wave alerts, in the shapes of the Hermes broker, which
/// reads them: an IGWN alert is a nonlocalized event (<c>{event_id, sequences[{sequence_type, data}]}</c>, the alert
/// as the sequence's data, its sky map left out); a notice with a position (GCN's unified schema: <c>ra</c>,
/// <c>dec</c>, <c>ra_dec_error</c>, <c>trigger_time</c>, <c>id</c>) is a message alert with one target at that
/// position; a circular is a message alert whose target has no position. A notice without a position (a retraction)
/// gives no alert.
/// </summary>
internal static class GcnNotices
{
    public const string IgwnTopic = "igwn.gwalert";
    public const string CircularsTopic = "gcn.circulars";
    public const string IceCubeLvkTopic = "gcn.notices.icecube.lvk_nu_track_search";

    /// <summary>How each JSON notice topic names its triggers; other gcn.notices topics are named from their mission and instrument.</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["gcn.notices.swift.bat.guano"] = "Swift BAT-GUANO",
        ["gcn.notices.einstein_probe.wxt.alert"] = "EP WXT",
    };

    /// <summary>The alerts of one message of a GCN topic (also those Hopskotch relays).</summary>
    public static IReadOnlyList<JsonObject> Decode(string topic, JsonObject notice)
    {
        if (topic == IgwnTopic || notice.ContainsKey("superevent_id"))
        {
            return [IgwnEvent(notice)];
        }
        if (topic == CircularsTopic || notice.ContainsKey("circularId") || notice["header"] is JsonObject)
        {
            return [Circular(notice)];
        }
        if (topic == IceCubeLvkTopic || notice.ContainsKey("coincident_events"))
        {
            return IceCube(topic, notice);
        }
        return Located(topic, notice) is { } alert ? [alert] : [];
    }

    public static JsonObject IgwnEvent(JsonObject notice)
    {
        if (JsonRead.String(notice["superevent_id"]) is not { } eventId)
        {
            throw new StreamMessageException("The gravitational-wave alert has no superevent_id.");
        }
        var data = (JsonObject)notice.DeepClone();
        // The sky map (base64 FITS, megabytes) is fetched from GraceDB when needed, never stored with the alert.
        (data["event"] as JsonObject)?.Remove("skymap");
        return new JsonObject
        {
            ["event_id"] = eventId,
            ["sequences"] = new JsonArray(new JsonObject
            {
                ["sequence_type"] = JsonRead.String(notice["alert_type"]),
                ["data"] = data,
            }),
        };
    }

    /// <summary>A unified-schema notice with a position, as a message alert; null without one.</summary>
    private static JsonObject? Located(string topic, JsonObject notice)
    {
        if (Position(notice) is not var (ra, dec))
        {
            return null;
        }
        var label = Labels.GetValueOrDefault(topic) ?? Label(topic, notice);
        var trigger = FirstId(notice["id"]) ?? JsonRead.String(notice["trigger_time"]) ?? JsonRead.String(notice["alert_datetime"]);
        var kept = (JsonObject)notice.DeepClone();
        kept.Remove("healpix_file");
        return Alert(topic, trigger is null ? label : $"{label} {trigger}", ra, dec,
            JsonRead.String(notice["trigger_time"]) ?? JsonRead.String(notice["alert_datetime"]),
            JsonRead.String(notice["data_archive_page"]), events: [], ("notice", kept));
    }

    /// <summary>IceCube's search for neutrinos coincident with a gravitational-wave alert: one alert per coincident track, none when there is none.</summary>
    private static List<JsonObject> IceCube(string topic, JsonObject notice)
    {
        var reference = JsonRead.String(notice["ref_ID"]);
        var trigger = DateTime.TryParse(JsonRead.String(notice["trigger_time"]), CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTime?)null;
        var alerts = new List<JsonObject>();
        foreach (var track in JsonRead.Objects(notice["coincident_events"]))
        {
            if (Position(track["localization"] as JsonObject ?? track) is not var (ra, dec))
            {
                continue;
            }
            var time = trigger is { } start && JsonRead.Double(track["event_dt"]) is { } dt
                ? start.AddSeconds(dt).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
                : JsonRead.String(notice["trigger_time"]);
            var summary = (JsonObject)notice.DeepClone();
            summary.Remove("coincident_events");
            alerts.Add(Alert(topic, $"IceCube {FirstId(track["id"]) ?? alerts.Count.ToString(CultureInfo.InvariantCulture)}", ra, dec, time, null,
                reference is null ? [] : [reference], ("notice", summary), ("track", track.DeepClone())));
        }
        return alerts;
    }

    /// <summary>
    /// A circular, from GCN (<c>circularId, subject, body, eventId, createdOn</c> in ms) or as Hopskotch relays one
    /// (<c>header{number, subject, date, from}, body</c>).
    /// </summary>
    public static JsonObject Circular(JsonObject circular)
    {
        var header = circular["header"] as JsonObject;
        string? Header(string key) =>
            header?.FirstOrDefault(h => string.Equals(h.Key, key, StringComparison.OrdinalIgnoreCase)).Value is { } v ? JsonRead.String(v) : null;
        var number = JsonRead.String(circular["circularId"]) ?? Header("number")
                     ?? throw new StreamMessageException("The circular has no number (circularId).");
        var time = JsonRead.Long(circular["createdOn"]) is { } ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : Header("date");
        var eventId = JsonRead.String(circular["eventId"]);
        var kept = new JsonObject
        {
            ["subject"] = JsonRead.String(circular["subject"]) ?? Header("subject"),
            ["submitter"] = JsonRead.String(circular["submitter"]) ?? Header("from"),
            ["body"] = JsonRead.String(circular["body"]),
        };
        var alert = Alert(CircularsTopic, $"GCN Circular {number}", null, null, time, $"https://gcn.nasa.gov/circulars/{Uri.EscapeDataString(number)}",
            eventId is null ? [] : [eventId], ("circular", kept));
        return alert;
    }

    /// <summary>A message alert of the Hermes broker: one target, its events, when and where it was published.</summary>
    private static JsonObject Alert(string topic, string name, double? ra, double? dec, string? time, string? url, IReadOnlyList<string> events,
        params (string Key, JsonNode? Value)[] extra)
    {
        var alert = new JsonObject
        {
            ["id"] = topic,
            ["uuid"] = null,
            ["nonlocalizedevents"] = new JsonArray(events.Select(e => (JsonNode?)new JsonObject { ["event_id"] = e }).ToArray()),
            ["target"] = new JsonObject { ["name"] = name, ["right_ascension"] = ra, ["declination"] = dec },
            ["time"] = time,
            ["url"] = url,
        };
        foreach (var (key, value) in extra)
        {
            alert[key] = value;
        }
        return alert;
    }

    private static (double Ra, double Dec)? Position(JsonObject notice) =>
        JsonRead.Double(notice["ra"]) is { } ra and >= 0 and <= 360 && JsonRead.Double(notice["dec"]) is { } dec and >= -90 and <= 90 ? (ra, dec) : null;

    private static string? FirstId(JsonNode? ids) => ids is JsonArray list ? list.Select(JsonRead.String).FirstOrDefault(i => i is not null) : JsonRead.String(ids);

    /// <summary>"Swift BAT" from the notice's mission and instrument, else from the topic (gcn.notices.&lt;mission&gt;.&lt;instrument&gt;…).</summary>
    private static string Label(string topic, JsonObject notice)
    {
        var parts = topic.Split('.');
        var mission = JsonRead.String(notice["mission"]) ?? (parts.Length > 2 ? parts[2] : topic);
        var instrument = JsonRead.String(notice["instrument"]) ?? (parts.Length > 3 ? parts[3].ToUpperInvariant() : null);
        return instrument is null ? mission : $"{mission} {instrument}";
    }

    /// <summary>A topic whose messages are not JSON, with the JSON topic to take instead.</summary>
    public static string? UnreadFormat(string topic)
    {
        string? format = topic.StartsWith("gcn.classic.voevent.", StringComparison.Ordinal) ? "VOEvent XML"
            : topic.StartsWith("gcn.classic.text.", StringComparison.Ordinal) ? "GCN classic text"
            : topic.StartsWith("gcn.classic.binary.", StringComparison.Ordinal) ? "GCN classic binary"
            : null;
        return format is null ? null : FormatMessage(topic, format);
    }

    public static string FormatMessage(string topic, string format)
    {
        var upper = topic.ToUpperInvariant();
        var instead = upper.Contains("LVC", StringComparison.Ordinal) || upper.Contains("LVK", StringComparison.Ordinal) ? IgwnTopic
            : upper.Contains("SWIFT", StringComparison.Ordinal) ? "gcn.notices.swift.bat.guano"
            : upper.Contains("ICECUBE", StringComparison.Ordinal) || upper.Contains("AMON", StringComparison.Ordinal) ? "gcn.notices.icecube.lvk_nu_track_search"
            : upper.Contains("EINSTEIN", StringComparison.Ordinal) ? "gcn.notices.einstein_probe.wxt.alert"
            : "of the same mission (gcn.notices.<mission>.…, or igwn.gwalert for gravitational waves)";
        return $"This topic's format ({format}) is not read by TomAlerts; subscribe to the JSON topic {instead} instead.";
    }

    /// <summary>An XML document (a VOEvent), whatever the topic says.</summary>
    public static bool IsXml(byte[] value)
    {
        var i = value.Length >= 3 && value[0] == 0xEF && value[1] == 0xBB && value[2] == 0xBF ? 3 : 0;
        while (i < value.Length && value[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            i++;
        }
        return i < value.Length && value[i] == '<';
    }
}
