using Microsoft.AspNetCore.Mvc;

namespace TomAlerts.Web.Features;

/// <summary>A friendly error page: what went wrong, in words, and a way back.</summary>
public sealed record ProblemViewModel(string Title, string Message, string? BackUrl = null, string? BackLabel = null);

public static class ProblemResults
{
    public static ViewResult ProblemPage(this Controller controller, int status, string title, string message, string? backUrl = null, string? backLabel = null)
    {
        controller.Response.StatusCode = status;
        return controller.View("Problem", new ProblemViewModel(title, message, backUrl, backLabel));
    }

    public static ViewResult NotFoundPage(this Controller controller, string message) =>
        controller.ProblemPage(StatusCodes.Status404NotFound, "Not found", message);
}
