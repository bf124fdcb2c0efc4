using TomAlerts.Web.Features.Runs;

namespace TomAlerts.Web.Features.Targets;

public static class TargetsServiceCollectionExtensions
{
    /// <summary>Targets: creation with identity matching (section "Targets"), the target list, and targets for a run's new alerts.</summary>
    public static IServiceCollection AddTomAlertsTargets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TargetOptions>().Bind(configuration.GetSection("Targets"))
            .Validate(o => o.MatchRadiusArcsec >= 0, "Targets:MatchRadiusArcsec must not be negative.")
            .ValidateOnStart();
        services.AddScoped<TargetCreator>();
        services.AddScoped<TargetNaming>();
        services.AddScoped<TargetEditor>();
        services.AddScoped<TargetMerger>();
        services.AddScoped<TargetQueries>();
        services.AddScoped<KnownTargets>();
        services.AddScoped<TargetAccess>();
        services.AddScoped<TargetStats>();
        services.AddScoped<TargetListPage>();
        services.AddSingleton<TargetListTotal>();
        services.AddScoped<IRunCompletionHook, NewAlertTargets>();
        return services;
    }
}
