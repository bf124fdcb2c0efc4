namespace TomAlerts.Web.Features.Exports;

public static class ExportsServiceCollectionExtensions
{
    /// <summary>CSV, JSON and VOTable downloads of run alerts, the target list and photometry.</summary>
    public static IServiceCollection AddTomAlertsExports(this IServiceCollection services) => services.AddScoped<ExportService>();
}
