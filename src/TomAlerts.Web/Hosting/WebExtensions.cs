using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Razor;
using TomAlerts.Web.Features.Health;

namespace TomAlerts.Web.Hosting;

public static class WebExtensions
{
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    /// <summary>MVC with feature folders (Features/&lt;Feature&gt;/Views), every page behind login unless marked anonymous.</summary>
    public static IServiceCollection AddTomAlertsWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddControllersWithViews();
        services.AddSingleton<Features.Shared.PublicAddress>();
        // Behind a TLS-terminating proxy: the client's address and scheme from the proxies named in Proxy:KnownProxies /
        // Proxy:KnownNetworks only (none by default: then the headers are ignored), so cookies are Secure and HSTS is sent.
        services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in configuration.GetSection("Proxy:KnownProxies").Get<string[]>() ?? [])
            {
                options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
            foreach (var network in configuration.GetSection("Proxy:KnownNetworks").Get<string[]>() ?? [])
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
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
        return services;
    }

    public static WebApplication UseTomAlertsPipeline(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler("/error");
        app.UseHsts(); // only on https requests, never for localhost
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseSecurityHeaders();
        app.UseBadRequestStatus();
        app.UseSerilogRequestLogging();
        app.UseTomAlertsApi();
        app.UseRouting();
        app.UseAuthentication();
        app.UseTomAlertsRateLimits();
        app.UseAuthorization();
        app.MapStaticAssets().AllowAnonymous();
        app.MapControllers();
        app.MapTomAlertsApi();
        app.MapTomAlertsHealth();
        return app;
    }

    private static void UseSerilogRequestLogging(this WebApplication app) =>
        Serilog.SerilogApplicationBuilderExtensions.UseSerilogRequestLogging(app);

    /// <summary>
    /// A body over the size limit is refused with 413 before anything reads it, and a request the server refuses while
    /// reading keeps its 4xx; the status page that follows renders from its route alone and never reads that body
    /// again (which would fail and turn the page into a 500).
    /// </summary>
    private static void UseBadRequestStatus(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null)
            {
                context.Features.Set<Microsoft.AspNetCore.Http.Features.IFormFeature>(
                    new Microsoft.AspNetCore.Http.Features.FormFeature(FormCollection.Empty));
            }
            else if (context.Request.ContentLength > context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }
            try
            {
                await next();
            }
            catch (Exception e) when (!context.Response.HasStarted && Features.Api.ApiProblems.RefusedRead(e) is { } bad)
            {
                context.Response.Clear();
                context.Response.StatusCode = bad.StatusCode;
            }
        });

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
