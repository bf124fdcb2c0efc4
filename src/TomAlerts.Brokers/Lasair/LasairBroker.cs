using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Lasair;

/// <summary>
/// Lasair, for ZTF (the default) or LSST (<c>survey=lsst</c>: Lasair's LSST service, its own address and key, ADR-006).
/// Lasair-ZTF: a cone or SQL search gives a list row per object (the <c>objects</c> table's columns, from
/// <c>/api/query/</c>, a page of rows per call), and that row is the raw alert a run stores. The object page
/// (<c>/api/object/</c>, one call per object) is fetched only for a target: a normal token allows 100 calls an hour.
/// The token goes only in the Authorization header, so it never appears in a URL, log line or message. LSST works the
/// same way on its service's <c>cone/</c>, <c>query/</c> and <c>object/</c>, with its own token, through the same client
/// (so its calls share the broker's resilience pipeline, rate-limit handling and call log).
/// </summary>
[Broker("Lasair", DefaultBaseUrl = "https://lasair-ztf.lsst.ac.uk")]
public sealed class LasairBroker(HttpClient http, BrokerSettings settings) : BrokerBase(http, settings), IConeSearchable, IListsSummaries, IServesStamps, IFiltersAlerts
{
    public const string ApiKeySetting = "api_key";

    /// <summary>Lasair-LSST's own token: accounts and tokens of Lasair-ZTF do not work there.</summary>
    public const string LsstApiKeySetting = "lsst_api_key";

    /// <summary>The settings key of Lasair's LSST API, a second service beside <c>base_url</c> (ZTF).</summary>
    public const string LsstBaseUrlKey = "lsst_base_url";

    public const string LsstDefaultBaseUrl = "https://api.lasair.lsst.ac.uk/api/";

    public const string NotConfiguredMessage =
        "Requires a `api_key` in settings.BROKERS['LASAIR']. Log in or create an account at https://lasair-ztf.lsst.ac.uk/ to acquire an API token.";

    public const string LsstNotConfiguredMessage =
        "LSST queries require a `lsst_api_key` in settings.BROKERS['LASAIR'] (Lasair-ZTF tokens do not work there). "
        + "Log in or create an account at https://lasair.lsst.ac.uk/ to acquire an API token.";

    /// <summary>
    /// The rows asked for per <c>/api/query/</c> call. Lasair silently caps <c>limit</c> at the token's tier (1000 for
    /// the public token, 10,000 for a personal one), so a page is never asked larger than the smallest cap: a short page
    /// then always means the last one.
    /// </summary>
    public const int QueryPageSize = 1000;

    /// <summary>Lasair refuses <c>conditions</c> longer than this (its serializer's max_length).</summary>
    public const int MaxConditionsLength = 4096;

    private const string Telescope = "ZTF";

    public override string? DocsUrl => new Uri(SiteUrl, "api").ToString();

    public override string ScoreDescription =>
        "Lasair gives no score. The Classification column shows Sherlock's contextual classification (SN, NT, AGN, CV, VS, ...) "
        + "when the SQL conditions use sherlock_classifications; a target created from an alert always gets it.";

    /// <summary>ZTF (the default survey, and the cone search) needs <c>api_key</c>; a missing LSST key only limits the broker.</summary>
    public override BrokerStatus Status => new(Settings.Missing(ApiKeySetting))
    {
        Note = (Settings[ApiKeySetting], Settings[LsstApiKeySetting]) switch
        {
            (not null, null) => $"Configured for ZTF; LSST queries need {Settings.Missing(LsstApiKeySetting)[0]}.",
            (null, not null) => "Configured for LSST only.",
            _ => null,
        },
    };

    // The attribute gives a default base URL, so there always is one.
    private Uri SiteUrl => Settings.BaseUrl!;

    /// <summary>LSST calls go to absolute URLs under this address through the broker's one client.</summary>
    internal Uri LsstBaseUrl => Settings.Url(LsstBaseUrlKey, LsstDefaultBaseUrl)!;

    /// <summary>The settings key of Lasair-LSST's web site, which serves the cutouts (<c>fits/…</c>) the API's object names.</summary>
    public const string LsstSiteUrlKey = "lsst_site_url";

