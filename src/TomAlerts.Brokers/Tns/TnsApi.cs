using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TomAlerts.Brokers.Resilience;

namespace TomAlerts.Brokers.Tns;

/// <summary>The bot identity every TNS request carries.</summary>
internal sealed record TnsBot(string ApiKey, string BotId, string BotName)
{
    /// <summary><c>tns_marker{"tns_id": 1234, "type": "bot", "name": "my_bot"}</c>; a non-numeric id is sent quoted.</summary>
    public string Marker
    {
        get
        {
            var id = long.TryParse(BotId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var numeric)
                ? numeric.ToString(CultureInfo.InvariantCulture)
                : JsonSerializer.Serialize(BotId);
            return $"tns_marker{{\"tns_id\": {id}, \"type\": \"bot\", \"name\": {JsonSerializer.Serialize(BotName)}}}";
        }
    }
}

/// <summary>
/// TNS requests: form-encoded POSTs of <c>api_key</c> and a JSON <c>data</c> string, paced by the rate-limit
/// headers TNS sends on every answer. A 429 is waited out (bounded) rather than failing the run; the broker sends
/// each request and asks here when the next may go.
/// </summary>
internal sealed partial class TnsApi(string broker, TnsBot bot, TimeProvider time, ILogger logger)
{
    public const int MaxRetries = 3;

    /// <summary>The longest single wait; TNS windows are about a minute, so a larger reset value is not trusted.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    private DateTimeOffset _resumeAt = DateTimeOffset.MinValue;

    public HttpRequestMessage CreateRequest(string method, JsonObject data) => CreateRequest(method, "data", data.ToJsonString());

    /// <summary>A POST of <c>api_key</c> and one more form field (<c>data</c>, or <c>report_id</c> for a report's reply).</summary>
    public HttpRequestMessage CreateRequest(string method, string field, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, method)
        {
            Content = new FormUrlEncodedContent([new("api_key", bot.ApiKey), new(field, value)]),
        };
        // Set on the request, so the client's default User-Agent is not added; not a product token, hence without validation.
        request.Headers.TryAddWithoutValidation("User-Agent", bot.Marker);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    public async Task WaitForWindowAsync(string method, FetchFeedback? feedback, CancellationToken cancellationToken)
    {
        var wait = _resumeAt - time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return;
        }
        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        LogWaiting(logger, seconds, method);
        feedback?.SetStatus($"Waiting {seconds} s for the TNS rate limit.");
        await Task.Delay(wait, time, cancellationToken);
        feedback?.SetStatus(null);
    }

    /// <summary>After a 429: the next request waits for the largest reset TNS gave.</summary>
    public void Limited(HttpResponseMessage response) =>
        _resumeAt = time.GetUtcNow() + Bounded(RateLimits.From(response.Headers).RetryAfter);

    /// <summary>After an answer: when it used up a window, the next request waits for that window.</summary>
    public void Answered(HttpResponseMessage response)
    {
        if (RateLimits.From(response.Headers).NextWindow is { } next)
        {
            _resumeAt = time.GetUtcNow() + Bounded(next);
        }
    }

    /// <summary>
    /// The payload of a TNS reply: <c>data</c> in the TNS 2.0 envelope, <c>data.reply</c> in the older one.
    /// A TNS-level error (id_code other than 200) becomes a <see cref="BrokerException"/>.
    /// </summary>
    public JsonNode? Payload(JsonNode? reply)
    {
        if (reply is not JsonObject envelope)
        {
            return reply;
        }
        if (JsonRead.Long(envelope["id_code"]) is { } code and not 200)
        {
            var message = JsonRead.String(envelope["id_message"]) ?? "no message";
            throw new BrokerException($"{broker} answered {code}: {BrokerHttp.Snippet(message)}");
        }
        var data = envelope["data"];
        return data is JsonObject older && older.ContainsKey("reply") ? older["reply"] : data;
    }

    private static TimeSpan Bounded(TimeSpan wait) => wait > MaxWait ? MaxWait : wait;

    [LoggerMessage(Level = LogLevel.Information, Message = "TNS rate limit reached; waiting {Seconds} s before {Method}")]
    private static partial void LogWaiting(ILogger logger, int seconds, string method);

    /// <summary>The x-rate-limit-* and x-cone-rate-limit-* headers of one answer.</summary>
    private sealed record RateLimits(IReadOnlyList<(double? Remaining, double? Reset)> Windows, double? RetryAfterHeader)
    {
        public static RateLimits From(HttpResponseHeaders headers) => new(
            [
                (RateLimitHeaders.Number(headers, "x-rate-limit-remaining"), RateLimitHeaders.Number(headers, "x-rate-limit-reset")),
                (RateLimitHeaders.Number(headers, "x-cone-rate-limit-remaining"), RateLimitHeaders.Number(headers, "x-cone-rate-limit-reset")),
            ],
            RateLimitHeaders.Number(headers, "Retry-After"));

        /// <summary>After a window is used up, the official sample sleeps reset + 1 s before the next call.</summary>
        public TimeSpan? NextWindow
        {
            get
            {
                var waits = Windows.Where(w => w.Remaining <= 0 && w.Reset is not null).Select(w => w.Reset!.Value + 1).ToList();
                return waits.Count == 0 ? null : TimeSpan.FromSeconds(waits.Max());
            }
        }

        /// <summary>On a 429, the largest reset any header gives, and at least one second (as AMPEL's client).</summary>
        public TimeSpan RetryAfter =>
            TimeSpan.FromSeconds(Windows.Select(w => w.Reset ?? 0).Append(RetryAfterHeader ?? 0).Append(1).Max());
    }
}
