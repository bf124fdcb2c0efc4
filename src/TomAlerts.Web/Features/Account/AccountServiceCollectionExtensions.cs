using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TomAlerts.Web.Features.Account;

public static class AccountServiceCollectionExtensions
{
    /// <summary>
    /// Accounts (section "Account"): how people register (open, by invitation or approved by an admin) and their personal
    /// API tokens. The login itself is ASP.NET Core Identity, set up by the host.
    /// </summary>
    public static IServiceCollection AddTomAlertsAccount(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountOptions>().Bind(configuration.GetSection("Account"));
        services.AddScoped<ApiTokenService>();
        services.AddScoped<Registration>();
        services.AddSingleton<LoginThrottle>();
        // An account waiting for approval cannot log in; every other account can (there is no email confirmation).
        services.Replace(ServiceDescriptor.Scoped<IUserConfirmation<IdentityUser>, PendingApprovalConfirmation>());
        services.Configure<IdentityOptions>(o => o.SignIn.RequireConfirmedAccount = true);
        return services;
    }
}
