using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Data;
using TomAlerts.Web.Hosting;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>
/// Per-user limits on runs a person starts (pages, API, resumes): Runs:MaxQueuedPerUser waiting or running at once and
/// Runs:MaxPerUserPerHour started in any hour. Admins are exempt, and so are schedules: a schedule fires at most as
/// often as its interval allows and runs on the scheduler, not in the queue, so its runs count against nobody.
/// </summary>
public sealed class RunQuota(AppDbContext db, IOptions<RunsOptions> options, TimeProvider clock)
{
    /// <summary>Why <paramref name="userId"/> may not start a run now, or null when they may.</summary>
    public async Task<RunQuotaExceeded?> CheckAsync(string? userId, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (userId is null || (limits.MaxQueuedPerUser == 0 && limits.MaxPerUserPerHour == 0) || await IsAdminAsync(userId, cancellationToken))
        {
            return null;
        }
        var mine = db.QueryRuns.Where(r => r.UserId == userId && !r.Scheduled);
        if (limits.MaxQueuedPerUser > 0
            && await mine.CountAsync(r => r.Status == RunStatus.Pending || r.Status == RunStatus.Running, cancellationToken) >= limits.MaxQueuedPerUser)
        {
            return new RunQuotaExceeded(
                $"You have {limits.MaxQueuedPerUser} runs waiting or running, the most one user may have at once. Start more when some have finished.",
                TimeSpan.FromSeconds(30));
        }
        if (limits.MaxPerUserPerHour > 0)
        {
            var hourAgo = clock.GetUtcNow().UtcDateTime.AddHours(-1);
            var lastHour = mine.Where(r => r.Created > hourAgo);
            if (await lastHour.CountAsync(cancellationToken) >= limits.MaxPerUserPerHour)
            {
                var oldest = await lastHour.OrderBy(r => r.Created).Skip(await lastHour.CountAsync(cancellationToken) - limits.MaxPerUserPerHour)
                    .Select(r => r.Created).FirstAsync(cancellationToken);
                var wait = oldest.AddHours(1) - clock.GetUtcNow().UtcDateTime;
                return new RunQuotaExceeded(
                    $"You started {limits.MaxPerUserPerHour} runs in the last hour, the most one user may. Try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} minute(s).",
                    wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1));
            }
        }
        return null;
    }

    private Task<bool> IsAdminAsync(string userId, CancellationToken cancellationToken) =>
        db.UserRoles.AnyAsync(ur => ur.UserId == userId && db.Roles.Any(role => role.Id == ur.RoleId && role.Name == IdentityExtensions.AdminRole), cancellationToken);
}

/// <summary>A run refused by <see cref="RunQuota"/>: why, in a sentence for the user, and when to try again.</summary>
public sealed record RunQuotaExceeded(string Message, TimeSpan RetryAfter);

/// <summary>Thrown by <see cref="RunStarter"/> when the user's quota refuses a run.</summary>
public sealed class RunQuotaExceededException(RunQuotaExceeded refusal) : Exception(refusal.Message)
{
    public RunQuotaExceeded Refusal { get; } = refusal;
}
