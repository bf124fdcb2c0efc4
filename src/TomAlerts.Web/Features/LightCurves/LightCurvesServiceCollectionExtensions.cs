namespace TomAlerts.Web.Features.LightCurves;

public static class LightCurvesServiceCollectionExtensions
{
    /// <summary>Targets' photometry: merging brokers' light curves, re-fetching them, and the plot.</summary>
    public static IServiceCollection AddTomAlertsLightCurves(this IServiceCollection services)
    {
        services.AddScoped<PhotometryMerger>();
        services.AddScoped<ReducedDataUpdater>();
        return services;
    }
}
