using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TomAlerts.Queries;
using TomAlerts.Streams;
using TomAlerts.Web.Features.Runs;
using TomAlerts.Web.Features.Streams;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Streams;

/// <summary>Stream subscriptions consumed from librdkafka's mock Kafka cluster (the real protocol over 127.0.0.1) into stream runs.</summary>
public sealed class StreamConsumerTests : AppTest
{
    private readonly KafkaMockCluster kafka = new();
    private readonly ConcurrentQueue<JsonObject> digests = new();

    protected override void Arrange()
    {
        Factory.UseKafka(kafka);
        Factory.Settings["Notifications:Webhook:AllowPrivateAddresses"] = "true"; // the receiver is on 127.0.0.1
        Factory.Settings["Notifications:Webhook:RetryDelay"] = "00:00:00.010";
        Factory.Brokers.Map("/hook", async context =>
        {
            digests.Enqueue(JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!.AsObject());
            await context.Response.WriteAsync("thanks");
        });
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        kafka.Dispose();
    }

    [Fact]
    public async Task ProducedMessages_StoredInTheDaysStreamRun_AnObjectSeenTwiceOnceWithItsLatestPayload()
    {
        const string topic = "lasair_2SN_candidates";
        var id = await Factory.SubscribeAsync(topic);
        kafka.ProduceAll(topic, Enumerable.Range(0, 5).Select(i => KafkaMockCluster.LasairRow(i)));
        var firstPosition = (await Factory.WaitForAlertsAsync(id, 5)).Single(a => a.AlertId == KafkaMockCluster.LasairId(0)).Position;
        await kafka.ProduceAsync(topic, KafkaMockCluster.LasairRow(0, gmag: 18.25)); // the same object again, brighter
        await kafka.ProduceAsync(topic, KafkaMockCluster.LasairRow(0, gmag: 18.25)); // and delivered twice

        var subscription = await Factory.WaitForStateAsync(id, s => s.MessagesConsumed == 7 && s.Lag == 0, "done with 7 messages");
        var alerts = await Factory.WaitForAlertsAsync(id, 5);
        var run = await Factory.WithDbAsync(db => db.QueryRuns.Include(r => r.Query).AsNoTracking().SingleAsync(r => r.Id == subscription.CurrentRunId));

        Assert.Equal(StreamState.Consuming, subscription.State);
        // Partitions keep their own order only, so positions follow arrival.
        Assert.Equal(Enumerable.Range(0, 5).Select(i => KafkaMockCluster.LasairId(i)), alerts.Select(a => a.AlertId).Order(StringComparer.Ordinal));
        Assert.Equal([0, 1, 2, 3, 4], alerts.Select(a => a.Position));
        var again = alerts.Single(a => a.AlertId == KafkaMockCluster.LasairId(0));
        Assert.Equal(firstPosition, again.Position);
        Assert.Equal(18.25, again.Mag!.Value, 3);
        Assert.Contains("18.25", again.Payload, StringComparison.Ordinal);
        Assert.All(alerts, a => Assert.True(a.IsNew));
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.True(run.Query!.IsStream);
        Assert.Equal(5, run.AlertCount);
        Assert.Equal(5, run.NewAlertCount);
        Assert.Equal(DateTime.UtcNow.Date, run.Created.Date);
        Assert.NotNull(subscription.LastMessageAt);
        Assert.NotNull(subscription.Throughput);
        await Assert.ThrowsAsync<StreamQueryRunException>(() => Factory.WithDbAsync(async db =>
        {
            await using var scope = Factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<RunStarter>().QueueAsync(run.Query, null, CancellationToken.None);
        }));
    }

    [Fact]
    public async Task Edited_ANewTopic_TheRunningConsumerRestartsAndReadsIt_InTheSameRun()
    {
        var id = await Factory.SubscribeAsync("edit_first");
        await kafka.ProduceAsync("edit_first", KafkaMockCluster.LasairRow(0));
        var runId = (await Factory.WaitForAlertsAsync(id, 1)).Single().QueryRunId;
        await kafka.ProduceAsync("edit_second", KafkaMockCluster.LasairRow(1)); // not subscribed yet

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TomAlerts.Data.AppDbContext>();
            var subscription = await db.StreamSubscriptions.Include(s => s.Query).SingleAsync(s => s.Id == id);
            var saved = await scope.ServiceProvider.GetRequiredService<StreamSubscriptions>().UpdateAsync(subscription,
                new StreamInput(subscription.Name, "Kafka", ["edit_first", "edit_second"], "Lasair"), forgetCredentials: false, CancellationToken.None);
            Assert.True(saved.IsValid, string.Join("; ", saved.Errors.SelectMany(e => e.Value)));
        }

