using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Groups;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.Groups;

/// <summary>Merging two targets: the kept target is in every group either was in, so nobody loses sight of it.</summary>
public sealed class TargetGroupsMergeStep(AppDbContext db) : ITargetMergeStep
{
    public async Task<string?> DescribeAsync(int keptId, int fromId, CancellationToken cancellationToken)
    {
        var added = await NewGroups(keptId, fromId).CountAsync(cancellationToken);
        return added == 0 ? null : $"{added} more group{(added == 1 ? "" : "s")} (whoever saw either target sees the merged one)";
    }

    public async Task<string?> MoveAsync(int keptId, int fromId, CancellationToken cancellationToken)
    {
        var groups = await NewGroups(keptId, fromId).ToListAsync(cancellationToken);
        db.TargetGroups.AddRange(groups.Select(g => new TargetGroup { TargetId = keptId, GroupId = g }));
        await db.SaveChangesAsync(cancellationToken);
        return groups.Count == 0 ? null : $"{groups.Count} group{(groups.Count == 1 ? "" : "s")} added.";
    }

    private IQueryable<int> NewGroups(int keptId, int fromId) =>
        db.TargetGroups.Where(g => g.TargetId == fromId).Select(g => g.GroupId)
            .Where(id => !db.TargetGroups.Any(k => k.TargetId == keptId && k.GroupId == id));
}
