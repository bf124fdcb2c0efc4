using Microsoft.AspNetCore.Mvc;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Api;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.Comments;

/// <summary>Comments on a target (and those left on the run alerts it is known by), oldest first.</summary>
[Route("api/v1/targets/{id:int}/comments")]
[Tags("Targets")]
public sealed class CommentsApiController(TargetComments comments, TargetAccess access) : ApiControllerBase
{
    [HttpGet("")]
    [EndpointSummary("A target's comments, with those on the run alerts it is known by")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<IReadOnlyList<CommentDto>>> List(int id, CancellationToken cancellationToken)
    {
        var views = await comments.ForTargetAsync(id, User, cancellationToken);
        return views is null ? TargetNotFound(id) : views.Select(CommentDto.From).ToList();
    }

    [HttpPost("")]
    [EndpointSummary("Comment on a target (plain text, up to 4000 characters)")]
    [ProducesResponseType(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<CommentDto>> Create(int id, CommentInput input, CancellationToken cancellationToken)
    {
        if (await access.FindVisibleAsync(id, User, cancellationToken) is null)
        {
            return TargetNotFound(id);
        }
        if (!await access.CanChangeAsync(id, User, cancellationToken))
        {
            return Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: "You may not comment on this target.");
        }
        if (TargetComments.Check(input.Text) is { } error)
        {
            return Invalid("text", error);
        }
        var comment = await comments.AddAsync(id, null, null, input.Text!, User, cancellationToken);
        var dto = CommentDto.From(new CommentView(comment, await comments.AuthorOfAsync(comment, cancellationToken), true));
        return Created($"/api/v1/targets/{id}/comments/{comment.Id}", dto);
    }

    [HttpPatch("{commentId:long}")]
    [EndpointSummary("Edit a comment (its author or an admin)")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<CommentDto>> Edit(int id, long commentId, CommentInput input, CancellationToken cancellationToken)
    {
        var (comment, refusal) = await ChangeableAsync(id, commentId, cancellationToken);
        if (comment is null)
        {
            return refusal!;
        }
        if (TargetComments.Check(input.Text) is { } error)
        {
            return Invalid("text", error);
        }
        await comments.EditAsync(comment, input.Text!, cancellationToken);
        return CommentDto.From(new CommentView(comment, await comments.AuthorOfAsync(comment, cancellationToken), true));
    }

    [HttpDelete("{commentId:long}")]
    [EndpointSummary("Delete a comment (its author or an admin)")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(int id, long commentId, CancellationToken cancellationToken)
    {
        var (comment, refusal) = await ChangeableAsync(id, commentId, cancellationToken);
        if (comment is null)
        {
            return refusal!;
        }
        await comments.DeleteAsync(comment, cancellationToken);
        return NoContent();
    }

    private async Task<(Comment? Comment, ActionResult? Refusal)> ChangeableAsync(int id, long commentId, CancellationToken cancellationToken)
    {
        var comment = await comments.FindOnTargetAsync(id, commentId, User, cancellationToken);
        if (comment is null)
        {
            return (null, NotFoundProblem($"There is no comment {commentId} on target {id}."));
        }
        return TargetComments.CanChange(comment, User)
            ? (comment, null)
            : (null, Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: "Only the author of a comment (or an admin) can change or delete it."));
    }

    private ObjectResult TargetNotFound(int id) => NotFoundProblem($"There is no target {id}.");
}

public sealed record CommentInput(string? Text);

/// <summary>A comment: plain text (encode it when you show it in HTML). broker and alertId are set for a comment left on a run alert.</summary>
public sealed record CommentDto(long Id, string Text, string? Author, DateTime Created, DateTime? Edited, string? Broker, string? AlertId, bool CanChange)
{
    public static CommentDto From(CommentView v) =>
        new(v.Comment.Id, v.Comment.Text, v.Author, v.Comment.Created, v.Comment.Edited, v.Comment.Broker, v.Comment.AlertId, v.CanChange);
}
