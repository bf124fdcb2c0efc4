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
            .Validate(o => o.MaxQueuedPerUser >= 0 && o.MaxPerUserPerHour >= 0, "Runs:MaxQueuedPerUser and Runs:MaxPerUserPerHour must not be negative.")
            .Validate(o => o.FollowUpConcurrency is >= 1 and <= 64, "Runs:FollowUpConcurrency must be between 1 and 64.")
            .Validate(o => o.FollowUpMaxAttempts >= 1, "Runs:FollowUpMaxAttempts must be at least 1.")
            .Validate(o => o.FollowUpRetrySeconds >= 0, "Runs:FollowUpRetrySeconds must not be negative.")
            .Validate(o => o.FollowUpStaleAfterSeconds >= 60, "Runs:FollowUpStaleAfterSeconds must be at least 60.")
            .ValidateOnStart();
        services.AddSingleton<RunQueue>();
        services.AddSingleton<RunFollowUpSignal>();
        services.AddSingleton<RunFollowUpDelivery>();
        services.AddHostedService<RunFollowUpWorker>();
        services.AddScoped<RunQuota>();
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
