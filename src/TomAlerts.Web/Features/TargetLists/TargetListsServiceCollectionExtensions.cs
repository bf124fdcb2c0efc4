namespace TomAlerts.Web.Features.TargetLists;

public static class TargetListsServiceCollectionExtensions
{
    /// <summary>Target lists: their pages and API, and membership from the target list, the target page and a run's "create targets".</summary>
    public static IServiceCollection AddTomAlertsTargetLists(this IServiceCollection services)
    {
        services.AddScoped<SavedTargetLists>();
        services.AddScoped<TomAlerts.Web.Features.Targets.ITargetMergeStep, TargetListsMergeStep>();
        return services;
    }
}
