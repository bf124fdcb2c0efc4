using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Runs;
using TomAlerts.Web.Tests.Schedules;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Runs;

/// <summary>
/// A run's follow-ups are recorded with its success and survive the process: the app stops (and abandons a follow-up
/// in progress) after the run succeeded but before its digest and targets, and the next start over the same database
/// delivers the digest once and creates the targets.
/// </summary>
public sealed class FollowUpRecoveryTests : AppTest
{
    private readonly string database = Path.Combine(Path.GetTempPath(), $"tomalerts-test-followups-{Guid.NewGuid():N}.db");
    private readonly ConcurrentQueue<long> digests = new();
    private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override void Arrange()
    {
        foreach (var (key, value) in Settings())
        {
            Factory.Settings[key] = value;
        }
        Factory.Brokers.MapAlerce(2);
        Factory.Brokers.Map("/hook", async context =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            digests.Enqueue(body.RootElement.GetProperty("run").GetProperty("id").GetInt64());
            context.Response.StatusCode = 200;
        });
        // The first follow-up of every run never ends, whatever it is told: the process "dies" during it.
        Factory.TestServices.Add(services =>
        {
            services.Insert(0, ServiceDescriptor.Scoped<IRunCompletionHook>(_ => new StuckHook(entered)));
            services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        });
    }

    private IEnumerable<(string, string)> Settings() =>
    [
        ("ConnectionStrings:Default", $"Data Source={database}"),
        ("Notifications:Webhook:AllowPrivateAddresses", "true"),
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(database + suffix);
        }
    }

    [Fact]
    public async Task AppStopsAfterTheRunSucceededBeforeItsFollowUps_NextStartDeliversTheDigestOnceAndCreatesTheTargets()
    {
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveAlerceQueryAsync(user, new()
        {
            ["webhook_url"] = Factory.Brokers.Url + "/hook", ["webhook_secret"] = "a-long-shared-secret", ["auto_create_targets"] = "true",
        });
        var runId = await Factory.RunQueryAsync(user, queryId);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var before = await Factory.WithDbAsync(db => db.RunFollowUps.AsNoTracking().Where(f => f.QueryRunId == runId).OrderBy(f => f.Id).ToListAsync());
        Assert.Equal(RunStatus.Succeeded, (await Factory.WaitForRunAsync(runId)).Status);
        Assert.Equal([FollowUpState.Running, FollowUpState.Pending, FollowUpState.Pending], before.Select(f => f.State));
        Assert.Equal(["StuckHook", "NewAlertTargets", "RunDigests"], before.Select(f => f.Hook));

        await Factory.DisposeAsync(); // the app only; the fake brokers and the receiver stay up
        Assert.Empty(digests);
        await using var restarted = new TomAlertsFactory();
        await ((IAsyncLifetime)restarted).InitializeAsync();
        foreach (var (key, value) in Settings())
        {
            restarted.Settings[key] = value;
        }
        var after = await Poll.UntilAsync(
            () => restarted.WithDbAsync(db => db.RunFollowUps.AsNoTracking().Where(f => f.QueryRunId == runId).OrderBy(f => f.Id).ToListAsync()),
            followUps => followUps.All(f => f.State is FollowUpState.Done or FollowUpState.Failed),
            followUps => "The follow-ups were not resumed: " + string.Join(", ", followUps.Select(f => $"{f.Hook} {f.State}")),
            TimeSpan.FromSeconds(30));
        await Task.Delay(500); // a second delivery would come now

        Assert.Equal([runId], digests);
        Assert.Equal([FollowUpState.Failed, FollowUpState.Done, FollowUpState.Done], after.Select(f => f.State));
        Assert.Equal(2, await restarted.WithDbAsync(db => db.TargetProvenance.CountAsync(p => p.QueryRunId == runId && p.Action == "created")));
        var run = await restarted.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        Assert.Contains("Webhook: sent 2 new alerts", run.Feedback, StringComparison.Ordinal);
        Assert.Contains("2 created", run.Feedback, StringComparison.Ordinal);
        await ((IAsyncLifetime)restarted).DisposeAsync();
    }

    private sealed class StuckHook(TaskCompletionSource entered) : IRunCompletionHook
    {
        public async Task<string?> AfterRunAsync(QueryRun run, AlertWindow window, CancellationToken cancellationToken)
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return null;
        }
    }
}
