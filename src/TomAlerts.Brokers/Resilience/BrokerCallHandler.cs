using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace TomAlerts.Brokers.Resilience;

/// <summary>
/// Receives one <see cref="BrokerCall"/> per HTTP call to a broker, for the health page. Called on the caller's flow:
/// an implementation must return at once (queue the row, never wait on a database).
/// </summary>
public interface IBrokerCallRecorder
{
    void Record(BrokerCall call);
}

/// <summary>
/// The innermost handler of a broker's client, so it sees every attempt the resilience pipeline makes. It reads the
/// whole answer inside the attempt (so a body that trickles in counts against the attempt timeout, and a cut-off body
/// is a transient failure that is retried), judges it, hides any broker secret an error body echoes, and records the
/// call. It never waits on anything but the broker.
/// </summary>
public sealed partial class BrokerCallHandler(string broker, IBrokerCallRecorder? recorder, TimeProvider time, SecretMask secrets, TimeSpan attemptTimeout,
    ILogger<BrokerCallHandler> logger)
    : DelegatingHandler
{
    /// <summary>No broker answer we read is near this; a stream of garbage stops here instead of filling memory.</summary>
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    private const int ErrorLength = 500;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var started = time.GetTimestamp();
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(MaxBodyBytes, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            var status = (int?)response?.StatusCode;
            response?.Dispose();
            var failure = DescribeFailure(e, time.GetElapsedTime(started));
            LogFailed(logger, broker, request.Method, request.RequestUri?.AbsolutePath, failure);
            Record(at, started, status, false, failure, null);
            throw;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            RateLimitHeaders.NoteReset(request, response, time);
        }
        var (succeeded, error) = await JudgeAsync(request, response, cancellationToken);
        LogAnswered(logger, broker, request.Method, request.RequestUri?.AbsolutePath, (int)response.StatusCode, (long)time.GetElapsedTime(started).TotalMilliseconds);
        Record(at, started, (int)response.StatusCode, succeeded, error, RateLimitHeaders.Remaining(response)
            ?? (response.StatusCode == HttpStatusCode.TooManyRequests ? 0 : null));
        if (response.StatusCode != HttpStatusCode.TooManyRequests && BrokerCallScope.Current is { WaitingForRateLimit: true } scope)
        {
            scope.WaitingForRateLimit = false;
            scope.Feedback?.SetStatus(null);
        }
        return response;
    }

    /// <summary>A 404 is a broker saying "no such object", a working answer; a JSON request answered with something else is not.</summary>
    private async Task<(bool Succeeded, string? Error)> JudgeAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        if ((int)status < 400 || status == HttpStatusCode.NotFound)
        {
            if (status == HttpStatusCode.NoContent || !AcceptsJson(request))
            {
                return (true, null);
            }
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return IsJson(bytes)
                ? (true, null)
                : (false, $"{broker} answered {(int)status} but not with JSON: {BrokerHttp.Snippet(secrets.Apply(Decode(bytes)))}");
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (secrets.Contains(body))
        {
            // The body is read again to build the run's error message; it must not carry the key there either.
            var masked = new StringContent(secrets.Apply(body));
            masked.Headers.ContentType = response.Content.Headers.ContentType;
            response.Content.Dispose();
            response.Content = masked;
            body = secrets.Apply(body);
        }
        if (status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
        {
            // The broker's words about a rejected request can quote the request (a private query's SQL, say); the
            // health page is for everyone, so it says only that, and the run that sent it shows the whole message.
            return (false, $"{broker} answered {(int)status}: it rejected a request (the run that sent it shows why).");
        }
        var error = BrokerHttp.DescribeFailure(broker, status, body);
        if (status == HttpStatusCode.TooManyRequests && RateLimitHeaders.Wait(response, time) is { } wait)
        {
            error += $" (asked to wait {Math.Ceiling(wait.TotalSeconds):0} s)";
        }
        return (false, error);
    }

    private string DescribeFailure(Exception e, TimeSpan elapsed) => e switch
    {
        OperationCanceledException when elapsed >= attemptTimeout * 0.95 => $"{broker} did not answer within {Seconds(elapsed)} s.",
        OperationCanceledException => $"{broker} had not answered after {Seconds(elapsed)} s when TomAlerts stopped waiting (a page's time budget, or a shutdown).",
        _ => $"Could not reach {broker}: {secrets.Apply(e.Message)}",
    };

    private void Record(DateTimeOffset at, long started, int? status, bool succeeded, string? error, int? rateLimitRemaining)
    {
        if (recorder is null)
        {
            return;
        }
        var elapsed = time.GetElapsedTime(started);
        recorder.Record(new BrokerCall
        {
            Broker = broker,
            At = at.UtcDateTime,
            DurationMs = (int)Math.Min(elapsed.TotalMilliseconds, int.MaxValue),
            Status = status,
            Succeeded = succeeded,
            Error = error is null ? null : Truncate(secrets.Apply(error)),
            RateLimitRemaining = rateLimitRemaining,
        });
    }

    // The path only: a query string or header may carry a key (Lasair accepts ?token=), and logs are no place for one.
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Broker} {Method} {Path} answered {Status} in {Milliseconds} ms")]
    private static partial void LogAnswered(ILogger logger, string broker, HttpMethod method, string? path, int status, long milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Broker} {Method} {Path} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string broker, HttpMethod method, string? path, string reason);

    private static bool AcceptsJson(HttpRequestMessage request) =>
        request.Headers.Accept.Any(a => a.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true);

    private static bool IsJson(byte[] body)
    {
        var span = body.AsSpan();
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }
        try
        {
            var reader = new Utf8JsonReader(span, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            while (reader.Read())
            {
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Decode(byte[] bytes) => Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 2000));

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    private static string Truncate(string text) => text.Length <= ErrorLength ? text : text[..(ErrorLength - 1)] + "…";
}

/// <summary>
/// The outermost handler of a broker's client. It notes when the call started (so a rate-limit wait is only taken
/// when it fits in the total timeout), and when the calling code set a deadline (<see cref="BrokerCallScope"/>, e.g. a
/// page's time budget) the call and all its retries give up then; the broker code reports that as "did not answer in
/// time", as for any timeout.
/// </summary>
public sealed class BrokerDeadlineHandler(TimeProvider time) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<long> StartedKey = new("TomAlerts.BrokerCallStarted");

    /// <summary>How long ago the call that <paramref name="request"/> belongs to started, retries included.</summary>
    public static TimeSpan Elapsed(HttpRequestMessage? request, TimeProvider time) =>
        request is not null && request.Options.TryGetValue(StartedKey, out var started) ? time.GetElapsedTime(started) : TimeSpan.Zero;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.Set(StartedKey, time.GetTimestamp());
        if (BrokerCallScope.Current?.Deadline is not { } deadline)
        {
            return await base.SendAsync(request, cancellationToken);
        }
        var left = deadline - time.GetUtcNow();
        using var timeout = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        return await base.SendAsync(request, linked.Token);
    }
}
