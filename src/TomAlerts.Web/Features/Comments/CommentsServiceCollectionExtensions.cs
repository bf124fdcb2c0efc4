namespace TomAlerts.Web.Features.Comments;

public static class CommentsServiceCollectionExtensions
{
    /// <summary>Comments on targets and on run alerts: the target page's and the alert panel's blocks, their forms and the API.</summary>
    public static IServiceCollection AddTomAlertsComments(this IServiceCollection services)
    {
        services.AddScoped<TargetComments>();
        services.AddScoped<TomAlerts.Web.Features.Targets.ITargetMergeStep, CommentsMergeStep>();
        return services;
    }
}
