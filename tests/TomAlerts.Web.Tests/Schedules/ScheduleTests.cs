using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Schedules;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Schedules;

/// <summary>Schedules of saved queries on the in-memory scheduler (SQLite), over a loopback fake ALeRCE.</summary>
public sealed class ScheduleTests : AppTest
{
    // Quartz's six-field cron, seconds first: every two seconds. Tests lower the minimum interval to allow it.
    private const string EveryTwoSeconds = "0/2 * * * * ?";


    protected override void Arrange()
    {
        Factory.Settings["Schedules:MinimumIntervalMinutes"] = "0";
    }

    [Fact]
    public async Task CronSchedule_Fires_RunsAreScheduledAndOnlyTheFirstHasNewAlerts()
    {
        Factory.Brokers.MapAlerce(3);
        var user = await Factory.LoginAsync();

        var queryId = await Factory.SaveAlerceQueryAsync(user, new() { ["schedule_mode"] = "cron", ["schedule_cron"] = EveryTwoSeconds });
        var runs = await Factory.WaitForScheduledRunsAsync(queryId, 2);

        Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.All(runs, r => Assert.Equal(user.Id, r.UserId));
        Assert.Equal([3, 3], runs.Take(2).Select(r => r.AlertCount));
        Assert.Equal([3, 0], runs.Take(2).Select(r => r.NewAlertCount));
        var (_, history) = await user.Page.GetAsync($"/alerts/query/{queryId}/runs/");
        Assert.Contains("succeeded (scheduled)", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseAndResume_FromTheList_StopAndRestartTheSchedule()
    {
        Factory.Brokers.MapAlerce(1);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveAlerceQueryAsync(user, new() { ["schedule_mode"] = "cron", ["schedule_cron"] = EveryTwoSeconds });
        // The same schedule, never paused: its firings are the clock the paused one is watched by.
        var clockId = await Factory.SaveAlerceQueryAsync(user, new() { ["schedule_mode"] = "cron", ["schedule_cron"] = EveryTwoSeconds });
        await Factory.WaitForScheduledRunsAsync(queryId, 1);

        using var paused = await user.Page.PostFormAsync("/alerts/query/list/", $"/alerts/query/{queryId}/schedule/pause/", []);
        var (_, pausedList) = await user.Page.GetAsync("/alerts/query/list/");
        var firedBeforePause = await Factory.ScheduledRunCountAsync(clockId);
        await WaitForFiringsAsync(clockId, firedBeforePause + 1); // a run the trigger had already started has begun by now
        var countWhilePaused = await Factory.ScheduledRunCountAsync(queryId);
        await WaitForFiringsAsync(clockId, firedBeforePause + 3); // two more firings the paused schedule would have had
        var countAfterWaiting = await Factory.ScheduledRunCountAsync(queryId);
        var state = await TriggerStateAsync(queryId);
        using var resumed = await user.Page.PostFormAsync("/alerts/query/list/", $"/alerts/query/{queryId}/schedule/resume/", []);
        await Factory.WaitForScheduledRunsAsync(queryId, countAfterWaiting + 1);

        Assert.Equal(HttpStatusCode.Redirect, paused.StatusCode);
        Assert.Equal(TriggerState.Paused, state);
        Assert.Equal(countWhilePaused, countAfterWaiting);
        Assert.Contains(">paused</span>", pausedList, StringComparison.Ordinal);
        Assert.Contains(">Resume</button>", pausedList, StringComparison.Ordinal);
        Assert.True(await Factory.WithDbAsync(db => db.BrokerQueries.Where(q => q.Id == queryId).Select(q => !q.SchedulePaused).SingleAsync()));
    }

    [Fact]
    public async Task IntervalSchedule_NextRunIsMeasuredFromTheLastRun_AndShownOnTheList()
    {
        Factory.Brokers.MapAlerce(1);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveAlerceQueryAsync(user, new());
        var lastRun = DateTime.UtcNow.AddHours(-2);
        await Factory.WithDbAsync(db => db.BrokerQueries.Where(q => q.Id == queryId).ExecuteUpdateAsync(s => s.SetProperty(q => q.LastRun, lastRun)));

        using var saved = (await user.PostAlerceQueryAsync(new() { ["schedule_mode"] = "hours", ["schedule_every"] = "6" }, queryId)).Response;
        var (_, list) = await user.Page.GetAsync("/alerts/query/list/");
        var next = await NextFireAsync(queryId);
        var query = await Factory.WithDbAsync(db => db.BrokerQueries.AsNoTracking().SingleAsync(q => q.Id == queryId));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(360, query.ScheduleMinutes);
        Assert.DoesNotContain("schedule_", query.Parameters, StringComparison.Ordinal);
        Assert.DoesNotContain("webhook", query.Parameters, StringComparison.Ordinal);
        Assert.NotNull(next);
        Assert.InRange((next!.Value.UtcDateTime - lastRun.AddHours(6)).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Contains("every 6 hours", list, StringComparison.Ordinal);
        Assert.Contains(next.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm"), list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_BadScheduleAndNotificationFields_ShowErrorsBesideThemAndSaveNothing()
    {
        Factory.Settings["Schedules:MinimumIntervalMinutes"] = "5";
        var user = await Factory.LoginAsync();

        using var badCron = (await user.PostAlerceQueryAsync(new() { ["schedule_mode"] = "cron", ["schedule_cron"] = "every day please" })).Response;
        using var tooOften = (await user.PostAlerceQueryAsync(new() { ["schedule_mode"] = "minutes", ["schedule_every"] = "1" })).Response;
        using var tooOftenCron = (await user.PostAlerceQueryAsync(new() { ["schedule_mode"] = "cron", ["schedule_cron"] = "* * * * *" })).Response;
        using var badHook = (await user.PostAlerceQueryAsync(new()
        {
            ["webhook_url"] = "ftp://example.org/hook", ["webhook_secret"] = "short", ["notify_email"] = "true",
        })).Response;
        var cronHtml = await badCron.Content.ReadAsStringAsync();
        var intervalHtml = await tooOften.Content.ReadAsStringAsync();
        var cronIntervalHtml = await tooOftenCron.Content.ReadAsStringAsync();
        var hookHtml = await badHook.Content.ReadAsStringAsync();

        Assert.All(new[] { badCron, tooOften, tooOftenCron, badHook }, r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
        Assert.Contains("data-field=\"schedule_cron\">This is not a cron expression", cronHtml, StringComparison.Ordinal);
        Assert.Contains("data-field=\"schedule_every\">A query may run at most every 5 minutes", intervalHtml, StringComparison.Ordinal);
        Assert.Contains("data-field=\"schedule_cron\">This expression fires more often than every 5 minutes", cronIntervalHtml, StringComparison.Ordinal);
        Assert.Contains("data-field=\"webhook_url\"", hookHtml, StringComparison.Ordinal);
        Assert.Contains("data-field=\"webhook_secret\"", hookHtml, StringComparison.Ordinal);
        Assert.Contains("data-field=\"notify_email\"", hookHtml, StringComparison.Ordinal);
        Assert.Equal(0, await Factory.WithDbAsync(db => db.BrokerQueries.CountAsync()));
    }

    [Fact]
    public async Task Form_SavedWebhookSecret_IsMaskedAndKeptWhenLeftBlank_EmailDisabledWithoutSmtp()
    {
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveAlerceQueryAsync(user, new()
        {
            ["webhook_url"] = "https://example.org/hook", ["webhook_secret"] = "a-long-shared-secret", ["auto_create_targets"] = "true",
        });

        var (_, form) = await user.Page.GetAsync($"/alerts/query/{queryId}/update/");
        using var resaved = (await user.PostAlerceQueryAsync(new() { ["webhook_url"] = "https://example.org/hook2", ["auto_create_targets"] = "true" }, queryId)).Response;
        var query = await Factory.WithDbAsync(db => db.BrokerQueries.AsNoTracking().SingleAsync(q => q.Id == queryId));

        Assert.DoesNotContain("a-long-shared-secret", form, StringComparison.Ordinal);
        Assert.Contains("(saved; type to replace)", form, StringComparison.Ordinal);
        Assert.Contains("an administrator has not configured an SMTP server", form, StringComparison.Ordinal);
        Assert.Matches("id=\"field-notify_email\"[^>]*disabled", form);
        Assert.Equal(HttpStatusCode.Redirect, resaved.StatusCode);
        Assert.Equal("https://example.org/hook2", query.WebhookUrl);
        Assert.Equal("a-long-shared-secret", query.WebhookSecret);
        Assert.True(query.AutoCreateTargets);
        Assert.False(query.IsScheduled);
    }

    [Fact]
    public async Task Delete_ScheduledQuery_RemovesItsTrigger()
    {
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveAlerceQueryAsync(user, new() { ["schedule_mode"] = "hours", ["schedule_every"] = "12" });
        var before = await NextFireAsync(queryId);

        using var deleted = await user.Page.PostFormAsync($"/alerts/query/{queryId}/delete/", $"/alerts/query/{queryId}/delete/", []);

        Assert.NotNull(before);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Null(await NextFireAsync(queryId));
    }

    private Task<int> WaitForFiringsAsync(int queryId, int count) =>
        Poll.UntilAsync(() => Factory.ScheduledRunCountAsync(queryId), fired => fired >= count,
            fired => $"Query {queryId} was fired {fired} of {count} times.");

    private async Task<DateTimeOffset?> NextFireAsync(int queryId)
    {
        var scheduler = await Factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return (await scheduler.GetTrigger(QuerySchedules.TriggerKeyFor(queryId)))?.NextFireTimeUtc;
    }

    private async Task<TriggerState> TriggerStateAsync(int queryId)
    {
        var scheduler = await Factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return await scheduler.GetTriggerState(QuerySchedules.TriggerKeyFor(queryId));
    }
}
