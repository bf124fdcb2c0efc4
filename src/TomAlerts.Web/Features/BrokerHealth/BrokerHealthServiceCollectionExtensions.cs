using Microsoft.AspNetCore.Mvc;
using TomAlerts.Brokers.Resilience;

namespace TomAlerts.Web.Features.BrokerHealth;

public static class BrokerHealthServiceCollectionExtensions
{
    /// <summary>
    /// Broker health: every broker HTTP call recorded (queued, written in batches in the background, pruned after
    /// BrokerHealth:RetentionDays), the health page's reader, and the page time budget for broker calls.
    /// </summary>
    public static IServiceCollection AddTomAlertsBrokerHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BrokerHealthOptions>()
            .Bind(configuration.GetSection(BrokerHealthOptions.SectionName))
            .Validate(o => o.RetentionDays >= 1 && o.LatencyWindow >= 1 && o.QueueCapacity >= 1 && o.PageBudget > TimeSpan.Zero,
                $"{BrokerHealthOptions.SectionName}: RetentionDays, LatencyWindow and QueueCapacity must be at least 1 and PageBudget positive.")
            .ValidateOnStart();
        services.AddSingleton<BrokerCallLog>();
        services.AddSingleton<IBrokerCallRecorder>(sp => sp.GetRequiredService<BrokerCallLog>());
        services.AddHostedService(sp => sp.GetRequiredService<BrokerCallLog>());
        services.AddScoped<BrokerHealthReader>();
        services.Configure<MvcOptions>(o => o.Filters.Add<BrokerPageBudgetFilter>());
        return services;
    }
}
