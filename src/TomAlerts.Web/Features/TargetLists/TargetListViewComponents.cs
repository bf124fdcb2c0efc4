using Microsoft.AspNetCore.Mvc;
using TomAlerts.Targets;

namespace TomAlerts.Web.Features.TargetLists;

/// <summary>The target page's lists: those the target is in, and "add to list" for the lists the reader may change.</summary>
public sealed class TargetMembershipViewComponent(SavedTargetLists lists) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(int targetId)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var inLists = (await lists.ListsOfAsync([targetId], UserClaimsPrincipal, cancellationToken)).GetValueOrDefault(targetId) ?? [];
        var changeable = await lists.ChangeableAsync(UserClaimsPrincipal, cancellationToken);
        return View("/Features/TargetLists/Views/_Membership.cshtml", new MembershipViewModel(targetId, inLists, changeable));
    }
}

/// <summary>The optional "put them in a list" select of a run's create-targets form.</summary>
public sealed class ListSelectViewComponent(SavedTargetLists lists) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("/Features/TargetLists/Views/_ListSelect.cshtml", await lists.ChangeableAsync(UserClaimsPrincipal, HttpContext.RequestAborted));
}

public sealed record MembershipViewModel(int TargetId, IReadOnlyList<TargetList> In, IReadOnlyList<TargetList> Changeable);
