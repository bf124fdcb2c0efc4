using Quartz;
using TomAlerts.Data;

namespace TomAlerts.Web.Features.Schedules;

public static class SchedulesServiceCollectionExtensions
{
    /// <summary>The scheduler behind saved queries' schedules: in memory with SQLite, PostgreSQL's clustered job store otherwise.</summary>
    public static IServiceCollection AddTomAlertsSchedules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulesOptions>().Bind(configuration.GetSection("Schedules"))
            .Validate(o => o.MinimumIntervalMinutes >= 0, "Schedules:MinimumIntervalMinutes must not be negative.")
            .ValidateOnStart();
        services.AddQuartz(quartz =>
        {
            if (DataServiceCollectionExtensions.IsPostgres(configuration))
            {
                // Every instance sharing the database is one cluster: a trigger fires on exactly one of them.
                // The schema comes from the PostgreSQL Initial migration (QuartzSchema); System.Text.Json is Quartz 4's built-in serializer.
                quartz.ConfigureScheduler(scheduler => scheduler.InstanceName = "TomAlerts");
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(configuration.GetConnectionString("Default")!);
                    store.UseClustering();
                    // Triggers are acquired under the database row lock: without it two nodes can both claim one firing
                    // (Quartz's clustered acquisition race), and a schedule runs twice at once.
                    store.ConfigureStore(options => options.AcquireTriggersWithinLock = true);
                });
            }
            else
            {
                // Nothing outlives the process; the start-up reconciliation rebuilds the triggers from the saved queries.
                quartz.UseInMemoryStore();
            }
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        services.AddSingleton<QuerySchedules>();
        services.AddHostedService<ScheduleReconciler>();
        return services;
    }
}
