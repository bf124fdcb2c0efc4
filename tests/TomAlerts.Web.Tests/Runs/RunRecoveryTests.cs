using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Runs;

public sealed class RunRecoveryTests : AppTest
{
    protected override void Arrange()
    {
        Factory.Settings["Runs:SweepSeconds"] = "1";
        Factory.Settings["Runs:StaleAfterSeconds"] = "60";
    }

    [Fact]
    public async Task Sweep_RunWhoseHeartbeatStopped_IsInterruptedButALiveOneIsNot()
    {
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "Gaia", new() { ["target_name"] = "Gaia23" });
        var (dead, alive) = await Factory.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var deadRun = new QueryRun { BrokerQueryId = queryId, Status = RunStatus.Running, Created = now.AddMinutes(-10), Started = now.AddMinutes(-10), Heartbeat = now.AddMinutes(-5) };
            var liveRun = new QueryRun { BrokerQueryId = queryId, Status = RunStatus.Running, Created = now.AddMinutes(-10), Started = now.AddMinutes(-10), Heartbeat = now.AddHours(1) };
            db.QueryRuns.AddRange(deadRun, liveRun);
            await db.SaveChangesAsync();
            // Stored before the process died, but not yet counted on the run.
            db.RunAlerts.AddRange(Enumerable.Range(0, 3).Select(i => new RunAlert { QueryRunId = deadRun.Id, Position = i, AlertId = $"a{i}", Name = $"a{i}", Payload = "{}" }));
            await db.SaveChangesAsync();
            return (deadRun.Id, liveRun.Id);
        });

        var deadAfter = await Factory.WaitForRunAsync(dead, TimeSpan.FromSeconds(20));
        var aliveAfter = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == alive));

        Assert.Equal(RunStatus.Interrupted, deadAfter.Status);
        Assert.Contains("interrupted", deadAfter.Error, StringComparison.Ordinal);
        Assert.Equal(3, deadAfter.AlertCount);
        Assert.Equal(RunStatus.Running, aliveAfter.Status);
    }

    [Fact]
    public async Task Execute_SameRunQueuedTwice_RunsOnce()
    {
        Factory.Brokers.MapAlerce(30);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, "ALeRCE", []);
        var runId = await Factory.WithDbAsync(async db =>
        {
            var run = new QueryRun { BrokerQueryId = queryId, Status = RunStatus.Pending, Created = DateTime.UtcNow };
            db.QueryRuns.Add(run);
            await db.SaveChangesAsync();
            return run.Id;
        });

        await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            await using var scope = Factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TomAlerts.Web.Features.Runs.RunExecutor>().ExecuteAsync(runId, CancellationToken.None);
        }));
        var run = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(30, run.AlertCount);
        Assert.Single(Factory.Brokers.Requests, r => r.StartsWith("GET /alerce/objects/", StringComparison.Ordinal));
    }
}
