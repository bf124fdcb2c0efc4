using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace TomAlerts.Brokers;

public static class BrokersServiceCollectionExtensions
{
    /// <summary>
    /// Registers the brokers named by TOM_ALERT_CLASSES, each with its own HTTP client and resilience pipeline
    /// (settings in <c>BROKERS:&lt;NAME&gt;:resilience</c>).
    /// </summary>
    public static IServiceCollection AddBrokers(this IServiceCollection services, IConfiguration configuration)
    {
        var registrations = BrokerRegistry.Resolve(configuration);
        services.AddMemoryCache();
        services.AddSingleton(TimeProvider.System);
        foreach (var registration in registrations)
        {
            var resilience = configuration.GetSection($"{BrokerSettings.SectionName(registration.Name)}:resilience");
            services.AddHttpClient(registration.Name, http =>
                {
                    http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
                    http.DefaultRequestHeaders.UserAgent.ParseAdd("TomAlerts/1.0");
                })
                .AddStandardResilienceHandler(options => resilience.Bind(options));
        }
        services.AddSingleton(sp => new BrokerRegistry(registrations, sp));
        return services;
    }
}
