using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace TomAlerts.Web.Features.Home;

public sealed class HomeController(ILogger<HomeController> logger) : Controller
{
    [HttpGet("/")]
    public async Task<IActionResult> Index([FromServices] Dashboard dashboard, CancellationToken cancellationToken) =>
        View(await dashboard.VisitAsync(User, cancellationToken));

    [AllowAnonymous]
    [Route("/error")]
    [ApiExplorerSettings(IgnoreApi = true)]
    public IActionResult Error()
    {
        var failure = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        if (failure is not null)
        {
            logger.LogError(failure.Error, "Unhandled error on {Path}", failure.Path);
        }
        return this.ProblemPage(StatusCodes.Status500InternalServerError, "Something went wrong",
            "TomAlerts hit an unexpected error. Nothing you saved was lost; please try again, and tell your administrator if it keeps happening.");
    }

    [AllowAnonymous]
    [Route("/error/{code:int}")]
    [ApiExplorerSettings(IgnoreApi = true)]
    public IActionResult Status(int code) => code switch
    {
        404 => this.NotFoundPage("There is nothing at this address."),
        400 => this.ProblemPage(400, "Bad request", "The request could not be understood. Go back and try again."),
        403 => this.ProblemPage(403, "Not allowed", "You do not have permission to do that."),
        405 => this.ProblemPage(405, "Not allowed", "This address does not accept that kind of request."),
        _ => this.ProblemPage(code is >= 400 and < 600 ? code : 500, "Something went wrong", $"The request ended with status {code}."),
    };
}
