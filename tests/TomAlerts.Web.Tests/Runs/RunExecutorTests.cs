using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using TomAlerts.Brokers;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Runs;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Runs;

/// <summary>The broker <see cref="RunExecutorTests"/> run against: every call is handed to the test's <see cref="Mock{IBroker}"/>.</summary>
[Broker(BrokerName)]
public sealed class ScriptedBroker(HttpClient http, BrokerSettings settings, Mock<IBroker> script) : BrokerBase(http, settings)
{
    public const string BrokerName = "Scripted";

    public override Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken) => script.Object.GetFormAsync(cancellationToken);

    public override IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback, CancellationToken cancellationToken) =>
        script.Object.FetchAlertsAsync(parameters, feedback, cancellationToken);

    public override GenericAlert ToGenericAlert(JsonObject alert) => script.Object.ToGenericAlert(alert);
}

/// <summary>
/// A run whose broker fails part-way: the run executor, built by the app's own services over its SQLite database, with
/// the broker's alert stream scripted to fail at a chosen point. What a user sees is the run's outcome and its alerts.
/// </summary>
public sealed class RunExecutorTests : AppTest
{
    private readonly Mock<IBroker> _broker = new(MockBehavior.Strict);

    protected override void Arrange()
    {
        Factory.Settings["TOM_ALERT_CLASSES:0"] = typeof(ScriptedBroker).FullName;
        Factory.TestServices.Add(services => services.AddSingleton(_broker));
        _broker.Setup(b => b.ToGenericAlert(It.IsAny<JsonObject>()))
            .Returns((JsonObject alert) => new GenericAlert { Id = (string)alert["id"]!, Name = (string)alert["id"]! });
    }

    [Fact]
    public async Task Execute_BrokerFailsAfterABatch_RunFailsWithTheBrokersMessageAndKeepsTheStoredAlerts()
    {
        ScriptStream(_ => Alerts(RunExecutor.BatchSize + 7, then: () => throw new BrokerException("Scripted answered 502 on page 3.")));
        var runId = await PendingRunAsync("""{"classifier": "SNIa"}""");

        await ExecuteAsync(runId, CancellationToken.None);
        var run = await RunAsync(runId);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("Scripted answered 502 on page 3.", run.Error);
        Assert.NotNull(run.Finished);
        Assert.Equal(RunExecutor.BatchSize, run.AlertCount);
        Assert.Equal(RunExecutor.BatchSize, await StoredAlertsAsync(runId));
        _broker.Verify(b => b.FetchAlertsAsync(It.Is<JsonObject>(p => (string?)p["classifier"] == "SNIa"), It.IsAny<FetchFeedback>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Execute_BrokerAnswerBreaksUnexpectedly_RunFailsWithAReadableMessageAndKeepsTheStoredAlerts()
    {
        ScriptStream(_ => Alerts(RunExecutor.BatchSize + 1, then: () => throw new InvalidOperationException("Nullable object must have a value.")));
        var runId = await PendingRunAsync("{}");

        await ExecuteAsync(runId, CancellationToken.None);
        var run = await RunAsync(runId);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.StartsWith("TomAlerts could not read Scripted's answer. The alerts stored before the failure are kept;", run.Error, StringComparison.Ordinal);
        Assert.Contains("Technical detail: InvalidOperationException", run.Error, StringComparison.Ordinal);
        Assert.Equal(RunExecutor.BatchSize, run.AlertCount);
        Assert.Equal(RunExecutor.BatchSize, await StoredAlertsAsync(runId));
    }

    [Fact]
    public async Task Execute_FailsBeforeTheFirstBatchIsFull_RunFailsWithNoAlerts()
    {
        ScriptStream(_ => Alerts(3, then: () => throw new BrokerException("Scripted did not answer in time.")));
        var runId = await PendingRunAsync("{}");

        await ExecuteAsync(runId, CancellationToken.None);
        var run = await RunAsync(runId);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("Scripted did not answer in time.", run.Error);
        Assert.Equal(0, run.AlertCount);
        Assert.Equal(0, await StoredAlertsAsync(runId));
    }

    [Fact]
    public async Task Execute_CancelledMidStream_RunIsInterruptedAndKeepsTheStoredAlerts()
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ScriptStream(cancellation => Alerts(RunExecutor.BatchSize, then: async () =>
        {
            // The executor asks for the next alert once the full batch is with its writer, which finishes it when stopped.
            flushed.SetResult();
            await Task.Delay(Timeout.Infinite, cancellation);
        }));
        var runId = await PendingRunAsync("{}");
        using var stopping = new CancellationTokenSource();

        var execution = ExecuteAsync(runId, stopping.Token);
        await flushed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stopping.CancelAsync();
        await execution.WaitAsync(TimeSpan.FromSeconds(30));
        var run = await RunAsync(runId);

        Assert.Equal(RunStatus.Interrupted, run.Status);
        Assert.Equal("The run was interrupted when TomAlerts stopped.", run.Error);
        Assert.Equal(RunExecutor.BatchSize, run.AlertCount);
        Assert.Equal(RunExecutor.BatchSize, await StoredAlertsAsync(runId));
    }

    private void ScriptStream(Func<CancellationToken, IAsyncEnumerable<JsonObject>> stream) =>
        _broker.Setup(b => b.FetchAlertsAsync(It.IsAny<JsonObject>(), It.IsAny<FetchFeedback>(), It.IsAny<CancellationToken>()))
            .Returns((JsonObject _, FetchFeedback _, CancellationToken cancellation) => stream(cancellation));

    /// <summary><paramref name="count"/> alerts, then whatever <paramref name="then"/> does (throw, or wait to be cancelled).</summary>
    private static async IAsyncEnumerable<JsonObject> Alerts(int count, Func<Task> then)
    {
        for (var i = 0; i < count; i++)
        {
            yield return new JsonObject { ["id"] = $"SCR{i:D5}" };
        }
        await then();
    }

    private Task<long> PendingRunAsync(string parameters) => Factory.WithDbAsync(async db =>
    {
        var query = new BrokerQuery { Name = "scripted query", Broker = ScriptedBroker.BrokerName, Parameters = parameters, Created = DateTime.UtcNow, Modified = DateTime.UtcNow };
        db.BrokerQueries.Add(query);
        await db.SaveChangesAsync();
        var run = new QueryRun { BrokerQueryId = query.Id, Status = RunStatus.Pending, Created = DateTime.UtcNow };
        db.QueryRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    });

    private async Task ExecuteAsync(long runId, CancellationToken cancellationToken)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RunExecutor>().ExecuteAsync(runId, cancellationToken);
    }

    private Task<QueryRun> RunAsync(long runId) => Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));

    private Task<int> StoredAlertsAsync(long runId) => Factory.WithDbAsync(db => db.RunAlerts.CountAsync(a => a.QueryRunId == runId));
}
