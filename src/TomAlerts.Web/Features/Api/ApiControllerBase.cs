using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace TomAlerts.Web.Features.Api;

/// <summary>
/// What every /api/v1 controller shares: JSON in and out, ProblemDetails for errors, and the antiforgery check for
/// browser (cookie) calls that change data.
/// </summary>
[ApiController]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[TypeFilter<CookieAntiforgeryFilter>]
public abstract class ApiControllerBase : ControllerBase
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    protected ObjectResult NotFoundProblem(string detail) =>
        Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    protected ActionResult Invalid(string field, string message, string title = "The request is not valid") =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] }, title);

    protected ActionResult Invalid(IDictionary<string, string[]> errors, string title = "The request is not valid") =>
        ValidationProblem(new ValidationProblemDetails(errors) { Title = title, Status = StatusCodes.Status400BadRequest });

    protected ActionResult BadFormat(string? format) =>
        Invalid("format", $"'{format}' is not an export format: use csv, json or votable.");

    /// <summary>A 400 naming the bad paging values, or null when <paramref name="page"/> and <paramref name="pageSize"/> are usable.</summary>
    protected ActionResult? CheckPaging(int page, int pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["The page number starts at 1."];
        }
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"The page size must be between 1 and {MaxPageSize}."];
        }
        return errors.Count == 0 ? null : Invalid(errors, "Paging is not valid");
    }
}

/// <summary>
/// A browser's cookie is sent by every page of the same site, so a cookie-authenticated call that changes data must
/// carry the antiforgery token (header "RequestVerificationToken") as the page forms do. Bearer calls need no token:
/// a script's header cannot be forged by another page.
/// </summary>
public sealed class CookieAntiforgeryFilter(IAntiforgery antiforgery) : IAsyncAuthorizationFilter
{
    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var http = context.HttpContext;
        var method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method)
            || http.User.Identity is not { IsAuthenticated: true, AuthenticationType: not BearerTokenHandler.SchemeName })
        {
            return;
        }
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            context.Result = new ObjectResult(new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Antiforgery token missing",
                Detail = "A browser call that changes data must send the page's antiforgery token in the 'RequestVerificationToken' header. Scripts should use 'Authorization: Bearer <token>' instead.",
            })
            { StatusCode = StatusCodes.Status400BadRequest, ContentTypes = { "application/problem+json" } };
        }
    }
}

/// <summary>One page of a list: <see cref="Total"/> counts every item, <see cref="Items"/> is empty past the last page.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    public static Paged<T> Of(IReadOnlyList<T> items, Shared.Paging paging) => new(items, paging.Total, paging.Page, paging.PageSize);
}
