using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Notifications;

namespace TomAlerts.Web.Features.Schedules;

/// <summary>What the query list shows about one query's schedule.</summary>
public sealed record ScheduleSummary(string Description, bool Paused, DateTime? NextRun);

/// <summary>
/// Keeps one Quartz trigger per scheduled <see cref="BrokerQuery"/>: in memory with SQLite, in the clustered
/// PostgreSQL job store otherwise. The query row is the truth; the trigger follows it on save, pause, resume,
/// delete and at start-up.
/// </summary>
public sealed class QuerySchedules(ISchedulerFactory schedulers, IOptions<SchedulesOptions> options, IOptions<SmtpOptions> smtp,
    TimeProvider clock, ILogger<QuerySchedules> logger)
{
    public const string Group = "queries";
    private const string KeyPrefix = "query-";

    /// <summary>An overdue schedule (or one never run) starts this soon, not at once, so a save or a start-up settles first.</summary>
    private static readonly TimeSpan CatchUpDelay = TimeSpan.FromSeconds(5);

    public static JobKey JobKeyFor(int queryId) => new(KeyPrefix + queryId.ToString(CultureInfo.InvariantCulture), Group);

    public static TriggerKey TriggerKeyFor(int queryId) => new(KeyPrefix + queryId.ToString(CultureInfo.InvariantCulture), Group);

    public static int? QueryIdOf(JobKey key) =>
        key.Group == Group && key.Name.StartsWith(KeyPrefix, StringComparison.Ordinal)
        && int.TryParse(key.Name.AsSpan(KeyPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public ScheduleFields FieldsFor(BrokerQuery? query) =>
        ScheduleFields.From(query, smtp.Value.IsConfigured, options.Value.MinimumIntervalMinutes);

    public ScheduleFields Read(IFormCollection form, BrokerQuery? existing) =>
        ScheduleFields.Read(form, existing, smtp.Value.IsConfigured, options.Value.MinimumIntervalMinutes, clock.GetUtcNow());

    /// <summary>Makes the trigger match the query: created, replaced when its schedule changed, paused or resumed, or removed.</summary>
    public async Task SyncAsync(BrokerQuery query, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = TriggerKeyFor(query.Id);
        if (!query.IsScheduled)
        {
            await scheduler.DeleteJob(JobKeyFor(query.Id), cancellationToken);
            return;
        }
        var spec = Spec(query);
        var existing = await scheduler.GetTrigger(key, cancellationToken);
        if (existing is not null && existing.Description == spec)
        {
            var paused = await scheduler.GetTriggerState(key, cancellationToken) == TriggerState.Paused;
            if (query.SchedulePaused && !paused)
            {
                await scheduler.PauseTrigger(key, cancellationToken);
            }
            else if (!query.SchedulePaused && paused)
            {
                await scheduler.ResumeTrigger(key, cancellationToken);
            }
            return;
        }
        var job = JobBuilder.Create<ScheduledRunJob>().WithIdentity(JobKeyFor(query.Id)).WithDescription(query.Name).Build();
        await scheduler.ScheduleJob(job, BuildTrigger(query, spec), new ScheduleJobOptions { Replace = true, Paused = query.SchedulePaused }, cancellationToken);
        logger.LogInformation("Scheduled query {QueryId} ({Schedule})", query.Id, spec);
    }

    public async Task RemoveAsync(int queryId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(JobKeyFor(queryId), cancellationToken);
    }

    /// <summary>Start-up: a trigger for every scheduled query, and none for a query that is gone or no longer scheduled.</summary>
    public async Task ReconcileAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var scheduled = await db.BrokerQueries.AsNoTracking()
            .Where(q => q.ScheduleMinutes != null || (q.ScheduleCron != null && q.ScheduleCron != ""))
            .ToListAsync(cancellationToken);
        foreach (var query in scheduled)
        {
            try
            {
                await SyncAsync(query, cancellationToken);
            }
            catch (Exception e) when (e is SchedulerException or FormatException or ArgumentException)
            {
                logger.LogError(e, "Could not schedule query {QueryId}", query.Id);
            }
        }
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var wanted = scheduled.Select(q => q.Id).ToHashSet();
        foreach (var jobKey in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Group), cancellationToken))
        {
            if (QueryIdOf(jobKey) is not { } id || !wanted.Contains(id))
            {
                await scheduler.DeleteJob(jobKey, cancellationToken);
            }
        }
        logger.LogInformation("Reconciled {Count} query schedules", scheduled.Count);
    }

    /// <summary>Description, pause state and next run of each scheduled query among <paramref name="queries"/>.</summary>
    public async Task<IReadOnlyDictionary<int, ScheduleSummary>> SummariesAsync(IEnumerable<BrokerQuery> queries, CancellationToken cancellationToken)
    {
        var summaries = new Dictionary<int, ScheduleSummary>();
        var scheduled = queries.Where(q => q.IsScheduled).ToList();
        if (scheduled.Count == 0)
        {
            return summaries;
        }
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var query in scheduled)
        {
            var trigger = await scheduler.GetTrigger(TriggerKeyFor(query.Id), cancellationToken);
            var next = query.SchedulePaused ? null : trigger?.NextFireTimeUtc?.UtcDateTime;
            summaries[query.Id] = new ScheduleSummary(ScheduleFields.Describe(query.ScheduleMinutes, query.ScheduleCron) ?? "", query.SchedulePaused, next);
        }
        return summaries;
    }

    private static string Spec(BrokerQuery query) =>
        query.ScheduleCron is { Length: > 0 } cron ? $"cron:{cron}" : $"every:{query.ScheduleMinutes}m";

    private ITrigger BuildTrigger(BrokerQuery query, string spec)
    {
        var builder = TriggerBuilder.Create().WithIdentity(TriggerKeyFor(query.Id)).ForJob(JobKeyFor(query.Id)).WithDescription(spec);
        var now = clock.GetUtcNow();
        if (query.ScheduleCron is { Length: > 0 } cron)
        {
            // A missed firing (the app was down) is skipped: the next one brings whatever is new anyway.
            return builder.StartAt(now)
                .WithSchedule(CronScheduleBuilder.Create(cron, CronSchedule.FormatOf(cron)).InTimeZone(TimeZoneInfo.Utc)
                    .WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
                .Build();
        }
        var interval = TimeSpan.FromMinutes(query.ScheduleMinutes!.Value);
        // Measured from the last run, so restarting the app does not push a long interval forever into the future.
        var due = query.LastRun is { } last ? new DateTimeOffset(DateTime.SpecifyKind(last, DateTimeKind.Utc)) + interval : now + CatchUpDelay;
        var start = due > now + CatchUpDelay ? due : now + CatchUpDelay;
        return builder.StartAt(start)
            .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(interval).RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
    }
}
