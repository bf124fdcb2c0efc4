using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.TargetLists;

/// <summary>Merging two targets: the kept target joins every list the other was in.</summary>
public sealed class TargetListsMergeStep(AppDbContext db) : ITargetMergeStep
{
    public async Task<string?> DescribeAsync(int keptId, int fromId, CancellationToken cancellationToken)
    {
        var lists = await NewLists(keptId, fromId).CountAsync(cancellationToken);
        return lists == 0 ? null : $"{lists} list membership{(lists == 1 ? "" : "s")}";
    }

    public async Task<string?> MoveAsync(int keptId, int fromId, CancellationToken cancellationToken)
    {
        var moved = await NewLists(keptId, fromId).ExecuteUpdateAsync(s => s.SetProperty(m => m.TargetId, keptId), cancellationToken);
        return moved == 0 ? null : $"{moved} list membership{(moved == 1 ? "" : "s")} moved.";
    }

    /// <summary>The other target's memberships of lists the kept target is not in yet (the rest go with the other target).</summary>
    private IQueryable<TomAlerts.Targets.TargetListMember> NewLists(int keptId, int fromId) =>
        db.TargetListMembers.Where(m => m.TargetId == fromId && !db.TargetListMembers.Any(k => k.TargetId == keptId && k.TargetListId == m.TargetListId));
}
