using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace TomAlerts.Brokers.Resilience;

/// <summary>
/// The one resilience pipeline of each broker's HTTP client (Microsoft.Extensions.Http.Resilience, Polly v8): total and
/// per-attempt timeouts, retries with exponential backoff and jitter on transient failures, rate-limit waits driven by
/// the broker's own headers, and a circuit breaker. Defaults below; <c>BROKERS:&lt;NAME&gt;:resilience</c> overrides
/// any of them (the keys of <see cref="HttpStandardResilienceOptions"/>, plus <c>RateLimitMaxWait</c>).
/// </summary>
public static partial class BrokerResilience
{
    public const string SectionKey = "resilience";
    public const string RateLimitMaxWaitKey = "RateLimitMaxWait";

    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultTotalTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultRateLimitMaxWait = TimeSpan.FromSeconds(60);

    /// <summary>Where <c>AddStandardResilienceHandler</c> keeps a client's options.</summary>
    internal static string OptionsName(string broker) => $"{broker}-standard";

    /// <summary>TomAlerts' defaults: a slow broker gives up in 30 s, a failing one trips its circuit after a few calls.</summary>
    public static void ApplyDefaults(HttpStandardResilienceOptions options)
    {
        options.AttemptTimeout.Timeout = DefaultAttemptTimeout;
        options.TotalRequestTimeout.Timeout = DefaultTotalTimeout;
        options.Retry.MaxRetryAttempts = 3;
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        options.Retry.Delay = TimeSpan.FromSeconds(1);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(15);
        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.MinimumThroughput = 8; // two calls that failed every attempt
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
    }

    /// <summary>Defaults, then the broker's <c>resilience</c> settings over them.</summary>
    public static void Bind(HttpStandardResilienceOptions options, IConfigurationSection brokerSection)
    {
        ApplyDefaults(options);
        brokerSection.GetSection(SectionKey).Bind(options);
    }

    /// <summary>
    /// The longest Retry-After or reset wait that is waited out (RateLimitMaxWait, default 60 s). A wait is also only
    /// taken when it and another attempt still fit in the total timeout; otherwise the 429 goes back to the broker code
    /// and the run shows the broker's own message at once, instead of a timeout after a pointless wait.
    /// </summary>
    public static TimeSpan RateLimitMaxWait(IConfigurationSection brokerSection) =>
        brokerSection.GetSection(SectionKey).GetValue<TimeSpan?>(RateLimitMaxWaitKey) ?? DefaultRateLimitMaxWait;

    /// <summary>
    /// Checks a broker's resilience settings the way the pipeline will, at start-up, so a typo stops the app with one
    /// line naming the setting instead of failing every call to that broker later.
    /// </summary>
    public static void Validate(IConfiguration configuration, BrokerRegistration registration)
    {
        var section = configuration.GetSection(BrokerSettings.SectionName(registration.Name));
        var services = new ServiceCollection();
        services.AddHttpClient(registration.Name).AddStandardResilienceHandler().Configure(options => Bind(options, section));
        using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get(OptionsName(registration.Name));
            if (section.GetSection(SectionKey).GetValue<TimeSpan?>(RateLimitMaxWaitKey) < TimeSpan.Zero)
            {
                throw new InvalidOperationException($"{RateLimitMaxWaitKey} cannot be negative.");
            }
        }
        catch (OptionsValidationException e)
        {
            throw new BrokerConfigurationException($"{section.Path}:{SectionKey} is invalid: {string.Join(" ", e.Failures)}");
        }
        catch (InvalidOperationException e)
        {
            throw new BrokerConfigurationException($"{section.Path}:{SectionKey} is invalid: {e.Message}");
        }
    }

    /// <summary>Adds what settings cannot express: which outcomes are retried, rate-limit waits, and circuit reporting.</summary>
    public static void AddBehaviour(HttpStandardResilienceOptions options, IConfigurationSection brokerSection, BrokerRegistration registration,
        BrokerCircuits circuits, TimeProvider time, ILogger logger)
    {
        var broker = registration.Name;
        var pacesItself = registration.Attribute.PacesItself;
        var maxWait = RateLimitMaxWait(brokerSection);
        var total = options.TotalRequestTimeout.Timeout;
        var margin = options.AttemptTimeout.Timeout < TimeSpan.FromSeconds(1) ? options.AttemptTimeout.Timeout : TimeSpan.FromSeconds(1);
        bool WaitFits(ResilienceContext context, TimeSpan wait) =>
            wait <= maxWait && BrokerDeadlineHandler.Elapsed(context.GetRequestMessage(), time) + wait < total - margin;

        options.Retry.ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited
            ? !pacesItself && WaitFits(args.Context, RateLimitHeaders.Wait(limited, time) ?? TimeSpan.Zero)
            : IsTransient(args.Outcome, args.Context.CancellationToken));
        options.Retry.DelayGenerator = args => ValueTask.FromResult(
            args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable } answer
            && RateLimitHeaders.Wait(answer, time) is { } wait
                ? (TimeSpan?)(wait < maxWait ? wait : maxWait)
                : null);
        options.Retry.OnRetry = args =>
        {
            if (args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } && BrokerCallScope.Current is { } scope)
            {
                var seconds = (int)Math.Ceiling(args.RetryDelay.TotalSeconds);
                LogRateLimitWait(logger, broker, seconds);
                scope.WaitingForRateLimit = true;
                scope.Feedback?.SetStatus($"Waiting {seconds} s for the {broker} rate limit.");
            }
            return ValueTask.CompletedTask;
        };

        // A rate limit is the broker working as designed, not an outage: it does not trip the circuit.
        options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(
            args.Outcome.Result is not { StatusCode: HttpStatusCode.TooManyRequests }
            && IsTransient(args.Outcome, args.Context.CancellationToken));
        options.CircuitBreaker.OnOpened = args =>
        {
            var reason = Describe(args.Outcome);
            LogCircuitOpened(logger, broker, (int)args.BreakDuration.TotalSeconds, reason);
            circuits.Opened(broker, time.GetUtcNow(), args.BreakDuration, reason);
            return ValueTask.CompletedTask;
        };
        options.CircuitBreaker.OnHalfOpened = _ =>
        {
            circuits.HalfOpened(broker, time.GetUtcNow());
            return ValueTask.CompletedTask;
        };
        options.CircuitBreaker.OnClosed = _ =>
        {
            LogCircuitClosed(logger, broker);
            circuits.Closed(broker);
            return ValueTask.CompletedTask;
        };
    }

    /// <summary>5xx, 408, 429, no connection or no answer in time; never the caller giving up.</summary>
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && HttpClientResiliencePredicates.IsTransient(outcome);

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response
            ? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd()
            : outcome.Exception switch
            {
                Polly.Timeout.TimeoutRejectedException => "no answer in time",
                HttpRequestException e => e.Message,
                { } e => e.GetType().Name,
                null => "failures",
            };

    [LoggerMessage(Level = LogLevel.Information, Message = "{Broker} rate limit reached; waiting {Seconds} s before retrying")]
    private static partial void LogRateLimitWait(ILogger logger, string broker, int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Broker} circuit opened for {Seconds} s after {Reason}; calls fail at once until then")]
    private static partial void LogCircuitOpened(ILogger logger, string broker, int seconds, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Broker} circuit closed; calls go through again")]
    private static partial void LogCircuitClosed(ILogger logger, string broker);
}
