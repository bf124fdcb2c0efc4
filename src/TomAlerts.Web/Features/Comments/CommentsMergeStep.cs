using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.Comments;

/// <summary>Merging two targets: the other target's comments move to the kept one, with their authors and times.</summary>
public sealed class CommentsMergeStep(AppDbContext db) : ITargetMergeStep
{
    public async Task<string?> DescribeAsync(int keptId, int fromId, CancellationToken cancellationToken)
    {
        var count = await db.Comments.CountAsync(c => c.TargetId == fromId, cancellationToken);
        return count == 0 ? null : $"{count} comment{(count == 1 ? "" : "s")}";
    }

    public async Task<string?> MoveAsync(int keptId, int fromId, CancellationToken cancellationToken)
    {
        var moved = await db.Comments.Where(c => c.TargetId == fromId).ExecuteUpdateAsync(s => s.SetProperty(c => c.TargetId, keptId), cancellationToken);
        return moved == 0 ? null : $"{moved} comment{(moved == 1 ? "" : "s")} moved.";
    }
}
