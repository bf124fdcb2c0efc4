using System.Net;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Quotas;

/// <summary>ASP.NET Core's rate limiter on the API (per token) and on the log-in and registration forms (per client address).</summary>
public sealed class RateLimitTests : AppTest
{
    [Fact]
    public async Task Api_MoreCallsInAMinuteThanAllowed_429ProblemWithRetryAfter_OtherTokensUnaffected()
    {
        Factory.Settings["RateLimits:Api:PermitsPerMinute"] = "5";
        var first = await Factory.ApiUserAsync();
        var second = await Factory.ApiUserAsync();
        for (var i = 0; i < 5; i++)
        {
            using var ok = await first.Api.GetAsync("/api/v1/queries");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await first.Api.GetAsync("/api/v1/queries");
        using var other = await second.Api.GetAsync("/api/v1/queries");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromMinutes(1), "No Retry-After within a minute.");
        Assert.Equal(429, (await limited.JsonAsync()).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Login_MoreAttemptsInAMinuteThanAllowed_429PageWithRetryAfter()
    {
        Factory.Settings["RateLimits:Login:PermitsPerMinute"] = "3";
        var user = await Factory.LoginAsync(); // one registration
        var page = new PageSession(Factory.CreateClient(new() { AllowAutoRedirect = false }));
        for (var i = 0; i < 2; i++)
        {
            using var attempt = await page.LogInAsync(user.Email);
            Assert.Equal(HttpStatusCode.Redirect, attempt.StatusCode);
        }

        using var limited = await page.LogInAsync(user.Email);
        using var register = await page.RegisterAsync($"late-{Guid.NewGuid():N}@example.org");
        var html = await limited.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "No Retry-After on the 429.");
        Assert.Contains("Too many log-in or registration attempts", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, register.StatusCode);
        var (status, _) = await page.GetAsync("/account/login"); // the page itself still opens
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
