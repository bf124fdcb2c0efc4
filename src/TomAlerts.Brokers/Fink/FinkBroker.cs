using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Fink;

/// <summary>
/// Fink, for ZTF (the default) or LSST (<c>survey=lsst</c>: Fink's LSST API under <c>lsst_base_url</c>, through the same
/// client, ADR-006). Every call is a POST with a JSON body; replies are lists of alert rows, grouped into one alert per
/// object. No key is needed.
/// </summary>
[Broker("Fink", DefaultBaseUrl = "https://api.ztf.fink-portal.org")]
public sealed class FinkBroker(HttpClient http, BrokerSettings settings, IMemoryCache cache, TimeProvider time, ILogger<FinkBroker> logger)
    : BrokerBase(http, settings), IConeSearchable, IListsSummaries, IServesStamps, IFiltersAlerts
{
    /// <summary>The settings key of Fink's LSST API, a second service beside <c>base_url</c> (ZTF).</summary>
    public const string LsstBaseUrlKey = "lsst_base_url";

    public const string LsstDefaultBaseUrl = "https://api.lsst.fink-portal.org";

    public static readonly TimeSpan TagsCacheDuration = TimeSpan.FromHours(1);

    /// <summary>What a ZTF search asks for of each alert (tom_fink's columns, with the band and error).</summary>
    /// <summary>What a ZTF search asks for of each alert: position, photometry, history and every module's score.</summary>
    internal const string ZtfColumns = "i:candid,d:rf_snia_vs_nonia,i:ra,i:dec,i:jd,i:fid,i:magpsf,i:sigmapsf,i:objectId,d:cdsxmatch,"
        + "i:jdstarthist,i:ndethist,d:snn_snia_vs_nonia,d:snn_sn_vs_all,d:mulens,d:rf_kn_vs_nonkn";

    internal const string ZtfLightCurveColumns = "i:candid,i:jd,i:fid,i:magpsf,i:sigmapsf,i:diffmaglim";

    internal const string LsstObjectColumns =
        "r:diaObjectId,r:ra,r:dec,r:nDiaSources,r:firstDiaSourceMjdTai,r:lastDiaSourceMjdTai,r:g_psfFluxMax,r:r_psfFluxMax,f:firstDiaSourceMjdTaiFink";

    /// <summary>What an LSST cone or tag search asks for of each alert (its diaSource).</summary>
    internal const string LsstAlertColumns =
        "r:diaObjectId,r:diaSourceId,r:ra,r:dec,r:midpointMjdTai,r:band,r:psfFlux,r:psfFluxErr,f:clf_earlySNIa_score,f:main_label_crossmatch,"
        + "r:nDiaSources,r:firstDiaSourceMjdTai";

    internal const string LsstSourceColumns =
        "r:diaObjectId,r:diaSourceId,r:midpointMjdTai,r:band,r:psfFlux,r:psfFluxErr,r:scienceFlux,r:reliability,r:isNegative,f:clf_earlySNIa_score";

    internal const string LsstForcedColumns = "r:diaObjectId,r:midpointMjdTai,r:band,r:psfFlux,r:psfFluxErr";

    /// <summary>The most alerts a class search by date asks for (tom_fink's number).</summary>
    internal const int ClassSearchDateLimit = 1000;

    public override string? DocsUrl => "https://fink-portal.org";

    public override string ScoreDescription =>
        $"Fink's early SN Ia classifier: for ZTF {FinkRows.ZtfScore} (random forest, probability 0 to 1), for LSST "
        + $"{FinkRows.LsstScore}; the newest alert of the object that has one.";

    internal Uri ZtfBaseUrl => Settings.BaseUrl!;

    internal Uri LsstBaseUrl => Settings.Url(LsstBaseUrlKey, LsstDefaultBaseUrl)!;

    internal string TagsCacheKey => $"fink:lsst-tags:{LsstBaseUrl}";

    protected override string SourceName(Uri? requestUri) =>
        requestUri is { IsAbsoluteUri: true } uri && LsstBaseUrl.IsBaseOf(uri) ? $"{Name} (LSST)" : Name;

    public JsonObject ConeParameters(double ra, double dec, double radiusArcsec) =>
        new() { [FinkForm.Cone] = string.Join(", ", Number(ra), Number(dec), Number(radiusArcsec)) };

    public override async Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken)
    {
        var (tags, error) = await TagsAsync(cancellationToken);
        return FinkForm.Create(tags, error);
    }

    /// <summary>The LSST tags Fink's API can search (<c>"API support": true</c>), from the cache or the service.</summary>
    private Task<(IReadOnlyList<(string Name, string Description)>? Tags, string? Error)> TagsAsync(CancellationToken cancellationToken) =>
        FormLists.GetAsync<IReadOnlyList<(string Name, string Description)>>(cache, TagsCacheKey, TagsCacheDuration, async () =>
        {
            var answer = await GetJsonAsync(Api(true, "tags"), cancellationToken) as JsonObject
                         ?? throw new BrokerException("Fink (LSST) sent a tag list that is not a JSON object.");
            return answer
                .Where(t => t.Value is JsonObject info && JsonRead.Bool(info["API support"]) != false)
                .Select(t => (t.Key, JsonRead.String(t.Value!["description"]) ?? ""))
                .ToList();
        }, logger, "Fink LSST tag list");

    public override async IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var errors = new FormErrors();
        if (FinkSearch.Read(parameters, errors) is not { } search)
        {
            feedback.Add(string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value).Distinct()));
            yield break;
        }
        var (route, body, searched) = Request(search);
        feedback.SetStatus($"Asking {SourceName(Api(search.Lsst, route))} for {route}");
        var alerts = FinkRows.ByObject(await PostAsync(Api(search.Lsst, route), body, cancellationToken), searched);
        feedback.SetStatus(null);
        if (alerts.Count == 0)
        {
            feedback.Add($"{SourceName(Api(search.Lsst, route))} found no alerts for this query.");
        }
        foreach (var alert in alerts)
        {
            yield return alert;
        }
    }

    /// <summary>The route and JSON body of a search, and the class or tag it asks for.</summary>
    private (string Route, JsonObject Body, string? Searched) Request(FinkSearch search)
    {
        switch (search.Kind)
        {
            case FinkSearchKind.Object when search.Lsst:
                // The id must be a string: the server splits it on commas, and a number makes it fail (500).
                return ("objects", new() { ["diaObjectId"] = string.Join(",", search.Ids), ["columns"] = LsstObjectColumns }, null);
            case FinkSearchKind.Object:
                return ("objects", new() { ["objectId"] = string.Join(",", search.Ids), ["columns"] = ZtfColumns }, null);
            case FinkSearchKind.Cone:
                var cone = new JsonObject
                {
                    ["ra"] = search.Ra, ["dec"] = search.Dec, ["radius"] = search.RadiusArcsec,
                    ["columns"] = search.Lsst ? LsstAlertColumns : ZtfColumns,
                };
                if (search is { StartDate: { } start, WindowDays: { } window })
                {
                    cone["startdate"] = Date(start);
                    cone["window"] = window;
                }
                return ("conesearch", cone, null);
            case FinkSearchKind.Class:
                var latests = new JsonObject { ["class"] = search.Name, ["n"] = search.Count ?? ClassSearchDateLimit, ["columns"] = ZtfColumns };
                if (search.Days is { } days)
                {
                    var now = time.GetUtcNow().UtcDateTime;
                    latests["startdate"] = Date(now.AddDays(-days));
                    latests["stopdate"] = Date(now);
                }
                return ("latests", latests, search.Name);
            default:
                var tag = new JsonObject { ["tag"] = search.Name, ["columns"] = LsstAlertColumns };
                if (search.Count is { } n)
                {
                    tag["n"] = n;
                }
                return ("tags", tag, search.Name);
        }
    }

    /// <summary>A search row without a position (a server that left out a column asked for) is completed from the object.</summary>
    /// <summary>A stream's filter: survey, object ids, cone and class apply to each alert; searches of Fink's archive (dates, tags, counts) do not.</summary>
    public IReadOnlyDictionary<string, string> CheckFilter(JsonObject parameters) => FinkFilter.Check(parameters);

    public bool Matches(JsonObject parameters, JsonObject alert) => FinkFilter.Matches(parameters, alert);

    public bool IsSummary(JsonObject alert) => FinkRows.Position(alert) is not ({ }, { });

    /// <summary>The object's alert: an all-digit id asks Fink's LSST API for its diaObject, any other the ZTF API for its alerts.</summary>
    public override async Task<JsonObject?> FetchAlertAsync(string alertId, CancellationToken cancellationToken)
    {
        var lsst = FinkRows.IsLsstId(alertId);
        var body = lsst
            ? new JsonObject { ["diaObjectId"] = alertId, ["columns"] = LsstObjectColumns }
            : new JsonObject { ["objectId"] = alertId, ["columns"] = ZtfColumns };
        return FinkRows.ByObject(await PostAsync(Api(lsst, "objects"), body, cancellationToken), null).FirstOrDefault();
    }

    public override GenericAlert ToGenericAlert(JsonObject alert)
    {
        var id = FinkRows.Id(alert) ?? "";
        var lsst = FinkRows.IsLsst(alert);
        var (ra, dec) = FinkRows.Position(alert);
        var mag = lsst ? FinkRows.LsstMagnitude(alert) : JsonRead.Double(alert["i:magpsf"]);
        var (first, last) = FinkRows.DetectionSpan(alert);
        return new GenericAlert
        {
            Id = id,
            Name = id,
            Ra = ra,
            Dec = dec,
            Mag = mag,
            Band = mag is null ? null : FinkRows.Band(alert),
            Timestamp = FinkRows.Time(alert),
            Score = FinkRows.Score(alert),
            Classification = FinkRows.Classification(alert),
            FirstDetection = first,
            LastDetection = last,
            Detections = FinkRows.DetectionCount(alert),
            Classifications = FinkRows.Classifications(Name, alert),
            Url = id.Length == 0 ? null : $"https://{(lsst ? "lsst" : "ztf")}.fink-portal.org/{Uri.EscapeDataString(id)}",
        };
    }

    public override TargetCandidate ToTarget(JsonObject alert)
    {
        var generic = ToGenericAlert(alert);
        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                extras[key] = value;
            }
        }
        Add("fink_classification", generic.Classification);
        Add(FinkRows.AlertCount, JsonRead.String(alert[FinkRows.AlertCount]));
        Add("nDiaSources", JsonRead.String(alert["r:nDiaSources"]));
        return new TargetCandidate { Name = generic.Name, Ra = generic.Ra, Dec = generic.Dec, Extras = extras };
    }

    /// <summary>
    /// ZTF: every alert of the object with its upper limits (<c>withupperlim</c> is compared as the text "True").
    /// LSST: the diaSources (detections) and the forced photometry (<c>fp</c>).
    /// </summary>
    public override async Task<IReadOnlyList<PhotometryPoint>> ProcessReducedDataAsync(string alertId, JsonObject? alert, CancellationToken cancellationToken)
    {
        if (alert?[FinkRows.StreamLightCurve] is JsonArray streamed)
        {
            // A streamed alert carries its history: the photometry is read from it, without a call to Fink.
            var own = JsonRead.Objects(streamed);
            return (FinkRows.IsLsstId(alertId)
                    ? FinkRows.LsstPoints(own, PhotometryKind.Detection).Concat(FinkRows.LsstPoints(JsonRead.Objects(alert[FinkRows.StreamForced]), PhotometryKind.Forced))
                    : FinkRows.ZtfPoints(own))
                .OrderBy(p => p.Timestamp)
                .ToList();
        }
        if (!FinkRows.IsLsstId(alertId))
        {
            var rows = await PostAsync(Api(false, "objects"),
                new() { ["objectId"] = alertId, ["columns"] = ZtfLightCurveColumns, ["withupperlim"] = "True" }, cancellationToken);
            return FinkRows.ZtfPoints(rows).OrderBy(p => p.Timestamp).ToList();
        }
        var sources = await PostAsync(Api(true, "sources"), new() { ["diaObjectId"] = alertId, ["columns"] = LsstSourceColumns }, cancellationToken);
        var forced = await PostAsync(Api(true, "fp"), new() { ["diaObjectId"] = alertId, ["columns"] = LsstForcedColumns }, cancellationToken);
        return FinkRows.LsstPoints(sources, PhotometryKind.Detection)
            .Concat(FinkRows.LsstPoints(forced, PhotometryKind.Forced))
            .OrderBy(p => p.Timestamp)
            .ToList();
    }

    /// <summary>
    /// <c>/api/v1/cutouts</c> as FITS (the server's default is a PNG it stretched itself), so every broker's stamps get the
    /// portal's one stretch. ZTF: the alert's candid (the newest alert when the payload has none); LSST: the diaSource of
    /// the alert, or the object's newest when the payload is an object row.
    /// </summary>
    public async Task<Stamp?> FetchStampAsync(string alertId, JsonObject alert, StampKind kind, CancellationToken cancellationToken)
    {
        var lsst = FinkRows.IsLsstId(alertId);
        var body = new JsonObject { ["kind"] = kind.ToString(), ["output-format"] = "FITS" };
        if (lsst)
        {
            if ((FinkRows.ExactId(alert["r:diaSourceId"]) ?? await NewestDiaSourceAsync(alertId, cancellationToken)) is not { } diaSourceId)
            {
                return null;
            }
            body["diaSourceId"] = diaSourceId;
        }
        else
        {
            body["objectId"] = alertId;
            if (FinkRows.ExactId(alert["i:candid"]) is { } candid && candid != "-1")
            {
                body["candid"] = candid;
            }
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, Api(lsst, "cutouts"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        return await GetStampAsync(request, cancellationToken);
    }

    private async Task<string?> NewestDiaSourceAsync(string diaObjectId, CancellationToken cancellationToken)
    {
        var rows = await PostAsync(Api(true, "sources"), new() { ["diaObjectId"] = diaObjectId, ["columns"] = "r:diaSourceId,r:midpointMjdTai" }, cancellationToken);
        return rows.OrderByDescending(r => JsonRead.Double(r["r:midpointMjdTai"]) ?? double.MinValue)
            .Select(r => FinkRows.ExactId(r["r:diaSourceId"])).FirstOrDefault(id => id is not null);
    }

    private Uri Api(bool lsst, string route) => new(lsst ? LsstBaseUrl : ZtfBaseUrl, "api/v1/" + route);

    private async Task<List<JsonObject>> PostAsync(Uri url, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        var answer = await SendJsonAsync(request, cancellationToken);
        return answer is JsonArray
            ? JsonRead.Objects(answer).ToList()
            : throw new BrokerException($"{SourceName(url)} sent an answer that is not a list of alerts: {BrokerHttp.Snippet(answer?.ToJsonString() ?? "null")}");
    }

    private static string Date(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
