using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TomAlerts.Data;

namespace TomAlerts.Web.Hosting;

public static class IdentityExtensions
{
    public const string AdminRole = "admin";
    public const string UserRole = "user";

    public static IServiceCollection AddTomAlertsIdentity(this IServiceCollection services)
    {
        services.AddIdentity<IdentityUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Lockout.AllowedForNewUsers = true;
                // Only after many failures (each client is slowed long before: LoginThrottle), never for administrators.
                options.Lockout.MaxFailedAccessAttempts = 20;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddUserManager<TomAlertsUserManager>()
            .AddDefaultTokenProviders();
        // Keys of login cookies and antiforgery tokens live in the database: they survive a container restart and every
        // instance on one PostgreSQL database shares them. Whoever can read the database can read them (README, Security).
        services.AddDataProtection().PersistKeysToDbContext<AppDbContext>().SetApplicationName("TomAlerts");
        // Every request checks the cookie's security stamp, so logging out (a new stamp) kills stolen copies at once.
        // A stamp confirmed by the database is trusted for a few seconds (ValidatedStamps), forgotten at once when the
        // user changes here; that spares every request the user, role and claim reads and a re-issued cookie.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
        services.AddSingleton<ValidatedStamps>();
        services.Replace(ServiceDescriptor.Scoped<ISecurityStampValidator, CachedSecurityStampValidator>());
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/account/login";
            cookie.LogoutPath = "/account/logout";
            cookie.AccessDeniedPath = "/account/access-denied";
            cookie.Cookie.Name = "TomAlerts.Auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            // Relative redirects: the Host header a client sent never becomes a Location.
            cookie.Events.OnRedirectToLogin = context => RelativeRedirect(context);
            cookie.Events.OnRedirectToAccessDenied = context => RelativeRedirect(context);
            cookie.Events.OnRedirectToLogout = context => RelativeRedirect(context);
            cookie.Events.OnRedirectToReturnUrl = context => RelativeRedirect(context);
        });
        return services;
    }

    private static Task RelativeRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context)
    {
        var target = !context.RedirectUri.StartsWith('/') && Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute)
            ? absolute.PathAndQuery + absolute.Fragment
            : context.RedirectUri;
        context.Response.Redirect(Features.Shared.LocalUrls.Encode(target));
        return Task.CompletedTask;
    }

    public static bool IsAdmin(this System.Security.Claims.ClaimsPrincipal user) => user.IsInRole(AdminRole);

    public static string? UserId(this System.Security.Claims.ClaimsPrincipal user) =>
        user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
}
