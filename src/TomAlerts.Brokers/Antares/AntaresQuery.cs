using System.Globalization;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Antares;

/// <summary>
/// The Elasticsearch query of a saved ANTARES search, as <c>GET loci</c> takes it in
/// <c>elasticsearch_query[locus_listing]</c>: the advanced query as it is, or
/// <c>{"query": {"bool": {"filter": [...]}}}</c> built from the form's fields (every filter must hold).
/// </summary>
internal static class AntaresQuery
{
    public const string Sort = "-properties.newest_alert_observation_time";

    public static JsonObject Build(JsonObject parameters)
    {
        if (parameters.GetString(AntaresForm.EsQuery) is { } text)
        {
            return AntaresForm.ParseEsQuery(text) ?? throw new BrokerException(AntaresForm.EsQueryShapeMessage);
        }
        var filters = new JsonArray();
        if (parameters.GetString(AntaresForm.ZtfId) is { } ztfId)
        {
            filters.Add(new JsonObject { ["term"] = new JsonObject { ["properties.ztf_object_id"] = ztfId } });
        }
        AddRange(filters, "properties.num_mag_values", "gte", parameters.GetLong(AntaresForm.NobsMin), "lte", parameters.GetLong(AntaresForm.NobsMax));
        AddRange(filters, "properties.oldest_alert_observation_time", "gte", parameters.GetDouble(AntaresForm.MjdMin), "", null);
        AddRange(filters, "properties.newest_alert_observation_time", "lte", parameters.GetDouble(AntaresForm.MjdMax), "", null);
        AddRange(filters, "properties.newest_alert_magnitude", "gte", parameters.GetDouble(AntaresForm.MagMin), "lte", parameters.GetDouble(AntaresForm.MagMax));
        if (parameters.GetDouble(AntaresForm.Ra) is { } ra && parameters.GetDouble(AntaresForm.Dec) is { } dec && parameters.GetDouble(AntaresForm.Radius) is { } radius)
        {
            // ANTARES's own cone filter on the locus's HTM index (antares-client cone_search); the radius is in degrees.
            filters.Add(new JsonObject
            {
                ["sky_distance"] = new JsonObject
                {
                    ["distance"] = $"{Number(radius)} degree",
                    ["htm16"] = new JsonObject { ["center"] = $"{Number(ra)} {Number(dec)}" },
                },
            });
        }
        if (Tags(parameters) is { Count: > 0 } tags)
        {
            filters.Add(new JsonObject { ["terms"] = new JsonObject { ["tags"] = new JsonArray([.. tags.Select(t => JsonValue.Create(t))]) } });
        }
        return new JsonObject { ["query"] = new JsonObject { ["bool"] = new JsonObject { ["filter"] = filters } } };
    }

    /// <summary>The first page's address, relative to the base URL.</summary>
    public static string FirstPage(JsonObject esQuery) =>
        $"loci?sort={Uri.EscapeDataString(Sort)}&{Uri.EscapeDataString("elasticsearch_query[locus_listing]")}={Uri.EscapeDataString(esQuery.ToJsonString())}";

    public static int MaxLoci(JsonObject parameters) =>
        (int)Math.Clamp(parameters.GetLong(AntaresForm.MaxAlerts) ?? AntaresForm.DefaultMaxAlerts, 1, AntaresForm.MaxAlertsLimit);

    /// <summary>One tag from the choice, or several typed with commas (when the tag list could not be loaded), or a list saved by a script.</summary>
    private static List<string> Tags(JsonObject parameters) =>
        parameters[AntaresForm.Tag] is JsonArray list
            ? list.Select(JsonRead.String).OfType<string>().ToList()
            : (parameters.GetString(AntaresForm.Tag) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static void AddRange(JsonArray filters, string field, string lowOp, double? low, string highOp, double? high)
    {
        var range = new JsonObject();
        if (low is { } l)
        {
            range[lowOp] = l;
        }
        if (high is { } h)
        {
            range[highOp] = h;
        }
        if (range.Count > 0)
        {
            filters.Add(new JsonObject { ["range"] = new JsonObject { [field] = range } });
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
