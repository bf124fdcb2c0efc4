namespace TomAlerts.Web.Features.Stamps;

public static class StampsServiceCollectionExtensions
{
    /// <summary>Cutout stamps (section "Stamps"): fetched from the brokers that serve them, rendered to PNG, cached on disk.</summary>
    public static IServiceCollection AddTomAlertsStamps(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StampsOptions>().Bind(configuration.GetSection(StampsOptions.Section))
            .Validate(o => o.CacheMegabytes > 0, "Stamps:CacheMegabytes must be at least 1.")
            .Validate(o => o.MissingMinutes >= 0, "Stamps:MissingMinutes must not be negative.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.CacheFolder), "Stamps:CacheFolder must name a folder.")
            .ValidateOnStart();
        services.AddSingleton<StampCache>();
        services.AddSingleton<StampRenderer>();
        services.AddScoped<StampService>();
        return services;
    }
}