    public const string LsstDefaultSiteUrl = "https://lasair.lsst.ac.uk/";

    internal Uri LsstSiteUrl => Settings.Url(LsstSiteUrlKey, LsstDefaultSiteUrl)!;

    protected override string SourceName(Uri? requestUri) =>
        requestUri is { IsAbsoluteUri: true } uri && LsstBaseUrl.IsBaseOf(uri) ? $"{Name} (LSST)" : Name;

    public override Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken) =>
        Task.FromResult(LasairForm.Create(DocsUrl!));

    public JsonObject ConeParameters(double ra, double dec, double radiusArcsec) =>
        new() { [LasairForm.Ra] = ra, [LasairForm.Dec] = dec, [LasairForm.Radius] = radiusArcsec };

    /// <summary>A stream's filter: the survey and the cone apply to each object; the SQL conditions were Lasair's own filter already.</summary>
    public IReadOnlyDictionary<string, string> CheckFilter(JsonObject parameters) => LasairFilter.Check(parameters);

    public bool Matches(JsonObject parameters, JsonObject alert) => LasairFilter.Matches(parameters, alert);

    public override async IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lsst = LasairLsst.IsLsst(parameters);
        RequireKey(lsst);
        var search = LasairSearch.From(parameters);
        if (search.IsCone)
        {
            if (search.Sql is not null)
            {
                feedback.Add("Both a cone and an SQL query were given; Lasair was searched by the cone only.");
            }
            var radius = search.RadiusArcsec ?? 10;
            var hits = await ConeSearchAsync(lsst, search.Ra!.Value, search.Dec!.Value, radius, cancellationToken);
            if (hits.Count == 0)
            {
                feedback.Add($"No objects found within {Number(radius)} arcsec of RA {Number(search.Ra.Value)}, Dec {Number(search.Dec.Value)}.");
            }
            await foreach (var row in ConeRowsAsync(lsst, hits, feedback, cancellationToken))
            {
                yield return row;
            }
        }
        else if (search.Sql is not null)
        {
            var found = false;
            await foreach (var row in SqlSearchAsync(lsst, search.Sql, cancellationToken))
            {
                found = true;
                yield return row;
            }
            if (!found)
            {
                feedback.Add($"No objects found with conditions: {search.Sql}");
            }
        }
        else
        {
            feedback.Add(LasairForm.EitherConeOrSql);
        }
    }

    /// <summary>A run stores the list row of each object; a target needs the object page (light curve, TNS name).</summary>
    public bool IsSummary(JsonObject alert) =>
        LasairLsst.IsLsstObject(alert) ? !LasairLsst.IsObjectPage(alert) : !LasairObject.IsObjectPage(alert);

    /// <summary>An all-digit id is an LSST diaObjectId (ZTF ids start with "ZTF"), asked of the LSST service.</summary>
    public override async Task<JsonObject?> FetchAlertAsync(string alertId, CancellationToken cancellationToken)
    {
        var lsst = LasairLsst.IsLsstId(alertId);
        RequireKey(lsst);
        try
        {
            return lsst ? await FetchLsstObjectAsync(alertId, cancellationToken) : await FetchObjectAsync(alertId, cancellationToken);
        }
        catch (BrokerHttpException e) when (e.Status == HttpStatusCode.NotFound || lsst && IsLsstServerFault(e, "'diaObjectId'"))
        {
            // Lasair-LSST: an unknown object is 404 {"detail": "Not found."}; a failure inside its object reader becomes
            // 400 {"error": "'diaObjectId'"}, which says no more than that the object could not be given.
            return null;
        }
    }

    /// <summary>
    /// The LSST object with Lasair's additions (Sherlock, TNS). An object with a diaSource older than a year makes the
    /// server fail on its image URLs (400 <c>{"error": "'image_urls'"}</c>); then the raw rows are asked for, not lite,
    /// so the reply keeps the diaObject and its position, with the light curve but without Sherlock or TNS.
    /// </summary>
    private async Task<JsonObject?> FetchLsstObjectAsync(string objectId, CancellationToken cancellationToken)
    {
        try
        {
            return await GetLsstAsync(LasairLsst.ObjectPath, [("objectId", objectId), ("lite", "true"), ("lasair_added", "true")], cancellationToken) as JsonObject;
        }
        catch (BrokerHttpException e) when (IsLsstServerFault(e, "'image_urls'"))
        {
            return await GetLsstAsync(LasairLsst.ObjectPath, [("objectId", objectId), ("lite", "false"), ("lasair_added", "false")], cancellationToken) as JsonObject;
        }
    }

    /// <summary>
    /// The cutout (FITS) the object page names for its newest detection; the page is fetched when the run stored a list
    /// row. The images are public files on the web site: no token is sent with them.
    /// </summary>
    public async Task<Stamp?> FetchStampAsync(string alertId, JsonObject alert, StampKind kind, CancellationToken cancellationToken)
    {
        var lsst = LasairLsst.IsLsstId(alertId);
        var page = (lsst ? LasairLsst.IsObjectPage(alert) : LasairObject.IsObjectPage(alert)) ? alert : await FetchAlertAsync(alertId, cancellationToken);
        if (page is null)
        {
            return null;
        }
        var name = kind.ToString();
        var url = ImageUrl(lsst ? LasairLsst.ImageUrl(page, name, LsstSiteUrl) : LasairObject.ImageUrl(page, name));
        return url is null ? null : await GetStampAsync(url, cancellationToken);
    }

    /// <summary>A 400 <c>{"error": "'key'"}</c>: a Python KeyError inside the server, which it answers as an application error.</summary>
    private static bool IsLsstServerFault(BrokerHttpException e, string keyError) =>
        e.Status == HttpStatusCode.BadRequest && (e.TechnicalDetail ?? e.Message).EndsWith(": " + keyError, StringComparison.Ordinal);

    public override GenericAlert ToGenericAlert(JsonObject alert)
    {
        if (LasairLsst.IsLsstObject(alert))
        {
            return LsstGenericAlert(alert);
        }
        var id = LasairObject.Id(alert) ?? "";
        var (ra, dec) = Position(alert);
        var (mag, band, time) = LasairObject.IsObjectPage(alert) && LasairObject.LatestDetection(alert) is { } latest
            ? (latest.MagPsf, latest.MagPsf is null ? null : latest.Band, latest.Time)
            : LasairObject.LatestMagnitude(alert);
        var (first, last) = LasairObject.DetectionSpan(alert);
        var sherlock = LasairObject.SherlockClassification(alert);
        return new GenericAlert
        {
            Id = id,
            Name = id,
            Ra = ra,
            Dec = dec,
            Mag = mag,
            Band = band,
            Timestamp = time,
            Url = ObjectPage(id),
            Classification = sherlock,
            Score = null,
            FirstDetection = first,
            LastDetection = last,
            Detections = LasairObject.DetectionCount(alert),
            Classifications = LasairClassifications.Read(Name, sherlock, LasairObject.Data(alert), alert),
        };
    }

    private GenericAlert LsstGenericAlert(JsonObject alert)
    {
        var id = LasairLsst.Id(alert) ?? "";
        var (ra, dec) = LasairLsst.Position(alert);
        var mag = LasairLsst.LatestMagnitude(alert);
        var (first, last) = LasairLsst.DetectionSpan(alert);
        var sherlock = LasairLsst.SherlockClassification(alert);
        return new GenericAlert
        {
            Id = id,
            Name = id,
            Ra = ra,
            Dec = dec,
            Mag = mag,
            Band = mag is null ? null : LasairLsst.LatestBand(alert),
            Timestamp = LasairLsst.LastTime(alert),
            Url = id.Length == 0 ? null : LasairLsst.ObjectPage(id),
            Classification = sherlock,
            Score = null,
            FirstDetection = first,
            LastDetection = last,
            Detections = LasairLsst.DetectionCount(alert),
            Classifications = LasairClassifications.Read(Name, sherlock, LasairLsst.Data(alert), alert),
        };
    }

    public override TargetCandidate ToTarget(JsonObject alert)
    {
        if (LasairLsst.IsLsstObject(alert))
        {
            return LsstTarget(alert);
        }
        var id = LasairObject.Id(alert) ?? "";
        var (ra, dec) = Position(alert);
        var data = LasairObject.Data(alert);
        // Lasair's own galactic coordinates when it gives both; TargetCandidate derives them otherwise.
        var (lng, lat) = Both(JsonRead.Double(data?["glonmean"]), JsonRead.Double(data?["glatmean"]));

        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        AddExtra(extras, "sherlock_classification", LasairObject.SherlockClassification(alert));
        AddExtra(extras, "ncand", JsonRead.String(data?["ncand"]));
        var aliases = new List<string>();
        if (LasairObject.Tns(alert) is { } tns && LasairObject.TnsName(alert) is { } tnsName)
        {
            AddTns(extras, aliases, tnsName, JsonRead.String(tns["tns_name"]), tns);
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

    private static (double? Lng, double? Lat) Both(double? lng, double? lat) => lng is not null && lat is not null ? (lng, lat) : (null, null);

    /// <summary>Lasair's TNS cross-match as extras and aliases: the prefixed name, and the bare one, since TNS changes the prefix from AT to SN when a classification arrives.</summary>
    private static void AddTns(Dictionary<string, string> extras, List<string> aliases, string tnsName, string? bareName, JsonObject? tns)
    {
        AddExtra(extras, "tns_name", tnsName);
        AddExtra(extras, "tns_type", JsonRead.String(tns?["type"]));
        AddExtra(extras, "tns_redshift", JsonRead.String(tns?["z"]));
        aliases.Add(tnsName);
        if (bareName is not null && bareName != tnsName)
        {
            aliases.Add(bareName);
        }
    }

    private static TargetCandidate LsstTarget(JsonObject alert)
    {
        var id = LasairLsst.Id(alert) ?? "";
        var (ra, dec) = LasairLsst.Position(alert);
        var data = LasairLsst.Data(alert);
        var (lng, lat) = Both(JsonRead.Double(data?["g_lon"]), JsonRead.Double(data?["g_lat"]));

        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        AddExtra(extras, "sherlock_classification", LasairLsst.SherlockClassification(alert));
        AddExtra(extras, "nDiaSources", JsonRead.String(data?["nDiaSources"]));
        var aliases = new List<string>();
        if (LasairLsst.TnsName(alert) is { } tnsName)
        {
            AddTns(extras, aliases, tnsName, LasairLsst.BareTnsName(alert), LasairLsst.Tns(alert));
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
        if (LasairLsst.IsLsstId(alertId))
        {
            if (alert?["diaSourcesList"] is not JsonArray)
            {
                alert = await FetchAlertAsync(alertId, cancellationToken);
            }
            // Detections and forced photometry alike: LSST fluxes are nJy on one scale, and LSST sends no upper limits.
            return alert is null ? [] : LasairLsst.Points(alert);
        }
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

    private void RequireKey(bool lsst)
    {
        if (Settings[lsst ? LsstApiKeySetting : ApiKeySetting] is null)
        {
            throw new BrokerNotConfiguredException(lsst ? LsstNotConfiguredMessage : NotConfiguredMessage);
        }
    }

    private async Task<List<(string Id, double? Separation)>> ConeSearchAsync(bool lsst, double ra, double dec, double radiusArcsec,
        CancellationToken cancellationToken)
    {
        (string, string)[] query = [("ra", Number(ra)), ("dec", Number(dec)), ("radius", Number(radiusArcsec)), ("requestType", "all")];
        if (lsst)
        {
            return LasairLsst.ConeHits(await GetLsstAsync(LasairLsst.ConePath, query, cancellationToken));
        }
        var result = await GetAsync("api/cone/", query, cancellationToken);
        return JsonRead.Objects(result)
            .Select(r => (Id: JsonRead.String(r["object"]), Separation: JsonRead.Double(r["separation"])))
            .Where(h => h.Id is not null)
            .DistinctBy(h => h.Id, StringComparer.Ordinal)
            .Select(h => (h.Id!, h.Separation))
            .ToList();
    }

    /// <summary>The user's conditions, a page of list rows per call, until a short page says there are no more.</summary>
    private async IAsyncEnumerable<JsonObject> SqlSearchAsync(bool lsst, string conditions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Naming sherlock_classifications makes Lasair join it (an inner join on objectId): only then is its class asked for,
        // so a query on objects alone keeps exactly the rows it would give.
        var sherlock = LasairObject.NamesSherlockTable(conditions);
        for (var offset = 0; ; offset += QueryPageSize)
        {
            var rows = await QueryAsync(lsst, conditions, sherlock, QueryPageSize, offset, cancellationToken);
            foreach (var row in rows)
            {
                yield return row;
            }
            if (rows.Count < QueryPageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The cone's hits in its order, each the hit's list row with its separation: the rows of all hits come from one
    /// <c>/api/query/</c> call (more only when the ids overflow Lasair's length limit on conditions).
    /// </summary>
    private async IAsyncEnumerable<JsonObject> ConeRowsAsync(bool lsst, List<(string Id, double? Separation)> hits, FetchFeedback feedback,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Lasair rejects conditions containing "limit" or "offset" anywhere, so an id that happens to spell one is fetched
        // alone. LSST ids are numbers and never do.
        var listable = hits.Where(h => lsst || LasairObject.CanList(h.Id)).Select(h => h.Id).ToList();
        var rows = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var chunks = lsst ? LasairLsst.IdConditions(listable, MaxConditionsLength) : LasairObject.IdConditions(listable, MaxConditionsLength);
        foreach (var chunk in chunks)
        {
            foreach (var row in await QueryAsync(lsst, chunk.Conditions, sherlock: false, chunk.Count, 0, cancellationToken))
            {
                if ((lsst ? LasairLsst.Id(row) : LasairObject.Id(row)) is { } id)
                {
                    rows.TryAdd(id, row);
                }
            }
        }
        foreach (var (id, separation) in hits)
        {
            var row = rows.GetValueOrDefault(id) ?? (lsst || LasairObject.CanList(id) ? null : await FetchObjectAsync(id, cancellationToken));
            if (row is null)
            {
                feedback.Add($"Lasair returned nothing for object {id}; it was skipped.");
                continue;
            }
            row["separation"] = separation;
            yield return row;
        }
    }

    private async Task<List<JsonObject>> QueryAsync(bool lsst, string conditions, bool sherlock, int limit, int offset, CancellationToken cancellationToken)
    {
        (string, string)[] query =
        [
            ("selected", lsst ? LasairLsst.ListColumns(sherlock) : LasairObject.ListColumns(sherlock)),
            ("tables", sherlock ? "objects,sherlock_classifications" : "objects"),
            ("conditions", conditions), ("limit", limit.ToString(CultureInfo.InvariantCulture)),
            ("offset", offset.ToString(CultureInfo.InvariantCulture)),
        ];
        var result = lsst ? await GetLsstAsync(LasairLsst.QueryPath, query, cancellationToken) : await GetAsync("api/query/", query, cancellationToken);
        var rows = JsonRead.Objects(result).ToList();
        // Detached from the answer's array, so each row is a document of its own.
        (result as JsonArray)?.Clear();
        return rows;
    }

    private async Task<JsonObject?> FetchObjectAsync(string objectId, CancellationToken cancellationToken) =>
        await GetAsync("api/object/", [("objectId", objectId), ("lasair_added", "true")], cancellationToken) as JsonObject;

    private Task<JsonNode?> GetAsync(string method, (string Name, string Value)[] query, CancellationToken cancellationToken) =>
        GetAsync(new Uri(QueryString(method, query), UriKind.Relative), Settings[ApiKeySetting], cancellationToken);

    /// <summary>A method of the LSST service: an absolute URL under its address, with its own token, through the same client.</summary>
    private Task<JsonNode?> GetLsstAsync(string method, (string Name, string Value)[] query, CancellationToken cancellationToken) =>
        GetAsync(new Uri(LsstBaseUrl, QueryString(method, query)), Settings[LsstApiKeySetting], cancellationToken);

    private static string QueryString(string method, (string Name, string Value)[] query) =>
        method + "?" + string.Join("&", query.Append((Name: "format", Value: "json")).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));

    private async Task<JsonNode?> GetAsync(Uri url, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
        var result = await SendJsonAsync(request, cancellationToken);
        // Lasair reports some failures as {"error": ...}; the official client treats one in a 200 body as a failure too.
        if (result is JsonObject body && JsonRead.String(body["error"]) is { } error)
        {
            throw new BrokerException($"{SourceName(url)} answered with an error: {BrokerHttp.Snippet(error)}");
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
