using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.Runs;

public static class RunsServiceCollectionExtensions
{
    /// <summary>Background runs of saved queries, and turning their alerts into targets.</summary>
    public static IServiceCollection AddTomAlertsRuns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<RunQueue>();
        services.AddHostedService<RunWorker>();
        services.AddScoped<RunExecutor>();
        services.AddSingleton<RunBrokerQueryCommand>();
        services.Configure<TargetOptions>(configuration.GetSection("Targets"));
        services.AddScoped<TargetCreator>();
        services.AddScoped<ReducedDataUpdater>();
        return services;
    }
}
