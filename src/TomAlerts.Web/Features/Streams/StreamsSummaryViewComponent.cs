using Microsoft.AspNetCore.Mvc;

namespace TomAlerts.Web.Features.Streams;

/// <summary>The Brokers page's Streams section: each subscription the user sees with its status, throughput, lag and last message.</summary>
public sealed class StreamsSummaryViewComponent(StreamSubscriptions subscriptions) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("/Features/Streams/Views/_StreamsSummary.cshtml", await subscriptions.ListVisibleAsync(UserClaimsPrincipal, HttpContext.RequestAborted));
}
