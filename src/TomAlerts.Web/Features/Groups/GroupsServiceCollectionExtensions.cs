namespace TomAlerts.Web.Features.Groups;

public static class GroupsServiceCollectionExtensions
{
    /// <summary>Groups (section "Groups"): personal and shared groups, their members and each user's default groups.</summary>
    public static IServiceCollection AddTomAlertsGroups(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GroupOptions>().Bind(configuration.GetSection("Groups"));
        services.AddScoped<GroupDirectory>();
        services.AddScoped<TomAlerts.Web.Features.Targets.ITargetMergeStep, TargetGroupsMergeStep>();
        return services;
    }
}
