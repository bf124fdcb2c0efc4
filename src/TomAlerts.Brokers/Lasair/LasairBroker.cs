using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Lasair;

/// <summary>
/// Lasair-ZTF: a cone or SQL search gives object ids, and each object page becomes one raw alert.
/// The token goes only in the Authorization header, so it never appears in a URL, log line or message.
/// </summary>
[Broker("Lasair", DefaultBaseUrl = "https://lasair-ztf.lsst.ac.uk")]
public sealed class LasairBroker(HttpClient http, BrokerSettings settings) : BrokerBase(http, settings), IConeSearchable
{
    public const string ApiKeySetting = "api_key";

    public const string NotConfiguredMessage =
        "Requires a `api_key` in settings.BROKERS['LASAIR']. Log in or create an account at https://lasair-ztf.lsst.ac.uk/ to acquire an API token.";

    /// <summary>TOM's limit on the rows an SQL search asks for; Lasair's own cap depends on the token's tier.</summary>
    public const int QueryLimit = 1000;

    private const string Telescope = "ZTF";

    public override string? DocsUrl => new Uri(SiteUrl, "api").ToString();

    public override string ScoreDescription =>
        "Lasair gives no score. The Classification column shows Sherlock's contextual classification (SN, NT, AGN, CV, VS, ...).";

    public override BrokerStatus Status => new(Settings.Missing(ApiKeySetting));

    // The attribute gives a default base URL, so there always is one.
    private Uri SiteUrl => Settings.BaseUrl!;

