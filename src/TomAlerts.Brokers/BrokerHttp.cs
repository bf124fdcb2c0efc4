using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TomAlerts.Brokers;

/// <summary>
/// How a broker's HTTP answer reads in a message: its failure described, its body quoted briefly. Brokers read
/// answers through <see cref="BrokerBase"/>; the call log uses the same words.
/// </summary>
public static partial class BrokerHttp
{
    private const int SnippetLength = 200;

    /// <summary>"ALeRCE answered 404 Not Found: Object not found."; the broker's own message where its body has one.</summary>
    public static string DescribeFailure(string broker, HttpStatusCode status, string body)
    {
        var detail = ErrorText(body);
        var prefix = $"{broker} answered {(int)status} {ReasonPhrase(status)}";
        return detail is null ? prefix + "." : $"{prefix}: {detail}";
    }

    /// <summary>
    /// A failure status in the user's words (<see cref="BrokerMessages"/>); a refused query (400, 422 …) keeps the
    /// broker's own explanation, which is what the user needs to fix it. <paramref name="keySetting"/> names the
    /// setting an administrator checks when the key is refused.
    /// </summary>
    public static string ForUser(string broker, HttpStatusCode status, string body, string keySetting) =>
        (int)status switch
        {
            >= 500 => BrokerMessages.ServerError(broker, (int)status),
            401 or 403 => BrokerMessages.KeyRefused(broker, keySetting),
            404 => BrokerMessages.NotFound(broker),
            429 => BrokerMessages.RateLimited(broker, null),
            408 => BrokerMessages.Timeout(broker, null),
            _ => ErrorText(body) is { } words ? BrokerMessages.Refused(broker, words.TrimEnd('.') + ".") : DescribeFailure(broker, status, body),
        };

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
        // Flask apps that answer str(dict): {'status': 'error', 'text': '...'} is a JSON object in Python's spelling.
        node ??= PythonDict(body);
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
            // FastAPI: {"detail": [{"loc": ["query", "survey_id"], "msg": "Field required"}]} or {"detail": {"field": "message"}}.
            parts.AddRange(o["detail"] switch
            {
                JsonArray list => list.OfType<JsonObject>().Select(ValidationError).OfType<string>(),
                JsonObject fields => fields.Select(e => $"{e.Key}: {StripTags(e.Value is JsonValue v && v.TryGetValue(out string? m) ? m : e.Value?.ToJsonString() ?? "")}"),
                _ => [],
            });
            if (o["errors"] is JsonObject fieldErrors)
            {
                parts.AddRange(fieldErrors.Select(e => $"{e.Key}: {StripTags(e.Value?.ToString() ?? "")}"));
            }
            // JSON:API (ANTARES): {"errors": [{"status": "404", "title": "Not Found", "detail": "…"}]}.
            parts.AddRange(JsonRead.Objects(o["errors"]).Select(e => JsonRead.String(e["detail"]) ?? JsonRead.String(e["title"])).OfType<string>().Select(StripTags));
            if (parts.Count == 0)
            {
                // DRF serializer errors: {"field": ["message", ...]}
                parts.AddRange(o.Where(e => e.Value is JsonArray).Select(e => $"{e.Key}: {string.Join(" ", e.Value!.AsArray().Select(x => x?.ToString()))}"));
            }
            return parts.Count == 0 ? Snippet(body) : Truncate(string.Join(" ", parts));
        }
        return string.IsNullOrWhiteSpace(body) ? null : Snippet(body);
    }

    /// <summary>
    /// The string entries of a Python dict repr (<c>{'status': 'error', 'text': 'A value ... \n'}</c>), escapes read;
    /// null for any other body.
    /// </summary>
    private static JsonObject? PythonDict(string body)
    {
        var text = body.Trim();
        if (!text.StartsWith("{'", StringComparison.Ordinal) || !text.EndsWith('}'))
        {
            return null;
        }
        var entries = new JsonObject();
        foreach (Match entry in PythonStringEntry().Matches(text))
        {
            var value = entry.Groups[2].Value.Replace("\\'", "'", StringComparison.Ordinal);
            try
            {
                value = Regex.Unescape(value);
            }
            catch (ArgumentException)
            {
                // An escape Python writes but .NET does not read: the text as sent is still readable.
            }
            entries[entry.Groups[1].Value] = value.Trim();
        }
        return entries.Count == 0 ? null : entries;
    }

    /// <summary>"survey_id: Field required": the parameter named by the location, without where it was ("query", "body").</summary>
    private static string? ValidationError(JsonObject error)
    {
        if (error["msg"] is not JsonValue m || !m.TryGetValue(out string? message))
        {
            return null;
        }
        var location = error["loc"] is JsonArray loc
            ? string.Join(".", loc.Select(p => p?.ToString()).Where(p => p is not (null or "query" or "body" or "path")))
            : "";
        return location.Length == 0 ? StripTags(message) : $"{location}: {StripTags(message)}";
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

    [GeneratedRegex(@"'([^'\\]+)'\s*:\s*'((?:[^'\\]|\\.)*)'")]
    private static partial Regex PythonStringEntry();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex SplitWords();
}

/// <summary>A broker answered with an HTTP error status.</summary>
public class BrokerHttpException(HttpStatusCode status, string message, string? technicalDetail = null) : BrokerException(message, technicalDetail)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// A broker answered 429 after every wait the resilience pipeline would take: its request quota is used up for now.
/// <see cref="Exception.Message"/> says when to try again, <see cref="BrokerException.TechnicalDetail"/> keeps the broker's own words; <see cref="ResetsAt"/> is when the broker said it will
/// take requests again (its Retry-After or reset header), null when it did not say.
/// </summary>
public sealed class BrokerRateLimitException(string broker, DateTimeOffset? resetsAt, string message, string? technicalDetail = null)
    : BrokerHttpException(HttpStatusCode.TooManyRequests, message, technicalDetail)
{
    public string Broker { get; } = broker;

    public DateTimeOffset? ResetsAt { get; } = resetsAt;
}
