namespace TomAlerts.Web.Features.ConeSearch;

public static class ConeSearchServiceCollectionExtensions
{
    /// <summary>The cross-broker cone search (section "Search").</summary>
    public static IServiceCollection AddTomAlertsConeSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConeSearchOptions>().Bind(configuration.GetSection("Search"))
            .Validate(o => o.BrokerTimeout > TimeSpan.Zero && o.MaxAlertsPerBroker > 0 && o.MaxRadiusArcsec > 0
                           && o.DefaultRadiusArcsec > 0 && o.DefaultRadiusArcsec <= o.MaxRadiusArcsec && o.MergeRadiusArcsec >= 0,
                "Search: BrokerTimeout, MaxAlertsPerBroker, radii must be positive, and DefaultRadiusArcsec at most MaxRadiusArcsec.")
            .ValidateOnStart();
        services.AddScoped<ConeSearcher>();
        services.AddScoped<ConeTargetCreator>();
        return services;
    }
}
