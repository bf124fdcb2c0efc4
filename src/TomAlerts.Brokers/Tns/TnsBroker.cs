using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Tns;

/// <summary>
/// The Transient Name Server: one search, then one object request (with photometry) per result, paced by
/// TNS's rate-limit headers. Waits go through <see cref="TimeProvider"/>, so tests need not sleep.
/// </summary>
// TNS requests are paced here, by the rate-limit headers of every answer (see TnsApi).
[Broker("TNS", DefaultBaseUrl = "https://www.wis-tns.org/api", BaseUrlKey = "tns_base_url", PacesItself = true, NamesObjects = true)]
public sealed partial class TnsBroker(HttpClient http, BrokerSettings settings, TimeProvider timeProvider, IMemoryCache cache, ILogger<TnsBroker> logger)
    : BrokerBase(http, settings), IConeSearchable, ISubmitsTargets, IChecksSubmissions
{
    public const string ApiKeySetting = "api_key";
    public const string BotIdSetting = "bot_id";
    public const string BotNameSetting = "bot_name";
    /// <summary>The signal-to-noise ratio below which a reported flux is a limit; <see cref="TnsPhotometry.DefaultMinFluxSnr"/> by default.</summary>
    public const string MinFluxSnrSetting = "min_flux_snr";

    private const string SearchMethod = "get/search";
    private const string ObjectMethod = "get/object";

    private TnsApi? _api;

    public override string DocsUrl => "https://www.wis-tns.org/content/tns-getting-started";

    public override string ScoreDescription =>
        "TNS gives no score. The Classification column shows the TNS object type (e.g. SN Ia) once the object is classified.";

    public override BrokerStatus Status => new(Settings.Missing(ApiKeySetting, BotIdSetting, BotNameSetting));

    public override Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken) =>
        Task.FromResult(TnsForm.Create(DocsUrl));

    public JsonObject ConeParameters(double ra, double dec, double radiusArcsec) =>
        new() { [TnsForm.Ra] = ra, [TnsForm.Dec] = dec, [TnsForm.Radius] = radiusArcsec, [TnsForm.Units] = "arcsec" };

    public override async IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var api = Api();
        var search = TnsSearch.From(parameters, timeProvider.GetUtcNow());
        var found = await PostAsync(api, SearchMethod, search.Data, feedback, cancellationToken);
        var rows = JsonRead.Objects(found)
            .Select(r => (ObjName: JsonRead.String(r["objname"]), Prefix: JsonRead.String(r["prefix"])))
            .Where(r => r.ObjName is not null)
            .DistinctBy(r => r.ObjName, StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (rows.Count == 0)
        {
            feedback.Add("TNS found no objects for this query.");
        }

        var filteredOut = 0;
        foreach (var (objName, prefix) in rows)
        {
            var obj = await FetchObjectAsync(api, objName!, feedback, cancellationToken);
            if (obj is null)
            {
                continue;
            }
            if (JsonRead.String(obj["name_prefix"]) is null && prefix is not null)
            {
                obj["name_prefix"] = prefix;
            }
            if (search.DaysFromNondet is { } maxDays && !TnsObject.DetectedWithinDaysOfNondetection(obj, maxDays, MinFluxSnr))
            {
                filteredOut++;
                continue;
            }
            yield return obj;
        }
        if (filteredOut > 0)
        {
            feedback.Add($"{filteredOut} object(s) left out: first detected {search.DaysFromNondet} days or more after the last non-detection.");
        }
    }

    public override Task<JsonObject?> FetchAlertAsync(string alertId, CancellationToken cancellationToken) =>
        FetchObjectAsync(Api(), TnsForm.WithoutPrefix(alertId), null, cancellationToken);

    public override GenericAlert ToGenericAlert(JsonObject alert)
    {
        var (ra, dec) = TnsObject.Position(alert);
        var objName = TnsObject.ObjName(alert) ?? "";
        var type = TnsObject.Type(alert);
        // The newest detection of the object's photometry when the reply has it, else the discovery magnitude.
        var detections = alert["photometry"] is JsonArray
            ? TnsPhotometry.Read(alert, SafeMinFluxSnr).Points.Where(p => p.Magnitude is not null).ToList()
            : null;
        var latest = detections?.MaxBy(p => p.Timestamp);
        var discoveryMag = JsonRead.Double(alert["discoverymag"]);
        return new GenericAlert
        {
            Id = objName,
            Name = TnsObject.Name(alert),
            Ra = ra,
            Dec = dec,
            Mag = latest?.Magnitude ?? discoveryMag,
            Band = latest is not null ? latest.Bandpass : discoveryMag is null ? null : TnsObject.DiscoveryFilter(alert),
            Timestamp = TnsObject.DiscoveryDate(alert),
            Url = objName.Length == 0 ? null : new Uri(SiteUrl, $"object/{Uri.EscapeDataString(objName)}").ToString(),
            Classification = type,
            Score = null,
            FirstDetection = TnsObject.DiscoveryDate(alert),
            LastDetection = latest?.Timestamp,
            Detections = detections?.Count,
            Classifications = type is null ? [] : [new AlertClassification(Name, "tns_type", null, type, null)],
        };
    }

    /// <summary>The configured threshold, or the default when the setting is unusable: reading an alert never fails on it.</summary>
    private double SafeMinFluxSnr
    {
        get
        {
            try
            {
                return MinFluxSnr;
            }
            catch (BrokerException)
            {
                return TnsPhotometry.DefaultMinFluxSnr;
            }
        }
    }

    public override TargetCandidate ToTarget(JsonObject alert)
    {
        var (ra, dec) = TnsObject.Position(alert);
        var name = TnsObject.Name(alert);
        var aliases = TnsObject.InternalNames(alert).ToList();
        // The bare name as well: the prefix changes from AT to SN when a classification arrives.
        if (TnsObject.ObjName(alert) is { } objName)
        {
            aliases.Add(objName);
        }

        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                extras[key] = value;
            }
        }
        Add("type", TnsObject.Type(alert));
        Add("redshift", TnsObject.Number(alert["redshift"]));
        Add("host_redshift", TnsObject.Number(alert["host_redshift"]));
        Add("hostname", JsonRead.String(alert["hostname"]));
        Add("discovery_date", JsonRead.String(alert["discoverydate"]));
        Add("discovery_mag", TnsObject.Number(alert["discoverymag"]));
        Add("reporting_group", TnsObject.GroupName(alert["reporting_group"]));
        Add("discoverer", JsonRead.String(alert["discoverer"]));

        return new TargetCandidate
        {
            Name = name,
            Ra = ra,
            Dec = dec,
            Extras = extras,
            Aliases = aliases.Where(a => !string.Equals(a, name, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        };
    }

    public override async Task<IReadOnlyList<PhotometryPoint>> ProcessReducedDataAsync(string alertId, JsonObject? alert, CancellationToken cancellationToken)
    {
        if (alert?["photometry"] is not JsonArray)
        {
            alert = await FetchAlertAsync(alertId, cancellationToken);
        }
        if (alert is null)
        {
            return [];
        }
        var (points, leftOut) = TnsPhotometry.Read(alert, MinFluxSnr);
        if (leftOut.Count > 0)
        {
            LogUnitsLeftOut(logger, leftOut.Count, TnsObject.Name(alert), string.Join(", ", leftOut.Distinct()));
        }
        return points.OrderBy(p => p.Timestamp).ToList();
    }

    /// <summary>BROKERS:TNS:min_flux_snr, or 3; a value that is not a positive number is a configuration error, said as such.</summary>
    private double MinFluxSnr =>
        Settings[MinFluxSnrSetting] is not { } text ? TnsPhotometry.DefaultMinFluxSnr
        : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var snr) && snr > 0 && double.IsFinite(snr) ? snr
        : throw new BrokerException($"{Settings.Section.Path}:{MinFluxSnrSetting} must be a positive number (the signal-to-noise ratio below which a flux is a limit), not \"{text}\".");

    [LoggerMessage(Level = LogLevel.Information,
        Message = "TNS: {Count} photometry point(s) of {Name} left out: no AB magnitude can be derived from {Units} without a wavelength or zero point, which TNS does not send")]
    private static partial void LogUnitsLeftOut(ILogger logger, int count, string name, string units);

    /// <summary>The public site beside the configured API, so a sandbox API links to sandbox object pages.</summary>
    private Uri SiteUrl
    {
        get
        {
            // The attribute gives a default base URL, so there always is one.
            var api = Settings.BaseUrl!;
            return api.AbsolutePath.EndsWith("/api/", StringComparison.OrdinalIgnoreCase) ? new Uri(api, "..") : new Uri(api, "/");
        }
    }

    private TnsApi Api()
    {
        if (_api is not null)
        {
            return _api;
        }
        var missing = Status.MissingSettings;
        if (missing.Count > 0)
        {
            throw new BrokerNotConfiguredException(
                $"TNS is not configured: {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing. "
                + $"Create a TNS bot and put its API key, id and name in these settings; see {DocsUrl}");
        }
        var bot = new TnsBot(Settings[ApiKeySetting]!, Settings[BotIdSetting]!, Settings[BotNameSetting]!);
        return _api = new TnsApi(Name, bot, timeProvider, logger);
    }

    /// <summary>POSTs to <paramref name="method"/> (e.g. "get/search") when TNS's window allows, and returns the reply's payload.</summary>
    private async Task<JsonNode?> PostAsync(TnsApi api, string method, JsonObject data, FetchFeedback? feedback, CancellationToken cancellationToken)
    {
        var (status, body) = await ExchangeAsync(api, method, () => api.CreateRequest(method, data), feedback, cancellationToken);
        return (int)status is >= 200 and < 300 ? api.Payload(ParseJson(body)) : throw Failure(status, body);
    }

    /// <summary>Sends a request when TNS's window allows, waiting out a 429 (bounded); any other answer is returned as it came.</summary>
    private async Task<(HttpStatusCode Status, string Body)> ExchangeAsync(TnsApi api, string method, Func<HttpRequestMessage> create,
        FetchFeedback? feedback, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await api.WaitForWindowAsync(method, feedback, cancellationToken);
            using var request = create();
            using var response = await SendAsync(request, cancellationToken);
            var body = await ReadBodyAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                if (attempt >= TnsApi.MaxRetries)
                {
                    throw new BrokerHttpException(response.StatusCode,
                        $"{Name}'s request limit is used up. Still limited after {TnsApi.MaxRetries} waits; try again later.",
                        Failure(response.StatusCode, body).TechnicalDetail);
                }
                api.Limited(response);
                continue;
            }
            api.Answered(response);
            return (response.StatusCode, body);
        }
    }

    private async Task<JsonObject?> FetchObjectAsync(TnsApi api, string objName, FetchFeedback? feedback, CancellationToken cancellationToken)
    {
        var data = new JsonObject { ["objname"] = objName, ["objid"] = "", ["photometry"] = "1", ["spectra"] = "0" };
        var reply = await PostAsync(api, ObjectMethod, data, feedback, cancellationToken) as JsonObject;
        if (reply is not null && TnsObject.ObjName(reply) is not null)
        {
            return reply;
        }
        var reason = reply is null ? null : TnsObject.NotFoundMessage(reply);
        feedback?.Add($"TNS has no object {objName}{(reason is null ? "" : $" ({reason})")}; it was skipped.");
        return null;
    }
}