    public override Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken) =>
        Task.FromResult(LasairForm.Create(DocsUrl!));

    public JsonObject ConeParameters(double ra, double dec, double radiusArcsec) =>
        new() { [LasairForm.Ra] = ra, [LasairForm.Dec] = dec, [LasairForm.Radius] = radiusArcsec };

    public override async IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RequireApiKey();
        var search = LasairSearch.From(parameters);
        List<string> ids;
        if (search.IsCone)
        {
            if (search.Sql is not null)
            {
                feedback.Add("Both a cone and an SQL query were given; Lasair was searched by the cone only.");
            }
            var radius = search.RadiusArcsec ?? 10;
            ids = await ConeSearchAsync(search.Ra!.Value, search.Dec!.Value, radius, cancellationToken);
            if (ids.Count == 0)
            {
                feedback.Add($"No objects found within {Number(radius)} arcsec of RA {Number(search.Ra.Value)}, Dec {Number(search.Dec.Value)}.");
            }
        }
        else if (search.Sql is not null)
        {
            ids = await SqlSearchAsync(search.Sql, cancellationToken);
            if (ids.Count == 0)
            {
                feedback.Add($"No objects found with conditions: {search.Sql}");
            }
        }
        else
        {
            feedback.Add(LasairForm.EitherConeOrSql);
            yield break;
        }

        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var obj = await FetchObjectAsync(id, cancellationToken);
            if (obj is null)
            {
                feedback.Add($"Lasair returned nothing for object {id}; it was skipped.");
                continue;
            }
            yield return obj;
        }
    }

    public override async Task<JsonObject?> FetchAlertAsync(string alertId, CancellationToken cancellationToken)
    {
        RequireApiKey();
        try
        {
            return await FetchObjectAsync(alertId, cancellationToken);
        }
        catch (BrokerHttpException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public override GenericAlert ToGenericAlert(JsonObject alert)
    {
        var id = LasairObject.Id(alert) ?? "";
        var (ra, dec) = Position(alert);
        var latest = LasairObject.LatestDetection(alert);
        return new GenericAlert
        {
            Id = id,
            Name = id,
            Ra = ra,
            Dec = dec,
            Mag = latest?.MagPsf,
            Timestamp = latest?.Time,
            Url = ObjectPage(id),
            Classification = LasairObject.SherlockClassification(alert),
            Score = null,
        };
    }

    public override TargetCandidate ToTarget(JsonObject alert)
    {
        var id = LasairObject.Id(alert) ?? "";
        var (ra, dec) = Position(alert);
        var data = LasairObject.Data(alert);
        double? lng = JsonRead.Double(data?["glonmean"]);
        double? lat = JsonRead.Double(data?["glatmean"]);
        if ((lng is null || lat is null) && ra is not null && dec is not null)
        {
            (lng, lat) = Galactic.FromEquatorial(ra.Value, dec.Value);
        }

        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        AddExtra(extras, "sherlock_classification", LasairObject.SherlockClassification(alert));
        AddExtra(extras, "ncand", JsonRead.String(data?["ncand"]));
        var aliases = new List<string>();
        if (LasairObject.Tns(alert) is { } tns && LasairObject.TnsName(alert) is { } tnsName)
        {
            AddExtra(extras, "tns_name", tnsName);
            AddExtra(extras, "tns_type", JsonRead.String(tns["type"]));
            AddExtra(extras, "tns_redshift", JsonRead.String(tns["z"]));
            aliases.Add(tnsName);
            // The bare name as well: TNS changes the prefix from AT to SN when a classification arrives.
            if (JsonRead.String(tns["tns_name"]) is { } bare && bare != tnsName)
            {
                aliases.Add(bare);
            }
        }

        return new TargetCandidate
        {
            Name = id,
            Ra = ra,
            Dec = dec,
            GalacticLng = lng,
            GalacticLat = lat,
            Extras = extras,
            Aliases = aliases,
        };
    }

    public override async Task<IReadOnlyList<PhotometryPoint>> ProcessReducedDataAsync(string alertId, JsonObject? alert, CancellationToken cancellationToken)
    {
        if (alert?["candidates"] is not JsonArray)
        {
            alert = await FetchAlertAsync(alertId, cancellationToken);
        }
        if (alert is null)
        {
            return [];
        }
        // Forced photometry is left out: its fluxes are in DN against magzpsci, not magnitudes.
        return LasairObject.Candidates(alert).Select(ToPoint).OfType<PhotometryPoint>().OrderBy(p => p.Timestamp).ToList();
    }

    private static PhotometryPoint? ToPoint(LasairCandidate candidate)
    {
        if (candidate.IsDetection)
        {
            return candidate.MagPsf is { } mag
                ? new PhotometryPoint
                {
                    Timestamp = candidate.Time, Bandpass = candidate.Band, Magnitude = mag,
                    MagnitudeError = candidate.SigmaPsf, Telescope = Telescope,
                    Kind = PhotometryKind.Detection, Survey = "ZTF", SourceId = candidate.Candid?.ToString(CultureInfo.InvariantCulture),
                }
                : null;
        }
        // Lasair copies diffmaglim into magpsf for non-detections: that copy is a limit too, never a magnitude.
        return (candidate.DiffMagLim ?? candidate.MagPsf) is { } limit
            ? new PhotometryPoint { Timestamp = candidate.Time, Bandpass = candidate.Band, Limit = limit, Telescope = Telescope, Kind = PhotometryKind.Limit, Survey = "ZTF" }
            : null;
    }

    private void RequireApiKey()
    {
        if (Settings[ApiKeySetting] is null)
        {
            throw new BrokerNotConfiguredException(NotConfiguredMessage);
        }
    }

    private async Task<List<string>> ConeSearchAsync(double ra, double dec, double radiusArcsec, CancellationToken cancellationToken)
    {
        var result = await GetAsync("api/cone/", [
            ("ra", Number(ra)), ("dec", Number(dec)), ("radius", Number(radiusArcsec)), ("requestType", "all")], cancellationToken);
        return JsonRead.Objects(result).Select(r => JsonRead.String(r["object"])).OfType<string>().ToList();
    }

    private async Task<List<string>> SqlSearchAsync(string conditions, CancellationToken cancellationToken)
    {
        var result = await GetAsync("api/query/", [
            ("selected", "objectId"), ("tables", "objects"), ("conditions", conditions),
            ("limit", QueryLimit.ToString(CultureInfo.InvariantCulture))], cancellationToken);
        return JsonRead.Objects(result).Select(r => JsonRead.String(r["objectId"])).OfType<string>().ToList();
    }

    private async Task<JsonObject?> FetchObjectAsync(string objectId, CancellationToken cancellationToken) =>
        await GetAsync("api/object/", [("objectId", objectId), ("lasair_added", "true")], cancellationToken) as JsonObject;

    private async Task<JsonNode?> GetAsync(string method, (string Name, string Value)[] query, CancellationToken cancellationToken)
    {
        var url = method + "?" + string.Join("&", query.Append((Name: "format", Value: "json"))
            .Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", Settings[ApiKeySetting]);
        var result = await SendJsonAsync(request, cancellationToken);
        // Lasair reports some failures as {"error": ...}; the official client treats one in a 200 body as a failure too.
        if (result is JsonObject body && JsonRead.String(body["error"]) is { } error)
        {
            throw new BrokerException($"{Name} answered with an error: {BrokerHttp.Snippet(error)}");
        }
        return result;
    }

    private (double? Ra, double? Dec) Position(JsonObject alert)
    {
        var data = LasairObject.Data(alert);
        var ra = JsonRead.Double(data?["ramean"]);
        var dec = JsonRead.Double(data?["decmean"]);
        if (ra is null || dec is null)
        {
            // Without objectData (a page fetched without lasair_added) the newest detection still has a position.
            var latest = LasairObject.LatestDetection(alert);
            return (latest?.Ra, latest?.Dec);
        }
        return (ra, dec);
    }

    private string? ObjectPage(string id) =>
        id.Length == 0 ? null : new Uri(SiteUrl, $"objects/{Uri.EscapeDataString(id)}/").ToString();

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void AddExtra(Dictionary<string, string> extras, string key, string? value)
    {
        if (value is not null)
        {
            extras[key] = value;
        }
    }
}
