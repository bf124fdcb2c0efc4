using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Alerce;

[Broker("ALeRCE", DefaultBaseUrl = "https://api.alerce.online/ztf/v1")]
public sealed class AlerceBroker(HttpClient http, BrokerSettings settings, IMemoryCache cache, ILogger<AlerceBroker> logger)
    : BrokerBase(http, settings), IConeSearchable
{
    public static readonly TimeSpan ClassifiersCacheDuration = TimeSpan.FromHours(1);

    private const string ObjectPageUrl = "https://alerce.online/object/";

    private static readonly Dictionary<long, string> Bands = new() { [1] = "g", [2] = "r", [3] = "i" };

    public override string? DocsUrl => "https://alerce.science/";

    public override string ScoreDescription =>
        "The ALeRCE classifier's probability (0 to 1) for the class shown, from the classifier the query filtered on "
        + "(ALeRCE's light-curve classifier when it filtered on none).";

    /// <summary>Per base URL, so two configurations never share a list.</summary>
    internal string ClassifiersCacheKey => $"alerce:classifiers:{Http.BaseAddress}";

    public JsonObject ConeParameters(double ra, double dec, double radiusArcsec) =>
        new() { ["ra"] = ra, ["dec"] = dec, ["radius"] = radiusArcsec };

    public override async Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(ClassifiersCacheKey, out IReadOnlyList<AlerceClassifierInfo>? cached) && cached is not null)
        {
            return AlerceForm.Build(cached, null);
        }
        try
        {
            var classifiers = AlerceClassifierInfo.FromJson(await GetJsonAsync("classifiers/", cancellationToken));
            cache.Set(ClassifiersCacheKey, classifiers, ClassifiersCacheDuration);
            return AlerceForm.Build(classifiers, null);
        }
        catch (BrokerException e)
        {
            logger.LogWarning("ALeRCE classifier list could not be loaded: {Reason}", e.Message);
            return AlerceForm.Build(null, e.Message);
        }
    }

    public override async IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filters = AlerceQuery.Filters(parameters);
        var maxPages = AlerceQuery.MaxPages(parameters);
        var cone = AlerceQuery.Cone(parameters);
        var outside = 0;
        for (var page = 1; page <= maxPages; page++)
        {
            feedback.SetStatus($"Fetching ALeRCE page {page} of at most {maxPages}");
            var response = await GetJsonAsync(AlerceQuery.PageUrl(filters, page), cancellationToken) as JsonObject
                           ?? throw new BrokerException("ALeRCE sent an object list that is not a JSON object.");
            var items = JsonRead.Objects(response["items"]).ToList();
            (response["items"] as JsonArray)?.Clear(); // detach, so callers may store the items elsewhere
            if (items.Count == 0)
            {
                break;
            }
            foreach (var item in items)
            {
                if (cone is { } c && !InCone(item, c))
                {
                    outside++; // the server searched another cone, or none: the answer is not the one asked for
                    continue;
                }
                yield return item;
            }
            // has_next is reliable only when the server counted; without a total a full page means "maybe more".
            var more = JsonRead.Bool(response["has_next"]) == true
                       || (response["total"] is null && items.Count == AlerceQuery.PageSize);
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

    /// <summary>Within the searched cone by true angular separation (a milliarcsecond of slack for rounding).</summary>
    private static bool InCone(JsonObject item, (double Ra, double Dec, double RadiusArcsec) cone) =>
        JsonRead.Double(item["meanra"]) is { } ra && JsonRead.Double(item["meandec"]) is { } dec
        && Angles.Separation(cone.Ra, cone.Dec, ra, dec) * 3600 <= cone.RadiusArcsec + 1e-3;

    public override async Task<JsonObject?> FetchAlertAsync(string alertId, CancellationToken cancellationToken)
    {
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

    public override GenericAlert ToGenericAlert(JsonObject alert)
    {
        var oid = JsonRead.String(alert["oid"]) ?? "";
        return new GenericAlert
        {
            Id = oid,
            Name = oid,
            Ra = JsonRead.Double(alert["meanra"]),
            Dec = JsonRead.Double(alert["meandec"]),
            Timestamp = JsonRead.Double(alert["lastmjd"]) is { } lastMjd ? AstroTime.FromMjd(lastMjd) : null,
            Url = ObjectPageUrl + Uri.EscapeDataString(oid),
            // The object list carries no magnitude any more; keep one if a future payload has it.
            Mag = JsonRead.Double(alert["magpsf"]) ?? JsonRead.Double(alert["mag"]),
            Score = JsonRead.Double(alert["probability"]),
            Classification = JsonRead.String(alert["class"]),
        };
    }

    public override TargetCandidate ToTarget(JsonObject alert)
    {
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

    private static string? Band(JsonObject row) =>
        JsonRead.Long(row["fid"]) is { } fid ? Bands.GetValueOrDefault(fid) ?? $"fid{fid}" : null;
}
