namespace TomAlerts.Web.Features.Runs;

public static class RunsServiceCollectionExtensions
{
    /// <summary>Runs of saved queries: starting them, the background workers, and paging their alerts (section "Runs").</summary>
    public static IServiceCollection AddTomAlertsRuns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RunsOptions>().Bind(configuration.GetSection("Runs"))
            .Validate(o => o.Concurrency is >= 1 and <= 16, "Runs:Concurrency must be between 1 and 16.")
            .Validate(o => o.SweepSeconds >= 1, "Runs:SweepSeconds must be at least 1.")
            .Validate(o => o.StaleAfterSeconds > RunExecutor.HeartbeatInterval.TotalSeconds,
                $"Runs:StaleAfterSeconds must be longer than the {RunExecutor.HeartbeatInterval.TotalSeconds} s heartbeat.")
            .ValidateOnStart();
        services.AddSingleton<RunQueue>();
        services.AddHostedService<RunWorker>();
        services.AddScoped<RunExecutor>();
        services.AddScoped<RunStarter>();
        services.AddScoped<RunAlertList>();
        services.AddScoped<TriageDecisions>();
        services.AddScoped<AlertDescriber>();
        services.AddSingleton<RunBrokerQueryCommand>();
        return services;
    }
}
