namespace TomAlerts.Web.Features.Queries;

public static class QueriesServiceCollectionExtensions
{
    /// <summary>Saved broker queries: their forms, pages and API.</summary>
    public static IServiceCollection AddTomAlertsQueries(this IServiceCollection services) => services.AddScoped<SavedQueries>();
}
