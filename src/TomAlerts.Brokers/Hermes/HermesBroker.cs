using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Hermes;

/// <summary>
/// Hermes (LCO/SCiMMA), read through its REST API as the server defines it (not as tom_hermes calls it): every route
/// needs the account's API token, <c>Authorization: Token …</c>; lists page by <c>limit</c>/<c>offset</c> (100 at most)
/// in DRF's <c>{count, next, previous, results}</c>. An events query lists <c>nonlocalizedevents/</c>, an alert per
/// event showing its latest sequence; a messages query lists <c>messages/</c>, an alert per target of each message. The
/// server's message items carry only their id, uuid, referenced events and targets (with positions): title, authors,
/// topic, publication time and photometry are not part of them.
/// </summary>
[Broker("Hermes", DefaultBaseUrl = "https://hermes.lco.global/api/v0/")]
public sealed partial class HermesBroker(HttpClient http, BrokerSettings settings) : BrokerBase(http, settings), IConeSearchable, IFiltersAlerts
{
    /// <summary>A stream's filter: event id, dates, cone and target name apply to each alert of the kind they search.</summary>
    public IReadOnlyDictionary<string, string> CheckFilter(JsonObject parameters) => HermesFilter.Check(parameters);

    public bool Matches(JsonObject parameters, JsonObject alert) => HermesFilter.Matches(parameters, alert);

    /// <summary>The messages whose targets lie in the cone (Hermes's <c>cone_search</c> takes degrees).</summary>
    public JsonObject ConeParameters(double ra, double dec, double radiusArcsec) => new()
    {
        [HermesForm.Kind] = HermesForm.Messages,
        [HermesForm.Cone] = string.Join(", ", Number(ra), Number(dec), Number(radiusArcsec / 3600)),
    };

    public const string ApiKeySetting = "api_key";

    public const string NotConfiguredMessage =
        "Requires an `api_key` in settings.BROKERS['HERMES']: the API token shown on your Hermes profile (https://hermes.lco.global/profile).";

    /// <summary>The server's page size (<c>PAGE_SIZE</c> of its <c>LimitOffsetPagination</c>); a larger limit is cut to it.</summary>
    public const int PageSize = 100;

    public override string? DocsUrl => "https://github.com/LCOGT/hermes";

    public override string ScoreDescription =>
        "Events: the probability of the most probable class (BNS, NSBH, BBH, Terrestrial) in the latest sequence; the Classification "
        + "column shows the sequence type, that class and the false-alarm rate. Messages have no score; their Classification column lists the events they reference.";

    public override BrokerStatus Status => new(Settings.Missing(ApiKeySetting));

    // The attribute gives a default base URL, so there always is one.
    private Uri ApiUrl => Settings.BaseUrl!;

    public override Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken) =>
        Task.FromResult(HermesForm.Create(ApiUrl.ToString()));

    public override async IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Settings[ApiKeySetting] is null)
        {
            throw new BrokerNotConfiguredException(NotConfiguredMessage);
        }
        var messages = HermesForm.IsMessages(parameters);
        var max = (int)Math.Clamp(parameters.GetLong(HermesForm.MaxResults) ?? HermesForm.DefaultMaxResults, 1, HermesForm.MaxMaxResults);
        var found = false;
        await foreach (var item in ListAsync(messages ? "messages/" : "nonlocalizedevents/", Filters(parameters, messages), max, feedback, cancellationToken))
        {
            if (!messages)
            {
                found = true;
                yield return item;
                continue;
            }
            foreach (var alert in HermesMessage.PerTarget(item))
            {
                found = true;
                yield return alert;
            }
        }
        if (!found)
        {
            feedback.Add(messages ? "Hermes found no messages with targets for this query." : "Hermes found no events for this query.");
        }
    }

    private static List<(string Name, string Value)> Filters(JsonObject parameters, bool messages)
    {
        var filters = new List<(string, string)>();
        if (parameters.GetString(HermesForm.EventId) is { } eventId)
        {
            filters.Add(("event_id_exact", eventId));
        }
        if (messages)
        {
            if (parameters.GetString(HermesForm.Cone) is { } text && HermesForm.ParseCone(text, out _) is var (ra, dec, radius))
            {
                // Rounded to 10⁻⁸° (a milliarcsecond is 3·10⁻⁷°), so a sexagesimal input gives no binary noise in the URL.
                filters.Add(("cone_search", string.Join(",", new[] { ra, dec, radius }.Select(v => Number(Math.Round(v, 8))))));
            }
            if (parameters.GetString(HermesForm.TargetName) is { } name)
            {
                filters.Add(("target_name", name));
            }
            return filters;
        }
        foreach (var (key, filter) in new[] { (HermesForm.PublishedAfter, "created_after"), (HermesForm.PublishedBefore, "created_before") })
        {
            if (parameters.GetString(key) is { } text && HermesForm.ParseTime(text) is { } time)
            {
                filters.Add((filter, time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
            }
        }
        return filters;
    }

    /// <summary>
    /// A route's items, page after page while the answer has a <c>next</c>, up to <paramref name="max"/>. The next page is
    /// asked at our own address with the next offset rather than at the <c>next</c> URL, so the token only ever goes to
    /// the configured service (DRF builds <c>next</c> from the host it believes it has).
    /// </summary>
    private async IAsyncEnumerable<JsonObject> ListAsync(string route, List<(string Name, string Value)> filters, int max, FetchFeedback feedback,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var offset = 0; ;)
        {
            var limit = Math.Min(PageSize, max - offset);
            var query = filters.Append(("limit", Number(limit))).Append(("offset", Number(offset)));
            var page = await GetAsync(route + "?" + string.Join("&", query.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}")), cancellationToken);
            var results = JsonRead.Objects(page?["results"]).ToList();
            // Detached from the answer, so each item is a document of its own.
            (page?["results"] as JsonArray)?.Clear();
            foreach (var item in results)
            {
                yield return item;
            }
            offset += results.Count;
            if (JsonRead.String(page?["next"]) is null || results.Count == 0)
            {
                yield break;
            }
            if (offset >= max)
            {
                feedback.Add($"Stopped after {offset} of {JsonRead.Long(page?["count"])?.ToString(CultureInfo.InvariantCulture) ?? "more"} results (the query's maximum).");
                yield break;
            }
        }
    }

    private async Task<JsonNode?> GetAsync(string relativeUrl, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, relativeUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", Settings[ApiKeySetting]);
        try
        {
            return await SendJsonAsync(request, cancellationToken);
        }
        catch (BrokerHttpException e) when (e.Status == HttpStatusCode.Forbidden)
        {
            // No or a wrong token is 403 (the server's first authenticator is the session one, which sends no challenge).
            throw new BrokerHttpException(e.Status, $"{e.Message} It is the API token on your Hermes profile.",
                $"{e.TechnicalDetail} Check {Settings.Section.Path}:{ApiKeySetting}, the API token on your Hermes profile.");
        }
    }

    public override GenericAlert ToGenericAlert(JsonObject alert) =>
        HermesMessage.IsMessageAlert(alert) ? HermesMessage.ToGenericAlert(alert, ApiUrl) : HermesEvent.ToGenericAlert(Name, alert);

    public override TargetCandidate ToTarget(JsonObject alert) =>
        HermesMessage.IsMessageAlert(alert) ? HermesMessage.ToTarget(alert) : HermesEvent.ToTarget(alert);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