        // The mock cluster makes the new consumer wait out the old one's session before it gets the partitions.
        var alerts = await Factory.WaitForAlertsAsync(id, 2, TimeSpan.FromSeconds(45));
        Assert.Equal([KafkaMockCluster.LasairId(0), KafkaMockCluster.LasairId(1)], alerts.Select(a => a.AlertId));
        Assert.All(alerts, a => Assert.Equal(runId, a.QueryRunId));
        var after = await Factory.WaitForStateAsync(id, s => s.MessagesConsumed == 2, "done with both messages");
        Assert.Equal(StreamState.Consuming, after.State);
    }

    [Fact]
    public async Task PoisonMessage_DeadLetteredWithItsReason_TheStreamGoesOn()
    {
        const string topic = "relay";
        var id = await Factory.SubscribeAsync(topic);
        await kafka.ProduceAsync(topic, KafkaMockCluster.LasairRow(1));
        await kafka.ProduceAsync(topic, "this is not JSON {");
        await kafka.ProduceAsync(topic, KafkaMockCluster.LasairRow(2));

        var alerts = await Factory.WaitForAlertsAsync(id, 2);
        var letter = await Poll.UntilAsync(() => Factory.WithDbAsync(db => db.StreamDeadLetters.AsNoTracking().ToListAsync()), l => l.Count > 0, _ => "No dead letter.");
        var subscription = await Factory.WaitForStateAsync(id, s => s.MessagesConsumed == 3, "done with 3 messages");

        var dead = Assert.Single(letter);
        Assert.Equal(id, dead.StreamSubscriptionId);
        Assert.Equal(topic, dead.Topic);
        Assert.StartsWith("The message is not JSON", dead.Reason, StringComparison.Ordinal);
        Assert.Equal("this is not JSON {"u8.ToArray(), dead.Value);
        Assert.Equal([KafkaMockCluster.LasairId(1), KafkaMockCluster.LasairId(2)], alerts.Select(a => a.AlertId).Order(StringComparer.Ordinal));
        Assert.Equal(StreamState.Consuming, subscription.State);
    }

    [Fact]
    public async Task AppRestarted_ResumesFromTheCommittedOffsets_InTheSameRun_NothingStoredTwice()
    {
        const string topic = "restart";
        var id = await Factory.SubscribeAsync(topic);
        kafka.ProduceAll(topic, Enumerable.Range(0, 3).Select(i => KafkaMockCluster.LasairRow(i)));
        await Factory.WaitForStateAsync(id, s => s.MessagesConsumed == 3, "done with 3 messages");
        var runId = (await Factory.SubscriptionAsync(id)).CurrentRunId;
        await Factory.DisposeAsync(); // the app stops: the consumer commits its stored offsets and leaves the lease

        kafka.ProduceAll(topic, Enumerable.Range(3, 2).Select(i => KafkaMockCluster.LasairRow(i)));
        await using var restarted = await SecondAppAsync();
        var alerts = await restarted.WaitForAlertsAsync(id, 5);
        var subscription = await restarted.WaitForStateAsync(id, s => s.MessagesConsumed == 5, "done with 5 messages");
        await Task.Delay(1500); // a redelivery of the first three would show by now

        Assert.Equal(runId, subscription.CurrentRunId);
        Assert.Equal(5, (await restarted.SubscriptionAsync(id)).MessagesConsumed);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => KafkaMockCluster.LasairId(i)), (await restarted.WaitForAlertsAsync(id, 5)).Select(a => a.AlertId).Order(StringComparer.Ordinal));
        Assert.Equal(5, alerts.Count);
        var run = await restarted.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        Assert.Equal(RunStatus.Running, run.Status);
    }

    [Fact]
    public async Task ManyMessages_OneWebhookDigestPerWindow_NamingItsPositions()
    {
        const string topic = "digests";
        Factory.UseKafka(kafka, windowSeconds: 2);
        kafka.ProduceAll(topic, Enumerable.Range(0, 60).Select(i => KafkaMockCluster.LasairRow(i))); // waiting before the subscription starts
        var id = await Factory.SubscribeAsync(topic, query: q => { q.WebhookUrl = Factory.Brokers.Url + "/hook"; q.WebhookSecret = "stream-secret"; });

        await Factory.WaitForAlertsAsync(id, 60);
        await Poll.UntilAsync(() => Task.FromResult(digests.Count), n => n >= 1, n => $"{n} digests.");
        await Task.Delay(4500); // two more windows: nothing new, nothing sent
        Assert.Single(digests);
        await kafka.ProduceAsync(topic, KafkaMockCluster.LasairRow(60));
        await kafka.ProduceAsync(topic, KafkaMockCluster.LasairRow(5)); // seen in this run already: not new again
        await Poll.UntilAsync(() => Task.FromResult(digests.Count), n => n >= 2, n => $"{n} digests.");
        await Task.Delay(3000);

        var sent = digests.ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Equal(60, (int)sent[0]["newAlertCount"]!);
        Assert.Equal(0, (int)sent[0]["run"]!["window"]!["fromPosition"]!);
        Assert.Equal(59, (int)sent[0]["run"]!["window"]!["toPosition"]!);
        Assert.Equal(1, (int)sent[1]["newAlertCount"]!);
        Assert.Equal(KafkaMockCluster.LasairId(60), (string)sent[1]["newAlerts"]![0]!["alertId"]!);
        Assert.Equal(60, (int)sent[1]["run"]!["window"]!["fromPosition"]!);
        Assert.Equal((long)sent[0]["run"]!["id"]!, (long)sent[1]["run"]!["id"]!);
        var followUps = await Factory.WithDbAsync(db => db.RunFollowUps.AsNoTracking().Where(f => f.Hook == "RunDigests").OrderBy(f => f.Id).ToListAsync());
        Assert.Equal([(0, (int?)59), (60, 60)], followUps.Select(f => (f.FromPosition, f.ToPosition)));
        Assert.Equal(60, (await Factory.SubscriptionAsync(id)).FollowedUpTo);
    }

    [Fact]
    public async Task TwoInstancesOnOneDatabase_OneConsumes_TheOtherTakesOverWhenItStops()
    {
        const string topic = "cluster";
        await using var second = await SecondAppAsync();
        var id = await Factory.SubscribeAsync(topic);
        kafka.ProduceAll(topic, Enumerable.Range(0, 20).Select(i => KafkaMockCluster.LasairRow(i)));

        var first = await Factory.WaitForStateAsync(id, s => s.MessagesConsumed == 20, "done with 20 messages");
        await Task.Delay(1500);
        var owner = (await Factory.SubscriptionAsync(id)).LeaseOwner;
        var ids = new[] { Instance(Factory), Instance(second) };
        Assert.Contains(owner, ids);
        Assert.Equal(20, (await Factory.SubscriptionAsync(id)).MessagesConsumed);
        Assert.Equal(20, (await Factory.WaitForAlertsAsync(id, 20)).Count);

        // The instance consuming it stops; the other takes over from the committed offsets.
        var survivor = owner == ids[0] ? (Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>)second : Factory;
        await (owner == ids[0] ? Factory.DisposeAsync() : second.DisposeAsync());
        kafka.ProduceAll(topic, Enumerable.Range(20, 5).Select(i => KafkaMockCluster.LasairRow(i)));
        var after = await survivor.WaitForStateAsync(id, s => s.MessagesConsumed == 25, "done with 25 messages");
        Assert.Equal(first.CurrentRunId, after.CurrentRunId);
        Assert.NotEqual(owner, after.LeaseOwner);
        Assert.Equal(25, (await survivor.WaitForAlertsAsync(id, 25)).Select(a => a.AlertId).Distinct().Count());
    }

    [Fact]
    public async Task SourceWithoutCredentials_Failing_WithAMessageNamingTheSettings()
    {
        var id = await Factory.SubscribeAsync("hermes.test", StreamSource.Hopskotch);

        var subscription = await Factory.WaitForStateAsync(id, s => s.State == StreamState.Failing, "failing");

        Assert.Contains("STREAMS:HOPSKOTCH:sasl_username", subscription.StateMessage, StringComparison.Ordinal);
        Assert.Contains("STREAMS:HOPSKOTCH:sasl_password", subscription.StateMessage, StringComparison.Ordinal);
        Assert.Null(subscription.CurrentRunId);
    }

    [Fact]
    public async Task ServersUnreachable_Failing_InPlainWords()
    {
        Factory.Settings["STREAMS:KAFKA:bootstrap_servers"] = "127.0.0.1:1";
        var id = await Factory.SubscribeAsync("nowhere");

        var subscription = await Factory.WaitForStateAsync(id, s => s.State == StreamState.Failing, "failing");

        Assert.Equal("The Kafka servers 127.0.0.1:1 cannot be reached; TomAlerts keeps trying.", subscription.StateMessage);
    }

    private async Task<TomAlertsFactory> SecondAppAsync()
    {
        var app = new TomAlertsFactory();
        await ((IAsyncLifetime)app).InitializeAsync();
        app.UseKafka(kafka);
        app.Settings["ConnectionStrings:Default"] = $"Data Source={Factory.SqlitePath}";
        _ = app.Services; // started, beside the first
        return app;
    }

    private static string Instance(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app) =>
        app.Services.GetRequiredService<IOptions<StreamsOptions>>().Value.InstanceId;
}
