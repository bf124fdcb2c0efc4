using Microsoft.AspNetCore.Mvc;

namespace TomAlerts.Web.Features.Stamps;

/// <summary>The cutouts block of a target page: the stamps of its newest alert from a broker that serves them.</summary>
public sealed class TargetStampsViewComponent(StampService stamps) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(int targetId)
    {
        var source = await stamps.FindForTargetAsync(targetId, UserClaimsPrincipal, HttpContext.RequestAborted);
        return View("/Features/Stamps/Views/_Stamps.cshtml", source is null ? StampsViewModel.None : StampsViewModel.ForTarget(targetId));
    }
}
