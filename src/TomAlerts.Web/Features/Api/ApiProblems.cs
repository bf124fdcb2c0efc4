using Microsoft.AspNetCore.WebUtilities;

namespace TomAlerts.Web.Features.Api;

/// <summary>How the API answers when something is wrong: always a ProblemDetails JSON body, never a page or a redirect.</summary>
public static class ApiProblems
{
    public const string PathPrefix = "/api";

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);

    public static Task WriteAsync(HttpContext context, int status, string? title = null, string? detail = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title ?? ReasonPhrases.GetReasonPhrase(status)).ExecuteAsync(context);

    public static Task WriteUnauthorizedAsync(HttpContext context, string? error = null)
    {
        context.Response.Headers.WWWAuthenticate = error is null ? "Bearer" : $"Bearer error=\"{error}\"";
        return WriteAsync(context, StatusCodes.Status401Unauthorized, "Not authenticated",
            error is null
                ? "Send a personal API token as 'Authorization: Bearer <token>' (create one under Account > API tokens, or with the command 'users token --email E')."
                : "The API token is not valid or was revoked.");
    }

    public static Task WriteForbiddenAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status403Forbidden, "Not allowed", "You do not have permission to do that.");

    /// <summary>
    /// For /api requests: ProblemDetails instead of the HTML status-code and error pages, for errors without a body
    /// (an unknown address, an unsupported method) and for unhandled exceptions.
    /// </summary>
    public static IApplicationBuilder UseApiProblems(this IApplicationBuilder app) =>
        app.UseWhen(context => IsApi(context.Request), api => api.Use(async (context, next) =>
        {
            if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && RefusedRead(e) is { } refused)
            {
                // The server refused the body while it was being read (over the size limit without a Content-Length, say).
                context.Response.Clear();
                await WriteAsync(context, refused.StatusCode, detail: refused.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? "The request body is larger than the API accepts (4 MB)."
                    : "The request body could not be read.");
                return;
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiProblems))
                    .LogError(e, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
                context.Response.Clear();
                await WriteAsync(context, StatusCodes.Status500InternalServerError, "Something went wrong",
                    "TomAlerts hit an unexpected error. Nothing you saved was lost; please try again.");
                return;
            }
            var response = context.Response;
            if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
            {
                await WriteAsync(context, response.StatusCode, detail: response.StatusCode == StatusCodes.Status404NotFound
                    ? $"There is nothing at {context.Request.Path}. The API reference is at /api/docs/."
                    : null);
            }
        }));

    /// <summary>A body read the server refused (Kestrel's limits), however deeply MVC wrapped it; null for any other error.</summary>
    internal static BadHttpRequestException? RefusedRead(Exception? e) =>
        e switch
        {
            null => null,
            BadHttpRequestException bad => bad,
            _ => RefusedRead(e.InnerException),
        };
}
