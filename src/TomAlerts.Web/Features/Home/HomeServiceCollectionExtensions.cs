namespace TomAlerts.Web.Features.Home;

public static class HomeServiceCollectionExtensions
{
    /// <summary>The home page: new alerts since the last visit, recent targets, the user's lists, the brokers in one line each.</summary>
    public static IServiceCollection AddTomAlertsHome(this IServiceCollection services)
    {
        services.AddScoped<Dashboard>();
        return services;
    }
}
