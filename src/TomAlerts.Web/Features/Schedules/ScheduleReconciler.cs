using TomAlerts.Data;

namespace TomAlerts.Web.Features.Schedules;

/// <summary>At start-up, brings the scheduler's triggers in line with the saved queries.</summary>
public sealed class ScheduleReconciler(IServiceScopeFactory scopes, QuerySchedules schedules) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await schedules.ReconcileAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
