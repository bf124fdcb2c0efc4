using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Antares;

/// <summary>
/// ANTARES's simple query fields applied to one streamed locus, with the meaning the loci search gives them: ids, tag
/// (any of several), number of magnitudes, oldest and newest alert dates, newest magnitude and the cone (degrees). The
/// advanced Elasticsearch query is run by ANTARES's search and cannot be; the maximum number of loci limits a search,
/// not a stream, and is ignored.
/// </summary>
internal static class AntaresFilter
{
    public const string EsQueryMessage =
        "ANTARES's advanced query cannot be applied to a stream message: it is run by ANTARES's search; use the simple fields or leave it empty.";

    public static IReadOnlyDictionary<string, string> Check(JsonObject parameters) =>
        parameters.GetString(AntaresForm.EsQuery) is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { [AntaresForm.EsQuery] = EsQueryMessage };

    public static bool Matches(JsonObject parameters, JsonObject locus)
    {
        var properties = AntaresLocus.Properties(locus);
        if (parameters.GetString(AntaresForm.ZtfId) is { } ztfId && !AntaresLocus.ZtfIds(locus).Contains(ztfId, StringComparer.Ordinal))
        {
            return false;
        }
        if (parameters.GetString(AntaresForm.LocusId) is { } antId && AntaresLocus.Id(locus) != antId)
        {
            return false;
        }
        if (Tags(parameters) is { Count: > 0 } tags && !AntaresLocus.Tags(locus).Any(tags.Contains))
        {
            return false;
        }
        bool Within(string key, double? low, double? high) =>
            (low is null && high is null)
            || JsonRead.Double(properties?[key]) is { } value && (low is null || value >= low) && (high is null || value <= high);
        if (!Within("num_mag_values", parameters.GetLong(AntaresForm.NobsMin), parameters.GetLong(AntaresForm.NobsMax))
            || !Within("oldest_alert_observation_time", parameters.GetDouble(AntaresForm.MjdMin), null)
            || !Within("newest_alert_observation_time", null, parameters.GetDouble(AntaresForm.MjdMax))
            || !Within("newest_alert_magnitude", parameters.GetDouble(AntaresForm.MagMin), parameters.GetDouble(AntaresForm.MagMax)))
        {
            return false;
        }
        if (parameters.GetDouble(AntaresForm.Ra) is { } ra && parameters.GetDouble(AntaresForm.Dec) is { } dec && parameters.GetDouble(AntaresForm.Radius) is { } radius)
        {
            var attributes = AntaresLocus.Attributes(locus);
            return JsonRead.Double(attributes?["ra"]) is { } locusRa && JsonRead.Double(attributes?["dec"]) is { } locusDec
                   && Angles.Separation(ra, dec, locusRa, locusDec) <= radius;
        }
        return true;
    }

    private static HashSet<string> Tags(JsonObject parameters) =>
        (parameters[AntaresForm.Tag] is JsonArray list
            ? list.Select(JsonRead.String).OfType<string>()
            : (parameters.GetString(AntaresForm.Tag) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .ToHashSet(StringComparer.Ordinal);
}
