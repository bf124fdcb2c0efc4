using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers;

/// <summary>
/// Defaults for the optional parts of <see cref="IBroker"/>, as TOM's GenericBroker has them, and the one place
/// brokers read HTTP answers: success as JSON or text, failures as a <see cref="BrokerException"/> whose message a
/// user can read (the broker's own error text where it sent one). A broker class carries a <see cref="BrokerAttribute"/>
/// and receives its own HTTP client and settings section.
/// </summary>
public abstract class BrokerBase(HttpClient http, BrokerSettings settings) : IBroker
{
    public const string DefaultScoreDescription =
        "The meaning of this field changes between brokers, please consult this broker's documentation.";

    protected HttpClient Http { get; } = http;

    protected BrokerSettings Settings { get; } = settings;

    public string Name => GetType().GetCustomAttribute<BrokerAttribute>()?.Name ?? GetType().Name;

    public virtual bool IsStub => false;

    public virtual string? DocsUrl => null;

    public virtual string ScoreDescription => DefaultScoreDescription;

    public virtual BrokerStatus Status => BrokerStatus.Configured;

    public abstract Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback, CancellationToken cancellationToken);

    public virtual Task<JsonObject?> FetchAlertAsync(string alertId, CancellationToken cancellationToken) =>
        Task.FromResult<JsonObject?>(null);

    public abstract GenericAlert ToGenericAlert(JsonObject alert);

    public virtual TargetCandidate ToTarget(JsonObject alert)
    {
        var generic = ToGenericAlert(alert);
        return new TargetCandidate { Name = generic.Name, Ra = generic.Ra, Dec = generic.Dec };
    }

    public virtual Task<IReadOnlyList<PhotometryPoint>> ProcessReducedDataAsync(string alertId, JsonObject? alert, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PhotometryPoint>>([]);

    protected async Task<JsonNode?> GetJsonAsync(string relativeUrl, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, relativeUrl);
        return await SendJsonAsync(request, cancellationToken);
    }

    /// <summary>A GET of an absolute URL (a broker's second service, see <see cref="BrokerSettings.Url"/>) through the same client.</summary>
    protected async Task<JsonNode?> GetJsonAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendJsonAsync(request, cancellationToken);
    }

    /// <summary>
    /// Who answered <paramref name="requestUri"/>, as messages name it: the broker's name, or for a broker with two
    /// services the one called ("ALeRCE (LSST)").
    /// </summary>
    protected virtual string SourceName(Uri? requestUri) => Name;

    protected async Task<string> GetTextAsync(string relativeUrl, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, relativeUrl);
        return await SendForBodyAsync(request, cancellationToken);
    }

    protected async Task<JsonNode?> SendJsonAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return ParseJson(await SendForBodyAsync(request, cancellationToken));
    }

    /// <summary>
    /// A GET whose JSON answer is parsed from its UTF-8 bytes into a <see cref="JsonDocument"/> (no string of the
    /// page, no node tree): for result pages whose items are handed out with their own text (<see cref="RawItems"/>).
    /// Failures are the same broker errors as <see cref="GetJsonAsync(string, CancellationToken)"/>'s. The caller disposes it.
    /// </summary>
    protected async Task<JsonDocument> GetJsonDocumentAsync(string relativeUrl, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, relativeUrl);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await ReadBodyAsync(response, cancellationToken);
            throw response.StatusCode == HttpStatusCode.TooManyRequests ? RateLimited(request, response, body) : Failure(response.StatusCode, body, request.RequestUri);
        }
        var name = SourceName(request.RequestUri);
        byte[] data;
        try
        {
            data = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerException(BrokerMessages.Timeout(name, null), $"{name} did not finish its answer in time.");
        }
        catch (HttpRequestException e)
        {
            throw new BrokerException(BrokerMessages.CutOff(name), $"{name}'s answer was cut off: {e.Message}");
        }
        try
        {
            return JsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            throw new BrokerException(BrokerMessages.Unreadable(Name),
                $"{Name} sent a response that is not JSON: {BrokerHttp.Snippet(System.Text.Encoding.UTF8.GetString(data))}");
        }
    }

    /// <summary>
    /// The objects of a JSON array, each with its own text as received (nulls and non-objects skipped). Each object is
    /// a copy independent of <paramref name="array"/>'s document, read lazily when a property is first asked for.
    /// </summary>
    protected static List<RawAlert> RawItems(JsonElement array)
    {
        var items = new List<RawAlert>(array.ValueKind == JsonValueKind.Array ? array.GetArrayLength() : 0);
        if (array.ValueKind != JsonValueKind.Array)
        {
            return items;
        }
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                items.Add(new RawAlert(JsonObject.Create(item.Clone())!, item.GetRawText()));
            }
        }
        return items;
    }

    /// <summary>Sends a request, turning timeouts and connection failures into readable broker errors.</summary>
    protected async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var name = SourceName(request.RequestUri);
        try
        {
            return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerException(BrokerMessages.Timeout(name, Http.Timeout == Timeout.InfiniteTimeSpan ? null : Http.Timeout),
                $"{name} did not answer in time: the call was given up before an answer came.");
        }
        catch (Polly.Timeout.TimeoutRejectedException e)
        {
            throw new BrokerException(BrokerMessages.Timeout(name, e.Timeout), $"{name} did not answer in time: no answer within {BrokerMessages.Seconds(e.Timeout)} s.");
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException)
        {
            var circuit = Settings.Circuits?[Name];
            var pause = circuit is { Since: { } since, RetryAt: { } retryAt } ? retryAt - since : (TimeSpan?)null;
            var last = circuit?.Reason is { } reason ? $" The last failure: {reason}." : "";
            throw new BrokerException(BrokerMessages.Paused(name, pause), $"The circuit breaker of {name} is open: several calls in a row failed.{last}");
        }
        catch (HttpRequestException e)
        {
            throw new BrokerException(BrokerMessages.Unreachable(name), $"Could not reach {name}: {e.Message}");
        }
    }

    protected async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var name = SourceName(response.RequestMessage?.RequestUri);
        try
        {
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerException(BrokerMessages.Timeout(name, null), $"{name} did not finish its answer in time.");
        }
        catch (HttpRequestException e)
        {
            throw new BrokerException(BrokerMessages.CutOff(name), $"{name}'s answer was cut off: {e.Message}");
        }
    }

    /// <summary>No cutout a broker serves comes near this (ZTF's are about 10 kB gzipped, LSST's tens of kB); a larger answer is refused.</summary>
    public const int MaxStampBytes = 8 * 1024 * 1024;

    /// <summary>
    /// A cutout image through the broker's client: null when the broker has none (404, or an empty or JSON answer
    /// instead of an image), a <see cref="BrokerException"/> with the broker's words for any other failure.
    /// </summary>
    protected async Task<Stamp?> GetStampAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Accept.ParseAdd("image/png, image/jpeg, application/fits, application/octet-stream;q=0.9, */*;q=0.5");
        using var response = await SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            var body = await ReadBodyAsync(response, cancellationToken);
            throw response.StatusCode == HttpStatusCode.TooManyRequests ? RateLimited(request, response, body) : Failure(response.StatusCode, body, request.RequestUri);
        }
        var name = SourceName(request.RequestUri);
        if (response.Content.Headers.ContentLength > MaxStampBytes)
        {
            throw TooLarge(name);
        }
        byte[] data;
        try
        {
            data = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerException(BrokerMessages.Timeout(name, null), $"{name} did not finish its answer in time.");
        }
        catch (HttpRequestException e)
        {
            throw new BrokerException(BrokerMessages.CutOff(name), $"{name}'s answer was cut off: {e.Message}");
        }
        if (data.Length > MaxStampBytes)
        {
            throw TooLarge(name);
        }
        var contentType = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
        // Some services answer "nothing for this alert" with 200 and a JSON or empty body rather than a 404.
        return data.Length == 0 || contentType.Contains("json", StringComparison.OrdinalIgnoreCase) ? null : new Stamp(data, contentType);
    }

    /// <summary>A GET of a cutout at an absolute URL (see <see cref="GetStampAsync(HttpRequestMessage, CancellationToken)"/>).</summary>
    protected async Task<Stamp?> GetStampAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await GetStampAsync(request, cancellationToken);
    }

    /// <summary>
    /// An image address found in a broker's payload, when it is one to follow: absolute http(s) only, so a payload can
    /// never send the portal to a file or another scheme.
    /// </summary>
    protected static Uri? ImageUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) ? url : null;

    private static BrokerException TooLarge(string name) =>
        new($"{name} sent a cutout larger than {MaxStampBytes / (1024 * 1024)} MB; it was not shown.");

    /// <summary>The error for an answer with a failure status, in the broker's own words where its body has some.</summary>
    protected BrokerHttpException Failure(HttpStatusCode status, string body, Uri? requestUri = null)
    {
        var name = SourceName(requestUri);
        var technical = BrokerHttp.DescribeFailure(name, status, body);
        return new(status, BrokerHttp.ForUser(name, status, body, $"{Settings.Section.Path}:api_key"), technical);
    }

    protected JsonNode? ParseJson(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            throw new BrokerException(BrokerMessages.Unreadable(Name), $"{Name} sent a response that is not JSON: {BrokerHttp.Snippet(body)}");
        }
    }

    private async Task<string> SendForBodyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, cancellationToken);
        var body = await ReadBodyAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw RateLimited(request, response, body);
        }
        return response.IsSuccessStatusCode ? body : throw Failure(response.StatusCode, body, request.RequestUri);
    }

    /// <summary>The error for a 429 that the resilience pipeline did not wait out: the quota is used up until the reset the broker gave.</summary>
    protected BrokerRateLimitException RateLimited(HttpRequestMessage request, HttpResponseMessage response, string body)
    {
        var resetsAt = Resilience.RateLimitHeaders.ResetsAt(request, response);
        var name = SourceName(request.RequestUri);
        return new(Name, resetsAt, BrokerMessages.RateLimited(name, resetsAt), BrokerHttp.DescribeFailure(name, response.StatusCode, body));
    }

    /// <summary>Ends the stream at once; for stubs and brokers that found nothing to ask.</summary>
    protected static async IAsyncEnumerable<JsonObject> NoAlerts([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        cancellationToken.ThrowIfCancellationRequested();
        yield break;
    }
}
