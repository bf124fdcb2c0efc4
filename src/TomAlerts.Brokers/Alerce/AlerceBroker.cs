using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Alerce;

[Broker("ALeRCE", DefaultBaseUrl = "https://api.alerce.online/ztf/v1")]
public sealed class AlerceBroker(HttpClient http, BrokerSettings settings, IMemoryCache cache, ILogger<AlerceBroker> logger)
    : BrokerBase(http, settings), IConeSearchable, IDescribesAlerts, IServesStamps, IStreamsRawAlerts
{
    public static readonly TimeSpan ClassifiersCacheDuration = TimeSpan.FromHours(1);

    /// <summary>The settings key of ALeRCE's multisurvey (LSST) API, a second service beside <c>base_url</c> (ZTF).</summary>
    public const string LsstBaseUrlKey = "lsst_base_url";

    public const string LsstDefaultBaseUrl = "https://api-lsst.alerce.online/";

    /// <summary>The settings key of ALeRCE's ZTF stamp service (<c>get_stamp</c>), a third address beside the two APIs.</summary>
    public const string StampsBaseUrlKey = "stamps_base_url";

    public const string StampsDefaultBaseUrl = "https://avro.alerce.online/";

    /// <summary>How long the detection an object's stamps belong to is remembered, so its three stamps ask for it once.</summary>
    public static readonly TimeSpan StampDetectionCacheDuration = TimeSpan.FromMinutes(30);

    private const string ObjectPageUrl = "https://alerce.online/object/";

    public override string? DocsUrl => "https://alerce.science/";

    public override string ScoreDescription =>
        "The ALeRCE classifier's probability (0 to 1) for the class shown, from the classifier the query filtered on "
        + "(ALeRCE's light-curve classifier when it filtered on none).";

    /// <summary>Per base URL, so two configurations never share a list.</summary>
    internal string ClassifiersCacheKey => $"alerce:classifiers:{Http.BaseAddress}";

    internal string LsstClassifiersCacheKey => $"alerce:lsst-classifiers:{LsstBaseUrl}";

    /// <summary>LSST calls go to absolute URLs under this address through the broker's one client (its resilience and call log).</summary>
    internal Uri LsstBaseUrl => Settings.Url(LsstBaseUrlKey, LsstDefaultBaseUrl)!;

    internal Uri StampsBaseUrl => Settings.Url(StampsBaseUrlKey, StampsDefaultBaseUrl)!;

    protected override string SourceName(Uri? requestUri) =>
        requestUri is { IsAbsoluteUri: true } uri && LsstBaseUrl.IsBaseOf(uri) ? $"{Name} (LSST)"
        : requestUri is { IsAbsoluteUri: true } stamps && StampsBaseUrl.IsBaseOf(stamps) ? $"{Name} stamp service"
        : Name;

    private Task<JsonNode?> GetLsstAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        GetJsonAsync(new Uri(LsstBaseUrl, pathAndQuery), cancellationToken);

    public JsonObject ConeParameters(double ra, double dec, double radiusArcsec) =>
        new() { ["ra"] = ra, ["dec"] = dec, ["radius"] = radiusArcsec };

    public override async Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken)
    {
        // Both lists at once: the form waits for the slower one, not for their sum, within a page's time budget.
        var ztfTask = ClassifiersAsync(ClassifiersCacheKey, "ALeRCE", () => GetJsonAsync("classifiers/", cancellationToken));
        var lsstTask = ClassifiersAsync(LsstClassifiersCacheKey, "ALeRCE LSST", () => GetLsstAsync(AlerceLsst.ClassifiersPath, cancellationToken));
        var (ztf, ztfError) = await ztfTask;
        var (lsst, lsstError) = await lsstTask;
        return AlerceForm.Build(ztf, ztfError, lsst, lsstError);
    }

    /// <summary>A classifier list from the cache or the service (<see cref="FormLists"/>).</summary>
    private Task<(IReadOnlyList<AlerceClassifierInfo>? List, string? Error)> ClassifiersAsync(string cacheKey, string source, Func<Task<JsonNode?>> load) =>
        FormLists.GetAsync(cache, cacheKey, ClassifiersCacheDuration, async () => AlerceClassifierInfo.FromJson(await load()), logger, $"{source} classifier list");

    public override async IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in FetchRawAlertsAsync(parameters, feedback, cancellationToken))
        {
            yield return item.Alert;
        }
    }

    public async IAsyncEnumerable<RawAlert> FetchRawAlertsAsync(JsonObject parameters, FetchFeedback feedback,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (AlerceLsst.IsLsst(parameters))
        {
            await foreach (var item in FetchLsstAlertsAsync(parameters, feedback, cancellationToken))
            {
                yield return new RawAlert(item, item.ToJsonString());
            }
            yield break;
        }
        var filters = AlerceQuery.Filters(parameters);
        var maxPages = AlerceQuery.MaxPages(parameters);
        var cone = AlerceQuery.Cone(parameters);
        var outside = 0;
        for (var page = 1; page <= maxPages; page++)
        {
            feedback.SetStatus($"Fetching ALeRCE page {page} of at most {maxPages}");
            List<RawAlert> items;
            bool more;
            using (var response = await GetJsonDocumentAsync(AlerceQuery.PageUrl(filters, page), cancellationToken))
            {
                var root = response.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new BrokerException("ALeRCE sent an object list that is not a JSON object.");
                }
                items = RawItems(root.TryGetProperty("items", out var array) ? array : default);
                // has_next is reliable only when the server counted; without a total a full page means "maybe more".
                more = (root.TryGetProperty("has_next", out var hasNext) && JsonRead.Bool(JsonValue.Create(hasNext)) == true)
                       || ((!root.TryGetProperty("total", out var total) || total.ValueKind == JsonValueKind.Null) && items.Count == AlerceQuery.PageSize);
            }
            if (items.Count == 0)
            {
                break;
            }
            foreach (var item in items)
            {
                if (cone is { } c && !InCone(item.Alert, c))
                {
                    outside++; // the server searched another cone, or none: the answer is not the one asked for
                    continue;
                }
                yield return item;
            }
            if (!more)
            {
                break;
            }
            if (page == maxPages)
            {
                feedback.Add($"Stopped after {maxPages} page(s) of {AlerceQuery.PageSize} objects; ALeRCE has more. Raise Maximum pages or narrow the query.");
            }
        }
        if (outside > 0)
        {
            feedback.Add($"ALeRCE answered {outside} object(s) outside the cone searched; they were left out.");
        }
        feedback.SetStatus(null);
    }

    /// <summary>
    /// <c>list_objects</c> of the LSST API. Its <c>total</c> counts the rows fetched for the page (page_size + 1), not the
    /// objects, so has_next decides; rows are joined with the probabilities, so an object can come once per classifier
    /// (and on two pages): the first row of each oid is kept.
    /// </summary>
    private async IAsyncEnumerable<JsonObject> FetchLsstAlertsAsync(JsonObject parameters, FetchFeedback feedback,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filters = AlerceLsst.Filters(parameters);
        var maxPages = AlerceQuery.MaxPages(parameters);
        var cone = AlerceQuery.Cone(parameters);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var outside = 0;
        for (var page = 1; page <= maxPages; page++)
        {
            feedback.SetStatus($"Fetching ALeRCE LSST page {page} of at most {maxPages}");
            var response = await GetLsstAsync(AlerceLsst.PageQuery(filters, page), cancellationToken) as JsonObject
                           ?? throw new BrokerException("ALeRCE (LSST) sent an object list that is not a JSON object.");
            var items = JsonRead.Objects(response["items"]).ToList();
            (response["items"] as JsonArray)?.Clear();
            foreach (var item in items)
            {
                if (!seen.Add(AlerceLsst.Oid(item)))
                {
                    continue;
                }
                if (cone is { } c && !InCone(item, c))
                {
                    outside++;
                    continue;
                }
                yield return item;
            }
            if (items.Count == 0 || JsonRead.Bool(response["has_next"]) != true)
            {
                break;
            }
            if (page == maxPages)
            {
                feedback.Add($"Stopped after {maxPages} page(s) of {AlerceQuery.PageSize} rows; ALeRCE (LSST) has more. Raise Maximum pages or narrow the query.");
            }
        }
        if (outside > 0)
        {
            feedback.Add($"ALeRCE (LSST) answered {outside} object(s) outside the cone searched; they were left out.");
        }
        feedback.SetStatus(null);
    }

    /// <summary>Within the searched cone by true angular separation (a milliarcsecond of slack for rounding).</summary>
    private static bool InCone(JsonObject item, (double Ra, double Dec, double RadiusArcsec) cone) =>
        JsonRead.Double(item["meanra"]) is { } ra && JsonRead.Double(item["meandec"]) is { } dec
        && Angles.Separation(cone.Ra, cone.Dec, ra, dec) * 3600 <= cone.RadiusArcsec + 1e-3;

    public override async Task<JsonObject?> FetchAlertAsync(string alertId, CancellationToken cancellationToken)
    {
        if (AlerceLsst.IsLsstId(alertId))
        {
            return await FetchLsstObjectAsync(alertId, cancellationToken);
        }
        try
        {
            return await GetJsonAsync($"objects/{Uri.EscapeDataString(alertId)}", cancellationToken) as JsonObject
                   ?? throw new BrokerException($"ALeRCE sent object {alertId} as something other than a JSON object.");
        }
        catch (BrokerHttpException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The object with its probabilities (as <c>probabilities</c>, when ALeRCE has any).</summary>
    private async Task<JsonObject?> FetchLsstObjectAsync(string oid, CancellationToken cancellationToken)
    {
        JsonObject obj;
        try
        {
            obj = await GetLsstAsync(AlerceLsst.ObjectQuery(oid), cancellationToken) as JsonObject
                  ?? throw new BrokerException($"ALeRCE (LSST) sent object {oid} as something other than a JSON object.");
        }
        catch (BrokerHttpException e) when (e.Status is HttpStatusCode.NotFound
                                            || e.Status == HttpStatusCode.InternalServerError && (e.TechnicalDetail ?? e.Message).EndsWith(": An error occurred", StringComparison.Ordinal))
        {
            // The API has no 404 for an unknown object: its lookup raises, and the answer is 500 {"detail": "An error occurred"}.
            return null;
        }
        try
        {
            if (await GetLsstAsync(AlerceLsst.ProbabilityQuery(oid), cancellationToken) is JsonArray probabilities)
            {
                obj["probabilities"] = probabilities;
            }
        }
        catch (BrokerHttpException e) when (e.Status == HttpStatusCode.NotFound)
        {
            // 404 "Probability not found for the given OID": an object not classified yet.
        }
        return obj;
    }

    public override GenericAlert ToGenericAlert(JsonObject alert)
    {
        if (AlerceLsst.IsLsstObject(alert))
        {
            return AlerceLsst.ToGenericAlert(Name, alert);
        }
        var oid = JsonRead.String(alert["oid"]) ?? "";
        var latest = AlerceDetails.LatestZtf(alert[AlerceDetails.MagstatsKey]);
        var ownMag = JsonRead.Double(alert["magpsf"]) ?? JsonRead.Double(alert["mag"]);
        return new GenericAlert
        {
            Id = oid,
            Name = oid,
            Ra = JsonRead.Double(alert["meanra"]),
            Dec = JsonRead.Double(alert["meandec"]),
            Timestamp = JsonRead.Double(alert["lastmjd"]) is { } lastMjd ? AstroTime.FromMjd(lastMjd) : null,
            Url = ObjectPageUrl + Uri.EscapeDataString(oid),
            // The object list carries no magnitude any more: DescribeAsync adds the object's magstats; a payload with
            // its own magnitude keeps it.
            Mag = latest?.Mag ?? ownMag,
            Band = latest?.Band ?? (ownMag is null ? null : Band(alert)),
            Score = JsonRead.Double(alert["probability"]),
            Classification = JsonRead.String(alert["class"]),
            FirstDetection = AlerceDetails.Mjd(alert["firstmjd"], tai: false),
            LastDetection = AlerceDetails.Mjd(alert["lastmjd"], tai: false),
            Detections = AlerceDetails.Count(alert["ndet"]),
            Classifications = AlerceDetails.Classifications(Name, alert, "class", "classifier"),
        };
    }

    /// <summary>A listing row has one classifier's top class and no magnitude; an opened object has every class and its latest magnitude.</summary>
    public bool LacksDetails(GenericAlert alert) =>
        alert.Mag is null || alert.Classifications.Count <= 1;

    /// <summary>
    /// ZTF: the object's <c>magstats</c> (one row per band, with its last magnitude: far lighter than the light curve) and
    /// <c>probabilities</c> (every classifier, with version and ranking). LSST: its detections and probabilities.
    /// The two calls go out together; an object ALeRCE has no rows for (404) keeps what the listing gave.
    /// </summary>
    public async Task<GenericAlert> DescribeAsync(GenericAlert alert, JsonObject raw, CancellationToken cancellationToken)
    {
        var oid = alert.Id;
        var row = (JsonObject)raw.DeepClone();
        if (AlerceLsst.IsLsstId(oid))
        {
            var detectionsTask = OrNotFound(() => GetLsstAsync(AlerceLsst.DetectionsQuery(oid), cancellationToken));
            var probabilitiesTask = OrNotFound(() => GetLsstAsync(AlerceLsst.ProbabilityQuery(oid), cancellationToken));
            var (mag, band) = AlerceDetails.LatestLsst(await detectionsTask);
            row[AlerceLsst.LastMagKey] = mag;
            row[AlerceLsst.LastBandKey] = band;
            if (await probabilitiesTask is JsonArray lsstProbabilities)
            {
                row[AlerceDetails.ProbabilitiesKey] = lsstProbabilities;
            }
        }
        else
        {
            var escaped = Uri.EscapeDataString(oid);
            var magstatsTask = OrNotFound(() => GetJsonAsync($"objects/{escaped}/magstats", cancellationToken));
            var probabilitiesTask = OrNotFound(() => GetJsonAsync($"objects/{escaped}/probabilities", cancellationToken));
            if (await magstatsTask is JsonArray magstats)
            {
                row[AlerceDetails.MagstatsKey] = magstats;
            }
            if (await probabilitiesTask is JsonArray probabilities)
            {
                row[AlerceDetails.ProbabilitiesKey] = probabilities;
            }
        }
        var described = ToGenericAlert(row);
        return alert with
        {
            Mag = described.Mag ?? alert.Mag,
            Band = described.Mag is null ? alert.Band : described.Band,
            Classifications = described.Classifications.Count > alert.Classifications.Count ? described.Classifications : alert.Classifications,
            FirstDetection = alert.FirstDetection ?? described.FirstDetection,
            LastDetection = alert.LastDetection ?? described.LastDetection,
            Detections = alert.Detections ?? described.Detections,
        };
    }

    private static async Task<JsonNode?> OrNotFound(Func<Task<JsonNode?>> call)
    {
        try
        {
            return await call();
        }
        catch (BrokerHttpException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public override TargetCandidate ToTarget(JsonObject alert)
    {
        if (AlerceLsst.IsLsstObject(alert))
        {
            var lsst = AlerceLsst.ToGenericAlert(Name, alert);
            return new TargetCandidate { Name = lsst.Name, Ra = lsst.Ra, Dec = lsst.Dec, Extras = AlerceLsst.Extras(alert) };
        }
        var extras = new Dictionary<string, string>();
        foreach (var key in new[] { "class", "classifier" })
        {
            if (JsonRead.String(alert[key]) is { } text)
            {
                extras[key] = text;
            }
        }
        foreach (var key in new[] { "probability", "ndet", "ndethist", "firstmjd", "lastmjd" })
        {
            if (JsonRead.Double(alert[key]) is { } number)
            {
                extras[key] = number.ToString("R", CultureInfo.InvariantCulture);
            }
        }
        var generic = ToGenericAlert(alert);
        return new TargetCandidate { Name = generic.Name, Ra = generic.Ra, Dec = generic.Dec, Extras = extras };
    }

    public override async Task<IReadOnlyList<PhotometryPoint>> ProcessReducedDataAsync(string alertId, JsonObject? alert, CancellationToken cancellationToken)
    {
        if (AlerceLsst.IsLsstId(alertId))
        {
            return AlerceLsst.Points(await GetLsstAsync(AlerceLsst.LightCurveQuery(alertId), cancellationToken));
        }
        var lightCurve = await GetJsonAsync($"objects/{Uri.EscapeDataString(alertId)}/lightcurve", cancellationToken);
        var points = new List<PhotometryPoint>();
        // Rows omit null keys (skip_none), so every field may be missing.
        foreach (var row in JsonRead.Objects(lightCurve?["detections"]))
        {
            if (JsonRead.Double(row["mjd"]) is { } mjd && JsonRead.Double(row["magpsf"]) is { } mag && Band(row) is { } band)
            {
                points.Add(new PhotometryPoint
                {
                    Timestamp = AstroTime.FromMjd(mjd),
                    Bandpass = band,
                    Magnitude = mag,
                    MagnitudeError = JsonRead.Double(row["sigmapsf"]),
                    Telescope = "ZTF",
                    Kind = PhotometryKind.Detection,
                    Survey = "ZTF",
                    SourceId = JsonRead.Long(row["candid"])?.ToString(CultureInfo.InvariantCulture),
                });
            }
        }
        // diffmaglim is the limit of a non-detection, never a magnitude (TOM issue #1193).
        foreach (var row in JsonRead.Objects(lightCurve?["non_detections"]))
        {
            if (JsonRead.Double(row["mjd"]) is { } mjd && JsonRead.Double(row["diffmaglim"]) is { } limit && Band(row) is { } band)
            {
                points.Add(new PhotometryPoint { Timestamp = AstroTime.FromMjd(mjd), Bandpass = band, Limit = limit, Telescope = "ZTF", Kind = PhotometryKind.Limit, Survey = "ZTF" });
            }
        }
        return points;
    }

    /// <summary>
    /// ZTF: <c>get_stamp?oid&amp;candid&amp;type&amp;format=fits</c> of the stamp service (gzipped FITS), for the first
    /// detection that has a stamp, as ALeRCE's own client picks it. LSST: <c>stamps_api/stamp</c> of the multisurvey
    /// API (plain FITS), for the first detection (by time) with <c>has_stamp</c>.
    /// </summary>
    public async Task<Stamp?> FetchStampAsync(string alertId, JsonObject alert, StampKind kind, CancellationToken cancellationToken)
    {
        var lsst = AlerceLsst.IsLsstId(alertId);
        if (await StampDetectionAsync(alertId, lsst, cancellationToken) is not { } detection)
        {
            return null;
        }
        var oid = Uri.EscapeDataString(alertId);
        var url = lsst
            ? new Uri(LsstBaseUrl, $"{AlerceLsst.StampPath}?oid={oid}&measurement_id={detection}&stamp_type=cutout{kind}&file_format=fits&survey_id={AlerceLsst.Survey}")
            : new Uri(StampsBaseUrl, $"get_stamp?oid={oid}&candid={detection}&type={kind.ToString().ToLowerInvariant()}&format=fits");
        return await GetStampAsync(url, cancellationToken);
    }

    /// <summary>The candid (ZTF) or measurement_id (LSST) of the object's first detection with a stamp; null when it has none.</summary>
    private async Task<string?> StampDetectionAsync(string oid, bool lsst, CancellationToken cancellationToken)
    {
        var key = $"alerce:stamp-detection:{(lsst ? LsstBaseUrl : Http.BaseAddress)}:{oid}";
        if (cache.TryGetValue(key, out string? known))
        {
            return known;
        }
        JsonNode? detections;
        try
        {
            detections = lsst
                ? await GetLsstAsync(AlerceLsst.DetectionsQuery(oid), cancellationToken)
                : await GetJsonAsync($"objects/{Uri.EscapeDataString(oid)}/detections", cancellationToken);
        }
        catch (BrokerHttpException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
        var withStamp = JsonRead.Objects(detections as JsonArray ?? detections?["detections"])
            .Where(d => JsonRead.Bool(d["has_stamp"]) == true);
        // ZTF candids grow with time, so the smallest is the first; LSST ids do not, so time decides there.
        var first = lsst
            ? withStamp.Select(d => (Id: JsonRead.Long(d["measurement_id"]), Mjd: JsonRead.Double(d["mjd"]) ?? double.MaxValue))
                .Where(d => d.Id is not null).OrderBy(d => d.Mjd).Select(d => d.Id).FirstOrDefault()
            : withStamp.Select(d => JsonRead.Long(d["candid"])).Where(c => c is not null).Min();
        var id = first?.ToString(CultureInfo.InvariantCulture);
        cache.Set(key, id, StampDetectionCacheDuration);
        return id;
    }

    private static string? Band(JsonObject row) =>
        JsonRead.Long(row["fid"]) is { } fid ? AlerceDetails.ZtfBand(fid) : null;
}
