using Microsoft.AspNetCore.Mvc;
using TomAlerts.Targets;

namespace TomAlerts.Web.Features.TargetLists;

/// <summary>The target page's lists: those the target is in, and "add to list" for the lists the reader may change.</summary>
public sealed class TargetMembershipViewComponent(SavedTargetLists lists) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(int targetId)
    {
        var memberships = await lists.MembershipsAsync([targetId], UserClaimsPrincipal, HttpContext.RequestAborted);
        return View("/Features/TargetLists/Views/_Membership.cshtml", new MembershipViewModel(targetId, memberships.Of.GetValueOrDefault(targetId) ?? [], memberships.Changeable));
    }
}

/// <summary>The optional "put them in a list" select of a run's create-targets form.</summary>
public sealed class ListSelectViewComponent(SavedTargetLists lists) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("/Features/TargetLists/Views/_ListSelect.cshtml", await lists.ChangeableAsync(UserClaimsPrincipal, HttpContext.RequestAborted));
}

public sealed record MembershipViewModel(int TargetId, IReadOnlyList<TargetList> In, IReadOnlyList<TargetList> Changeable);
