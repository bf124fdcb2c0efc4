using Microsoft.Extensions.Diagnostics.HealthChecks;
using TomAlerts.Data;

namespace TomAlerts.Web.Features.Health;

/// <summary>Unhealthy when the database does not answer. The description never carries the error: it may name the server.</summary>
public sealed class DatabaseHealthCheck(AppDbContext db) : IHealthCheck
{
    public const string Name = "database";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("The database answers.")
                : new HealthCheckResult(context.Registration.FailureStatus, "The database does not answer.");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The exception goes to the health-check log, not into the answer.
            return new HealthCheckResult(context.Registration.FailureStatus, "The database does not answer.", e);
        }
    }
}
