using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using TomAlerts.Web.Features.Account;
using TomAlerts.Web.Features.Api;
using TomAlerts.Web.Features.Exports;

namespace TomAlerts.Web.Hosting;

/// <summary>
/// The JSON API under /api/v1: personal API tokens (Bearer) beside the browser login, ProblemDetails for every error
/// (401, never a redirect to the login page), the OpenAPI document, its reference page, and the exports.
/// </summary>
public static class ApiExtensions
{
    /// <summary>Picks the Bearer token for /api calls that send one, and the browser's login cookie otherwise.</summary>
    public const string TokenOrCookieScheme = "TokenOrCookie";
    public const string ReferencePath = "api/docs";
    public const string OpenApiPath = "/openapi/v1.json";

    public static IServiceCollection AddTomAlertsApi(this IServiceCollection services)
    {
        // After AddTomAlertsIdentity: its cookie-only defaults become "the token for /api calls that send one, else the cookie".
        services.AddAuthentication(options =>
            {
                options.DefaultAuthenticateScheme = TokenOrCookieScheme;
                options.DefaultChallengeScheme = TokenOrCookieScheme;
                options.DefaultForbidScheme = TokenOrCookieScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null)
            .AddPolicyScheme(TokenOrCookieScheme, "API token or browser login", options => options.ForwardDefaultSelector = context =>
                ApiProblems.IsApi(context.Request) && BearerTokenHandler.HasBearer(context.Request) ? BearerTokenHandler.SchemeName : IdentityConstants.ApplicationScheme);
        services.ConfigureApplicationCookie(cookie =>
        {
            var toLogin = cookie.Events.OnRedirectToLogin;
            var toAccessDenied = cookie.Events.OnRedirectToAccessDenied;
            cookie.Events.OnRedirectToLogin = context =>
                ApiProblems.IsApi(context.Request) ? ApiProblems.WriteUnauthorizedAsync(context.HttpContext) : toLogin(context);
            cookie.Events.OnRedirectToAccessDenied = context =>
                ApiProblems.IsApi(context.Request) ? ApiProblems.WriteForbiddenAsync(context.HttpContext) : toAccessDenied(context);
        });
        services.AddOpenApi(ApiDocumentation.Configure);
        return services;
    }

    /// <summary>Middleware: API errors as ProblemDetails (after the status-code pages, which it turns off for /api), and the reference page.</summary>
    public static WebApplication UseTomAlertsApi(this WebApplication app)
    {
        app.UseApiProblems();
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = ReferencePath;
            options.DocumentTitle = "TomAlerts API reference";
            options.SwaggerEndpoint(OpenApiPath, "TomAlerts API v1");
        });
        return app;
    }

    /// <summary>Open to all: the OpenAPI document (which also describes /healthz, see Features/Health).</summary>
    public static WebApplication MapTomAlertsApi(this WebApplication app)
    {
        app.MapOpenApi(OpenApiPath).AllowAnonymous();
        return app;
    }
}
