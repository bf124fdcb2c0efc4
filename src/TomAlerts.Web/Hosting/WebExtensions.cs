using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Razor;

namespace TomAlerts.Web.Hosting;

public static class WebExtensions
{
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    /// <summary>MVC with feature folders (Features/&lt;Feature&gt;/Views), every page behind login unless marked anonymous.</summary>
    public static IServiceCollection AddTomAlertsWeb(this IServiceCollection services)
    {
        services.AddControllersWithViews();
        services.Configure<RazorViewEngineOptions>(options =>
        {
            options.ViewLocationFormats.Clear();
            options.ViewLocationFormats.Add("/Features/{1}/Views/{0}.cshtml");
            options.ViewLocationFormats.Add("/Features/Shared/{0}.cshtml");
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "TomAlerts.Antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure whenever the page came over HTTPS
        });
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(options =>
        {
            options.ValueCountLimit = 20_000; // a results page can tick thousands of alerts
            options.MultipartBodyLengthLimit = 1_000_000;
            options.ValueLengthLimit = 1_000_000;
        });
        // No form or API call of TomAlerts comes near this; a larger body is refused with 413 before it is read.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(options => options.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.AddProblemDetails();
        services.AddScoped<Features.Queries.SavedQueries>();
        return services;
    }

    public static WebApplication UseTomAlertsPipeline(this WebApplication app)
    {
        app.UseExceptionHandler("/error");
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseSecurityHeaders();
        app.UseSerilogRequestLogging();
        app.UseTomAlertsApi();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapStaticAssets().AllowAnonymous();
        app.MapControllers();
        app.MapTomAlertsApi();
        return app;
    }

    private static void UseSerilogRequestLogging(this WebApplication app) =>
        Serilog.SerilogApplicationBuilderExtensions.UseSerilogRequestLogging(app);

    /// <summary>No inline script, no framing, no content sniffing.</summary>
    private static void UseSecurityHeaders(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            await next();
        });
}
