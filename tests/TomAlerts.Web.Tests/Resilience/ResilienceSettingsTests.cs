using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using TomAlerts.Brokers;
using TomAlerts.Brokers.Resilience;
using TomAlerts.Web.Features.BrokerHealth;

namespace TomAlerts.Web.Tests.Resilience;

/// <summary>The resilience pipeline's settings and rules, and the pieces of broker health that need no app.</summary>
public class ResilienceSettingsTests
{
    private static HttpStandardResilienceOptions Options(string broker, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddBrokers(configuration);
        return services.BuildServiceProvider().GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get($"{broker}-standard");
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string? retryAfter = null)
    {
        var response = new HttpResponseMessage(status);
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }
        return response;
    }

    private static async Task<bool> RetriesAsync(HttpStandardResilienceOptions options, HttpResponseMessage response)
    {
        var context = ResilienceContextPool.Shared.Get();
        return await options.Retry.ShouldHandle(new RetryPredicateArguments<HttpResponseMessage>(context, Outcome.FromResult(response), 0));
    }

    [Fact]
    public void Defaults_AreTenSecondsAnAttemptThirtyInAllThreeJitteredRetriesAndAQuickCircuit()
    {
        var options = Options("ALeRCE");

        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.TotalRequestTimeout.Timeout);
        Assert.Equal(3, options.Retry.MaxRetryAttempts);
        Assert.Equal(DelayBackoffType.Exponential, options.Retry.BackoffType);
        Assert.True(options.Retry.UseJitter);
        Assert.Equal(0.5, options.CircuitBreaker.FailureRatio);
        Assert.Equal(8, options.CircuitBreaker.MinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CircuitBreaker.BreakDuration);
    }

    [Fact]
    public void Settings_OverrideTheDefaultsPerBroker()
    {
        var options = Options("Lasair", ("BROKERS:LASAIR:resilience:AttemptTimeout:Timeout", "00:00:04"), ("BROKERS:LASAIR:resilience:Retry:MaxRetryAttempts", "5"));

        Assert.Equal(TimeSpan.FromSeconds(4), options.AttemptTimeout.Timeout);
        Assert.Equal(5, options.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), Options("ALeRCE", ("BROKERS:LASAIR:resilience:AttemptTimeout:Timeout", "00:00:04")).AttemptTimeout.Timeout);
    }

    [Theory]
    [InlineData("AttemptTimeout:Timeout", "00:01:00")]
    [InlineData("AttemptTimeout:Timeout", "ten seconds")]
    [InlineData("Retry:MaxRetryAttempts", "-1")]
    [InlineData("RateLimitMaxWait", "-00:00:05")]
    public void Settings_Invalid_StopTheAppWithOneLineNamingTheSection(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new($"BROKERS:ALERCE:resilience:{key}", value)]).Build();

        var error = Assert.Throws<BrokerConfigurationException>(() => new ServiceCollection().AddBrokers(configuration));

        Assert.StartsWith("BROKERS:ALERCE:resilience is invalid:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public async Task Retry_TransientFailuresOnly(HttpStatusCode status, bool retried)
    {
        Assert.Equal(retried, await RetriesAsync(Options("ALeRCE"), Answer(status)));
    }

    [Fact]
    public async Task Retry_429_WaitedOutWhenItFitsExceptForTnsWhichPacesItself()
    {
        Assert.True(await RetriesAsync(Options("Lasair"), Answer(HttpStatusCode.TooManyRequests, "5")));
        Assert.True(await RetriesAsync(Options("Lasair"), Answer(HttpStatusCode.TooManyRequests)));
        Assert.False(await RetriesAsync(Options("Lasair"), Answer(HttpStatusCode.TooManyRequests, "3600")));
        Assert.False(await RetriesAsync(Options("Lasair", ("BROKERS:LASAIR:resilience:RateLimitMaxWait", "00:00:02")), Answer(HttpStatusCode.TooManyRequests, "5")));
        Assert.False(await RetriesAsync(Options("TNS"), Answer(HttpStatusCode.TooManyRequests, "1")));
        Assert.True(await RetriesAsync(Options("TNS"), Answer(HttpStatusCode.ServiceUnavailable)));
    }

    [Fact]
    public async Task Retry_DelayFollowsRetryAfterAndCapsIt()
    {
        var options = Options("Lasair");
        var context = ResilienceContextPool.Shared.Get();

        var delay = await options.Retry.DelayGenerator!(new RetryDelayGeneratorArguments<HttpResponseMessage>(context, Outcome.FromResult(Answer(HttpStatusCode.TooManyRequests, "7")), 0));
        var capped = await options.Retry.DelayGenerator!(new RetryDelayGeneratorArguments<HttpResponseMessage>(context, Outcome.FromResult(Answer(HttpStatusCode.ServiceUnavailable, "600")), 0));
        var backoff = await options.Retry.DelayGenerator!(new RetryDelayGeneratorArguments<HttpResponseMessage>(context, Outcome.FromResult(Answer(HttpStatusCode.InternalServerError)), 0));

        Assert.Equal(TimeSpan.FromSeconds(7), delay);
        Assert.Equal(BrokerResilience.DefaultRateLimitMaxWait, capped);
        Assert.Null(backoff); // exponential backoff with jitter
    }

    [Fact]
    public async Task CircuitBreaker_CountsOutagesNotRateLimits()
    {
        var options = Options("ALeRCE");
        var context = ResilienceContextPool.Shared.Get();
        ValueTask<bool> Counts(HttpStatusCode status) =>
            options.CircuitBreaker.ShouldHandle(new CircuitBreakerPredicateArguments<HttpResponseMessage>(context, Outcome.FromResult(Answer(status))));

        Assert.True(await Counts(HttpStatusCode.ServiceUnavailable));
        Assert.False(await Counts(HttpStatusCode.TooManyRequests));
        Assert.False(await Counts(HttpStatusCode.OK));
    }

    [Fact]
    public void RateLimitHeaders_ReadRetryAfterResetsAndTheFewestRemaining()
    {
        var time = TimeProvider.System;
        var tns = Answer(HttpStatusCode.OK);
        tns.Headers.TryAddWithoutValidation("x-rate-limit-remaining", "12");
        tns.Headers.TryAddWithoutValidation("x-cone-rate-limit-remaining", "3");
        tns.Headers.TryAddWithoutValidation("x-rate-limit-reset", "40");
        var dated = Answer(HttpStatusCode.TooManyRequests, DateTimeOffset.UtcNow.AddSeconds(30).ToString("R"));

        Assert.Equal(3, RateLimitHeaders.Remaining(tns));
        Assert.Equal(TimeSpan.FromSeconds(40), RateLimitHeaders.Wait(tns, time));
        Assert.InRange(RateLimitHeaders.Wait(dated, time)!.Value.TotalSeconds, 28, 30);
        Assert.Equal(TimeSpan.FromSeconds(9), RateLimitHeaders.Wait(Answer(HttpStatusCode.TooManyRequests, "9"), time));
        Assert.Null(RateLimitHeaders.Wait(Answer(HttpStatusCode.TooManyRequests), time));
        Assert.Null(RateLimitHeaders.Remaining(Answer(HttpStatusCode.OK)));
    }

    [Fact]
    public void SecretMask_HidesTheValuesOfKeyLikeSettingsOnly()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([
            new("BROKERS:TNS:api_key", "tns-secret-0123"), new("BROKERS:TNS:bot_name", "my_bot_name"), new("BROKERS:TNS:tns_base_url", "https://x")]).Build();

        var mask = SecretMask.For(configuration.GetSection("BROKERS:TNS"));

        Assert.Equal("key [hidden] for my_bot_name", mask.Apply("key tns-secret-0123 for my_bot_name"));
    }

    [Fact]
    public void BrokerCallLog_QueueFull_DropsTheCallInsteadOfWaiting()
    {
        var log = new BrokerCallLog(null!, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new BrokerHealthOptions { QueueCapacity = 2 }),
            NullLogger<BrokerCallLog>.Instance);

        for (var i = 0; i < 5; i++)
        {
            log.Record(new BrokerCall { Broker = "ALeRCE", At = DateTime.UtcNow, DurationMs = i, Succeeded = true });
        }

        Assert.Equal(3, log.Dropped);
    }

    [Theory]
    [InlineData(new[] { 5 }, 5, 5)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 5, 10)]
    [InlineData(new[] { 10, 20, 30, 40 }, 20, 40)]
    public void Percentile_IsTheNearestRank(int[] sorted, int p50, int p95)
    {
        Assert.Equal(p50, BrokerHealthReader.Percentile(sorted, 0.50));
        Assert.Equal(p95, BrokerHealthReader.Percentile(sorted, 0.95));
        Assert.Null(BrokerHealthReader.Percentile([], 0.5));
    }
}
