namespace TomAlerts.Web.Features.Streams;

public static class StreamsServiceCollectionExtensions
{
    /// <summary>Stream subscriptions: the sources' settings, their pages and API.</summary>
    public static IServiceCollection AddTomAlertsStreams(this IServiceCollection services)
    {
        services.AddSingleton<StreamSources>();
        services.AddScoped<StreamSubscriptions>();
        return services;
    }
}
