using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TomAlerts.Brokers;

/// <summary>
/// The one place brokers read HTTP answers: success as JSON, failures as a <see cref="BrokerException"/>
/// whose message a user can read (the broker's own error text where it sent one).
/// </summary>
public static partial class BrokerHttp
{
    private const int SnippetLength = 200;

    public static async Task<JsonNode?> GetJsonAsync(HttpClient http, string broker, string relativeUrl, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, relativeUrl);
        return await SendJsonAsync(http, broker, request, cancellationToken);
    }

    public static async Task<string> GetTextAsync(HttpClient http, string broker, string relativeUrl, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, relativeUrl);
        using var response = await SendAsync(http, broker, request, cancellationToken);
        var body = await ReadBodyAsync(broker, response, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BrokerException(DescribeFailure(broker, response.StatusCode, body));
        }
        return body;
    }

    public static async Task<JsonNode?> SendJsonAsync(HttpClient http, string broker, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await SendAsync(http, broker, request, cancellationToken);
        var body = await ReadBodyAsync(broker, response, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BrokerHttpException(response.StatusCode, DescribeFailure(broker, response.StatusCode, body));
        }
        return ParseJson(broker, body);
    }

    public static JsonNode? ParseJson(string broker, string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            throw new BrokerException($"{broker} sent a response that is not JSON: {Snippet(body)}");
        }
    }

    /// <summary>Sends a request, turning timeouts and connection failures into readable broker errors.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, string broker, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerException($"{broker} did not answer in time.");
        }
        catch (Polly.Timeout.TimeoutRejectedException)
        {
            throw new BrokerException($"{broker} did not answer in time.");
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException)
        {
            throw new BrokerException($"{broker} is failing repeatedly; requests are paused for a short while.");
        }
        catch (HttpRequestException e)
        {
            throw new BrokerException($"Could not reach {broker}: {e.Message}");
        }
    }

    private static async Task<string> ReadBodyAsync(string broker, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerException($"{broker} did not finish its answer in time.");
        }
        catch (HttpRequestException e)
        {
            throw new BrokerException($"{broker}'s answer was cut off: {e.Message}");
        }
    }

    /// <summary>"ALeRCE answered 404 Not Found: Object not found."; the broker's own message where its body has one.</summary>
    public static string DescribeFailure(string broker, HttpStatusCode status, string body)
    {
        var detail = ErrorText(body);
        var prefix = $"{broker} answered {(int)status} {ReasonPhrase(status)}";
        return detail is null ? prefix + "." : $"{prefix}: {detail}";
    }

    private static string? ErrorText(string body)
    {
        JsonNode? node = null;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
        }
        if (node is JsonObject o)
        {
            var parts = new List<string>();
            foreach (var key in new[] { "error", "message", "detail", "id_message", "text" })
            {
                if (o[key] is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s))
                {
                    parts.Add(StripTags(s));
                }
            }
            if (o["errors"] is JsonObject fieldErrors)
            {
                parts.AddRange(fieldErrors.Select(e => $"{e.Key}: {StripTags(e.Value?.ToString() ?? "")}"));
            }
            if (parts.Count == 0)
            {
                // DRF serializer errors: {"field": ["message", ...]}
                parts.AddRange(o.Where(e => e.Value is JsonArray).Select(e => $"{e.Key}: {string.Join(" ", e.Value!.AsArray().Select(x => x?.ToString()))}"));
            }
            return parts.Count == 0 ? Snippet(body) : Truncate(string.Join(" ", parts));
        }
        return string.IsNullOrWhiteSpace(body) ? null : Snippet(body);
    }

    private static string ReasonPhrase(HttpStatusCode status) =>
        status switch
        {
            HttpStatusCode.TooManyRequests => "Too Many Requests",
            _ => SplitWords().Replace(status.ToString(), " $1"),
        };

    /// <summary>The start of a body, tags stripped and white space folded, for messages.</summary>
    public static string Snippet(string body)
    {
        var text = WhiteSpace().Replace(StripTags(body), " ").Trim();
        var unreadable = text.Count(c => c == '\uFFFD' || char.IsControl(c));
        return text.Length == 0 ? "(empty body)"
            : unreadable > text.Length / 10 ? $"({body.Length} bytes of binary data)"
            : Truncate(text);
    }

    private static string Truncate(string text) => text.Length <= SnippetLength ? text : text[..SnippetLength] + "…";

    private static string StripTags(string text) => Tags().Replace(text, " ").Trim();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex SplitWords();
}

/// <summary>A broker answered with an HTTP error status.</summary>
public sealed class BrokerHttpException(HttpStatusCode status, string message) : BrokerException(message)
{
    public HttpStatusCode Status { get; } = status;
}
