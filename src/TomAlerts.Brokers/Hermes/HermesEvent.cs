using System.Globalization;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Hermes;

/// <summary>
/// A nonlocalized event as <c>nonlocalizedevents/</c> lists it: <c>{event_id, sequences[], references[]}</c>, its
/// sequences in the order they were created. A sequence's alert (for IGWN: <c>alert_type, time_created, event{far,
/// classification, …}, urls{gracedb, skymap}</c>) is the sequence's <c>data</c>; its <c>message</c> has only id and
/// uuid. A retraction has <c>event: null</c>. An event has no position: its target has a name and no coordinates.
/// </summary>
internal static class HermesEvent
{
    public static string Id(JsonObject alert) => JsonRead.String(alert["event_id"]) ?? "";

    public static JsonObject? LatestSequence(JsonObject alert) => JsonRead.Objects(alert["sequences"]).LastOrDefault();

    public static GenericAlert ToGenericAlert(string broker, JsonObject alert)
    {
        var latest = Latest.Of(alert);
        return new GenericAlert
        {
            Id = Id(alert),
            Name = Id(alert),
            Timestamp = latest.Created,
            Score = latest.BestProbability,
            Url = latest.GraceDbUrl,
            Classification = latest.Far is { } far ? $"{latest.Classification}, FAR {FalseAlarmRate(far)}" : latest.Classification,
            Classifications = Classifications(broker, alert, latest.Created),
        };
    }

    /// <summary>
    /// The latest notice's source classes (BNS, NSBH, BBH, Terrestrial) and properties (HasNS, HasRemnant …), each with its
    /// probability, the pipeline that gave them as the model and the notice's sequence as its version.
    /// </summary>
    private static List<AlertClassification> Classifications(string broker, JsonObject alert, DateTime? created)
    {
        var sequence = LatestSequence(alert);
        var evt = (sequence?["data"] as JsonObject)?["event"] as JsonObject;
        var pipeline = JsonRead.String(evt?["pipeline"]);
        var version = JsonRead.String(sequence?["sequence_number"]) is { } number
            ? $"{JsonRead.String(sequence?["sequence_type"]) ?? "notice"} {number}"
            : JsonRead.String(sequence?["sequence_type"]);
        IEnumerable<AlertClassification> Read(string key, string model) =>
            (evt?[key] as JsonObject ?? [])
            .Select(c => (Name: c.Key, P: JsonRead.Double(c.Value)))
            .Where(c => c.P is >= 0 and <= 1)
            .OrderByDescending(c => c.P)
            .Select(c => new AlertClassification(broker, model, version, c.Name, c.P, created));
        return Read("classification", pipeline ?? "classification").Concat(Read("properties", pipeline is null ? "properties" : $"{pipeline} properties")).ToList();
    }

    public static TargetCandidate ToTarget(JsonObject alert)
    {
        var latest = Latest.Of(alert);
        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                extras[key] = value;
            }
        }
        Add("hermes_sequence_type", latest.Type);
        Add("hermes_sequence_number", latest.Number);
        Add("far", latest.Far?.ToString("R", CultureInfo.InvariantCulture));
        Add("skymap_url", latest.SkymapUrl);
        Add("gracedb_url", latest.GraceDbUrl);
        Add("classification", latest.Classification);
        return new TargetCandidate { Name = Id(alert), Extras = extras };
    }

    /// <summary>"2.1e-10 Hz (1 per 151 yr)": the rate as IGWN gives it, and as the recurrence time astronomers quote.</summary>
    internal static string FalseAlarmRate(double hertz)
    {
        var rate = hertz.ToString("0.##e+0", CultureInfo.InvariantCulture) + " Hz";
        if (hertz <= 0)
        {
            return rate;
        }
        var years = 1 / (hertz * 365.25 * 86400);
        var every = years >= 1 ? $"1 per {years.ToString(years >= 100 ? "N0" : "0.#", CultureInfo.InvariantCulture)} yr"
            : $"1 per {(years * 365.25).ToString("0.#", CultureInfo.InvariantCulture)} d";
        return $"{rate} ({every})";
    }

    /// <summary>What the results page and a target show of an event: its latest sequence.</summary>
    private sealed record Latest(string? Type, string? Number, DateTime? Created, double? Far, string? SkymapUrl, string? GraceDbUrl, string? Classification,
        double? BestProbability)
    {
        public static Latest Of(JsonObject alert)
        {
            var sequence = LatestSequence(alert);
            var data = sequence?["data"] as JsonObject;
            var evt = data?["event"] as JsonObject;
            var type = JsonRead.String(sequence?["sequence_type"]) ?? JsonRead.String(data?["alert_type"]);
            var created = JsonRead.String(data?["time_created"]) is { } text
                          && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
                ? time
                : (DateTime?)null;
            var urls = data?["urls"] as JsonObject;
            return new Latest(type, JsonRead.String(sequence?["sequence_number"]), created, JsonRead.Double(evt?["far"]),
                JsonRead.String(urls?["skymap"]), JsonRead.String(urls?["gracedb"]), Describe(type, evt), Best(evt)?.P);
        }

        /// <summary>"INITIAL: BNS 91%": the sequence type and the most probable class, when the alert gives classes.</summary>
        private static string? Describe(string? type, JsonObject? evt)
        {
            var cls = Best(evt) is { } best ? $"{best.Name} {best.P.ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal)}" : null;
            return (type, cls) switch
            {
                (null, null) => null,
                (not null, null) => type,
                (null, not null) => cls,
                _ => $"{type}: {cls}",
            };
        }

        /// <summary>The most probable class of the IGWN alert (BNS, NSBH, BBH, Terrestrial), if it gives classes.</summary>
        private static (string Name, double P)? Best(JsonObject? evt) =>
            (evt?["classification"] as JsonObject)?
            .Select(c => (Name: c.Key, P: JsonRead.Double(c.Value)))
            .Where(c => c.P is not null)
            .OrderByDescending(c => c.P)
            .Select(c => ((string Name, double P)?)(c.Name, c.P!.Value))
            .FirstOrDefault();
    }
}
