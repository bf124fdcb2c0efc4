using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>A run's follow-ups as the run page and the API show them.</summary>
public static partial class RunFollowUpList
{
    public static async Task<IReadOnlyList<RunFollowUp>> OfRunAsync(AppDbContext db, long runId, CancellationToken cancellationToken) =>
        await db.RunFollowUps.AsNoTracking().Where(f => f.QueryRunId == runId).OrderBy(f => f.Id).ToListAsync(cancellationToken);

    /// <summary>A hook's name in words: NewAlertTargets reads "New alert targets".</summary>
    public static string Title(string hook)
    {
        var words = Words().Replace(hook, " $1").Trim();
        return words.Length == 0 ? hook : words[..1] + words[1..].ToLowerInvariant();
    }

    /// <summary>The state in words.</summary>
    public static string Describe(RunFollowUp followUp) => followUp.State switch
    {
        FollowUpState.Pending when followUp.Attempts > 0 => $"waiting to try again (attempt {followUp.Attempts} failed)",
        FollowUpState.Pending => "waiting",
        FollowUpState.Running => "in progress",
        FollowUpState.Done => "done",
        _ => followUp.Attempts > 1 ? $"failed after {followUp.Attempts} attempts" : "failed",
    };

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex Words();
}
