using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Targets;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Comments;

/// <summary>A comment as pages and the API show it: its author's e-mail, and whether the reader may edit or delete it.</summary>
public sealed record CommentView(Comment Comment, string? Author, bool CanChange);

/// <summary>
/// Comments on targets and on broker alerts. A target's comments include those left on the run alerts it was made
/// from or is known by (alert id equal to one of its names, aliases or provenance alert ids). Only the author or an
/// admin edits or deletes a comment.
/// </summary>
public sealed class TargetComments(AppDbContext db, TargetAccess access, TimeProvider clock)
{
    /// <summary>What is wrong with a comment's text, or null.</summary>
    public static string? Check(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "Write something first."
        : text.Trim().Length > Comment.MaxLength ? $"A comment has at most {Comment.MaxLength} characters."
        : null;

    public static bool CanChange(Comment comment, ClaimsPrincipal user) => user.IsAdmin() || (comment.AuthorId is not null && comment.AuthorId == user.UserId());

    /// <summary>The comments of target <paramref name="targetId"/> (null when the user may not see it), oldest first.</summary>
    public async Task<List<CommentView>?> ForTargetAsync(int targetId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await access.FindVisibleAsync(targetId, user, cancellationToken) is not { } target)
        {
            return null;
        }
        var names = await db.TargetNames.Where(a => a.TargetId == targetId).Select(a => a.Name).ToListAsync(cancellationToken);
        var alerts = await db.TargetProvenance.Where(p => p.TargetId == targetId).Select(p => p.AlertId).Distinct().ToListAsync(cancellationToken);
        var keys = names.Concat(alerts).Append(target.Name).Distinct().ToList();
        var comments = db.Comments.Where(c => c.TargetId == targetId || (c.TargetId == null && c.AlertId != null && keys.Contains(c.AlertId)));
        return await ViewsAsync(comments, user, cancellationToken);
    }

    /// <summary>The comments on a broker's alert, oldest first.</summary>
    public Task<List<CommentView>> ForAlertAsync(string broker, string alertId, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        ViewsAsync(db.Comments.Where(c => c.Broker == broker && c.AlertId == alertId), user, cancellationToken);

    public async Task<Comment> AddAsync(int? targetId, string? broker, string? alertId, string text, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var comment = new Comment
        {
            TargetId = targetId, Broker = broker, AlertId = alertId is { Length: > 200 } ? alertId[..200] : alertId,
            Text = text.Trim(), AuthorId = user.UserId(), Created = clock.GetUtcNow().UtcDateTime,
        };
        db.Comments.Add(comment);
        await db.SaveChangesAsync(cancellationToken);
        return comment;
    }

    /// <summary>The comment <paramref name="commentId"/> shown on target <paramref name="targetId"/>, or null.</summary>
    public async Task<Comment?> FindOnTargetAsync(int targetId, long commentId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var views = await ForTargetAsync(targetId, user, cancellationToken);
        return views?.FirstOrDefault(v => v.Comment.Id == commentId)?.Comment;
    }

    public Task<Comment?> FindOnAlertAsync(string broker, string alertId, long commentId, CancellationToken cancellationToken) =>
        db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == commentId && c.Broker == broker && c.AlertId == alertId, cancellationToken);

    public async Task EditAsync(Comment comment, string text, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var trimmed = text.Trim();
        await db.Comments.Where(c => c.Id == comment.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Text, trimmed).SetProperty(c => c.Edited, now), cancellationToken);
        (comment.Text, comment.Edited) = (trimmed, now);
    }

    public Task DeleteAsync(Comment comment, CancellationToken cancellationToken) =>
        db.Comments.Where(c => c.Id == comment.Id).ExecuteDeleteAsync(cancellationToken);

    public async Task<string?> AuthorOfAsync(Comment comment, CancellationToken cancellationToken) =>
        comment.AuthorId is null ? null : await db.Users.Where(u => u.Id == comment.AuthorId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);

    private async Task<List<CommentView>> ViewsAsync(IQueryable<Comment> comments, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var rows = await (from c in comments.AsNoTracking()
                          join u in db.Users on c.AuthorId equals u.Id into authors
                          from u in authors.DefaultIfEmpty()
                          orderby c.Created, c.Id
                          select new { Comment = c, Author = u == null ? null : u.Email }).ToListAsync(cancellationToken);
        return rows.Select(r => new CommentView(r.Comment, r.Author, CanChange(r.Comment, user))).ToList();
    }
}
