using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TomAlerts.Web.Features.Health;

/// <summary>One health check's outcome in the /healthz answer.</summary>
public sealed record HealthCheckDto(string Name, string Status, string? Description);

/// <summary>The /healthz answer: the overall status (healthy, degraded or unhealthy) and every check's.</summary>
public sealed record HealthDto(string Status, IReadOnlyList<HealthCheckDto> Checks);

/// <summary>
/// /healthz on ASP.NET Core health checks: the database (unhealthy, so 503, when it does not answer) and the brokers'
/// circuit breakers (degraded, still 200, while one is open). The endpoint is a minimal API that runs
/// <see cref="HealthCheckService"/> rather than MapHealthChecks, whose plain request-delegate endpoint the OpenAPI
/// document cannot describe.
/// </summary>
public static class HealthExtensions
{
    public const string Path = "/healthz";

    public static IServiceCollection AddTomAlertsHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name, HealthStatus.Unhealthy, timeout: TimeSpan.FromSeconds(10))
            .AddCheck<BrokerCircuitsHealthCheck>(BrokerCircuitsHealthCheck.Name, HealthStatus.Degraded);
        return services;
    }

    public static IEndpointRouteBuilder MapTomAlertsHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, CheckAsync)
            .AllowAnonymous()
            .WithTags("Health")
            .WithSummary("Whether TomAlerts, its database and the brokers' circuit breakers are well (no authentication)")
            .WithDescription("200 when healthy or degraded (a broker's circuit breaker is open), 503 when unhealthy (the database does not answer).")
            .Produces<HealthDto>()
            .Produces<HealthDto>(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    private static async Task<JsonHttpResult<HealthDto>> CheckAsync(HealthCheckService health, HttpContext context, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        context.Response.Headers.CacheControl = "no-store, no-cache";
        var checks = report.Entries
            .Select(e => new HealthCheckDto(e.Key, Describe(e.Value.Status), e.Value.Description))
            .ToList();
        return TypedResults.Json(new HealthDto(Describe(report.Status), checks),
            statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static string Describe(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
