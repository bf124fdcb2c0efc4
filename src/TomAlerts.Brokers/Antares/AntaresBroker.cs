using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace TomAlerts.Brokers.Antares;

/// <summary>
/// ANTARES (NOIRLab), one broker for its ZTF and LSST loci: a locus is one sky position with the alerts of every survey
/// there, so there is no survey choice. A search is <c>GET loci</c> with an Elasticsearch query, newest alert first,
/// followed page by page through <c>links.next</c> up to <c>max_alerts</c> loci; each locus listing is the raw alert a
/// run stores. A target fetches the locus with its catalog matches; its light curve comes from the locus's alerts.
/// Anonymous, JSON:API documents.
/// </summary>
[Broker("ANTARES", DefaultBaseUrl = "https://api.antares.noirlab.edu/v1/")]
public sealed class AntaresBroker(HttpClient http, BrokerSettings settings, IMemoryCache cache, ILogger<AntaresBroker> logger)
    : BrokerBase(http, settings), IListsSummaries, IConeSearchable, IServesStamps, IFiltersAlerts
{
    /// <summary>A stream's filter: the simple fields apply to each locus; the advanced query does not.</summary>
    public IReadOnlyDictionary<string, string> CheckFilter(JsonObject parameters) => AntaresFilter.Check(parameters);

    public bool Matches(JsonObject parameters, JsonObject alert) => AntaresFilter.Matches(parameters, alert);

    /// <summary>Loci within the cone (the form's search radius is in degrees, as tom_antares takes it).</summary>
    public JsonObject ConeParameters(double ra, double dec, double radiusArcsec) =>
        new() { [AntaresForm.Ra] = ra, [AntaresForm.Dec] = dec, [AntaresForm.Radius] = radiusArcsec / 3600 };

    public static readonly TimeSpan TagsCacheDuration = TimeSpan.FromHours(1);

    public override string? DocsUrl => "https://antares.noirlab.edu/";

    public override string ScoreDescription => "ANTARES gives no score. The Classification column shows the locus's ANTARES tags.";

    /// <summary>Per base URL, so two configurations never share a list.</summary>
    internal string TagsCacheKey => $"antares:tags:{BaseUrl}";

    // The attribute gives a default base URL, so there always is one.
    private Uri BaseUrl => Settings.BaseUrl!;

    public override async Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken)
    {
        var (tags, error) = await FormLists.GetAsync<IReadOnlyList<string>>(cache, TagsCacheKey, TagsCacheDuration, async () =>
        {
            // The tag names are the keys of data.attributes.tags (antares-client get_available_tags).
            var tags = (await GetJsonAsync("loci/statistics", cancellationToken))?["data"]?["attributes"]?["tags"] as JsonObject
                       ?? throw new BrokerException("ANTARES sent statistics without a tag list.");
            return tags.Select(t => t.Key).Order(StringComparer.Ordinal).ToList();
        }, logger, "ANTARES tag list");
        return AntaresForm.Build(tags, error);
    }

    public override async IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (parameters.GetString(AntaresForm.LocusId) is { } locusId)
        {
            if (await FetchAlertAsync(locusId, cancellationToken) is { } locus)
            {
                yield return locus;
            }
            else
            {
                feedback.Add($"ANTARES has no locus {locusId}.");
            }
            yield break;
        }
        var max = AntaresQuery.MaxLoci(parameters);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long? count = null;
        var more = false;
        await foreach (var (page, total, hasNext) in PagesAsync(new Uri(BaseUrl, AntaresQuery.FirstPage(AntaresQuery.Build(parameters))), cancellationToken))
        {
            count ??= total;
            foreach (var locus in page)
            {
                // The sort key moves while alerts arrive, so a locus can come again on a later page.
                if (AntaresLocus.Id(locus) is not { } id || !seen.Add(id))
                {
                    continue;
                }
                yield return locus;
                if (seen.Count == max)
                {
                    more = hasNext || locus != page[^1];
                    break;
                }
            }
            if (seen.Count == max)
            {
                break;
            }
            feedback.SetStatus($"Fetched {seen.Count} ANTARES loci of at most {max}");
        }
        if (seen.Count == 0)
        {
            feedback.Add("No ANTARES loci matched the query.");
        }
        else if (more)
        {
            feedback.Add($"Stopped after {max} loci{(count is { } n ? $" of {n}" : "")}; raise the maximum number of loci or narrow the query.");
        }
        feedback.SetStatus(null);
    }

    /// <summary>
    /// The pages of a JSON:API list, following <c>links.next</c> until a page has none. ANTARES writes its links with
    /// <c>http://</c> behind its TLS proxy, so a link is taken for its path and query and sent to the configured service
    /// (scheme, host and port of the base URL), through this broker's client.
    /// </summary>
    private async IAsyncEnumerable<(List<JsonObject> Page, long? Count, bool HasNext)> PagesAsync(Uri first,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        for (Uri? url = first; url is not null && visited.Add(url.AbsoluteUri);)
        {
            var response = await GetJsonAsync(url, cancellationToken) as JsonObject
                           ?? throw new BrokerException("ANTARES sent a list that is not a JSON object.");
            var data = JsonRead.Objects(response["data"]).ToList();
            (response["data"] as JsonArray)?.Clear(); // detach, so callers may store the items elsewhere
            url = JsonRead.String(response["links"]?["next"]) is { } next ? OnService(next) : null;
            yield return (data, JsonRead.Long(response["meta"]?["count"]), url is not null);
            if (data.Count == 0)
            {
                yield break;
            }
        }
    }

    private Uri OnService(string link)
    {
        var uri = new Uri(BaseUrl, link);
        return new UriBuilder(uri) { Scheme = BaseUrl.Scheme, Host = BaseUrl.Host, Port = BaseUrl.Port }.Uri;
    }

    /// <summary>A search stores the locus listing; a target needs the locus with its catalog matches.</summary>
    public bool IsSummary(JsonObject alert) => AntaresLocus.Attributes(alert)?[AntaresLocus.CatalogMatchesKey] is not JsonArray;

    /// <summary>The locus (<c>loci/&lt;id&gt;</c>) with its catalog matches under <c>attributes.catalog_matches</c>; null when ANTARES answers 404.</summary>
    public override async Task<JsonObject?> FetchAlertAsync(string alertId, CancellationToken cancellationToken)
    {
        var path = $"loci/{Uri.EscapeDataString(alertId)}";
        JsonObject locus;
        try
        {
            locus = (await GetJsonAsync(path, cancellationToken))?["data"] as JsonObject
                    ?? throw new BrokerException($"ANTARES sent locus {alertId} without its data.");
        }
        catch (BrokerHttpException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
        locus.Parent?.AsObject().Remove("data");
        var matches = new JsonArray();
        try
        {
            if ((await GetJsonAsync(path + "/catalog-matches", cancellationToken))?["data"] is JsonArray found)
            {
                found.Parent!.AsObject().Remove("data");
                matches = found;
            }
        }
        catch (BrokerHttpException e) when (e.Status == HttpStatusCode.NotFound)
        {
            // No catalog matches for this locus.
        }
        if (locus["attributes"] is not JsonObject attributes)
        {
            locus["attributes"] = attributes = [];
        }
        attributes[AntaresLocus.CatalogMatchesKey] = matches;
        return locus;
    }

    /// <summary>
    /// The thumbnail of the locus's newest alert that its listing names (<c>meta.newest_thumbnails</c>, PNG or JPEG); a
    /// locus stored without them (one fetched by id: that route does not list them) has none to show.
    /// </summary>
    public async Task<Stamp?> FetchStampAsync(string alertId, JsonObject alert, StampKind kind, CancellationToken cancellationToken)
    {
        var type = kind.ToString().ToLowerInvariant();
        var url = ImageUrl(JsonRead.Objects(alert["meta"]?["newest_thumbnails"])
            .Select(t => t["data"]?["attributes"] as JsonObject)
            .Where(a => a is not null && string.Equals(JsonRead.String(a["thumbnail_type"]), type, StringComparison.OrdinalIgnoreCase))
            .Select(a => JsonRead.String(a!["src"]))
            .FirstOrDefault(src => src is not null));
        return url is null ? null : await GetStampAsync(url, cancellationToken);
    }

    public override GenericAlert ToGenericAlert(JsonObject alert) => AntaresLocus.ToGenericAlert(Name, alert);

    public override TargetCandidate ToTarget(JsonObject alert) => AntaresLocus.ToTarget(Name, alert);

    /// <summary>Every alert of the locus (<c>loci/&lt;id&gt;/alerts</c>, all pages), ZTF and LSST alike; none for an unknown locus.</summary>
    public override async Task<IReadOnlyList<PhotometryPoint>> ProcessReducedDataAsync(string alertId, JsonObject? alert, CancellationToken cancellationToken)
    {
        if (alert?[AntaresLocus.StreamAlertsKey] is JsonArray streamed && streamed.Count > 0)
        {
            return AntaresLocus.Points(JsonRead.Objects(streamed));
        }
        var alerts = new List<JsonObject>();
        try
        {
            await foreach (var (page, _, _) in PagesAsync(new Uri(BaseUrl, $"loci/{Uri.EscapeDataString(alertId)}/alerts"), cancellationToken))
            {
                alerts.AddRange(page);
            }
        }
        catch (BrokerHttpException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return [];
        }
        return AntaresLocus.Points(alerts);
    }
}
