namespace TomAlerts.Web.Features.Account;

public static class AccountServiceCollectionExtensions
{
    /// <summary>Accounts' personal API tokens (the login itself is ASP.NET Core Identity, set up by the host).</summary>
    public static IServiceCollection AddTomAlertsAccount(this IServiceCollection services) => services.AddScoped<ApiTokenService>();
}
