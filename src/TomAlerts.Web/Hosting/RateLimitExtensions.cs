using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TomAlerts.Web.Features.Api;

namespace TomAlerts.Web.Hosting;

/// <summary>The "RateLimits" configuration section; a limit of 0 turns it off.</summary>
public sealed class RateLimitSettings
{
    public RateLimit Api { get; set; } = new() { PermitsPerMinute = 300 };
    public RateLimit Login { get; set; } = new() { PermitsPerMinute = 10 };
}

public sealed class RateLimit
{
    public int PermitsPerMinute { get; set; }
}

/// <summary>
/// ASP.NET Core's rate limiter in front of the API (RateLimits:Api, per user or token; per client address before
/// logging in) and of the log-in and registration forms (RateLimits:Login, per client address, for POSTs to
/// /account/login and /account/register). A request over the limit answers 429 with Retry-After: ProblemDetails on the
/// API, a short page elsewhere.
/// </summary>
public static class RateLimitExtensions
{
    private static readonly string[] LoginPaths = ["/account/login", "/account/register"];

    public static IServiceCollection AddTomAlertsRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitSettings>().Bind(configuration.GetSection("RateLimits"))
            .Validate(o => o.Api.PermitsPerMinute >= 0 && o.Login.PermitsPerMinute >= 0, "RateLimits:*:PermitsPerMinute must not be negative.")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitSettings>>((options, settings) =>
        {
            var limits = settings.Value;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (IsLogin(context.Request) && limits.Login.PermitsPerMinute > 0)
                {
                    return PerMinute("login " + ClientAddress(context), limits.Login.PermitsPerMinute);
                }
                if (ApiProblems.IsApi(context.Request) && limits.Api.PermitsPerMinute > 0)
                {
                    var who = context.User.UserId() is { } userId ? "user " + userId : "address " + ClientAddress(context);
                    return PerMinute("api " + who, limits.Api.PermitsPerMinute);
                }
                return RateLimitPartition.GetNoLimiter("");
            });
            options.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>After authentication, so API calls are counted per user.</summary>
    public static WebApplication UseTomAlertsRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    private static bool IsLogin(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && LoginPaths.Any(path => string.Equals(request.Path.Value?.TrimEnd('/'), path, StringComparison.OrdinalIgnoreCase));

    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
        });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (ApiProblems.IsApi(context.Request))
        {
            await ApiProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
                $"This token or user sent more API requests than the portal allows in a minute. Try again in {seconds} s.");
            return;
        }
        var message = IsLogin(context.Request)
            ? $"Too many log-in or registration attempts from your address. Try again in {seconds} seconds."
            : $"Too many requests. Try again in {seconds} seconds.";
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many attempts — TomAlerts</title></head>"
            + $"<body><main><h1>Too many attempts</h1><p id=\"rate-limited\">{WebUtility.HtmlEncode(message)}</p><p><a href=\"/account/login\">Back to log in</a></p></main></body></html>",
            cancellationToken);
    }
}
