using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Streams;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Streams;

/// <summary>The steps of the stream tests: a subscription saved as the management pages save one, and waiting for what it stores.</summary>
internal static class StreamTestSteps
{
    /// <summary>Fast windows, scans and leases, and the generic Kafka source pointed at <paramref name="kafka"/>.</summary>
    public static void UseKafka(this TomAlertsFactory factory, KafkaMockCluster kafka, int windowSeconds = 1)
    {
        factory.Settings["STREAMS:KAFKA:bootstrap_servers"] = kafka.BootstrapServers;
        factory.Settings["Streams:FollowUpWindowSeconds"] = windowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["Streams:ScanSeconds"] = "1";
        factory.Settings["Streams:LeaseSeconds"] = "3";
        factory.Settings["Streams:StatsSeconds"] = "1";
        factory.Settings["Streams:BatchMaxWaitMilliseconds"] = "50";
        // librdkafka's mock cluster ignores a consumer's leaving its group: the next consumer waits out the session.
        factory.Settings["Streams:SessionTimeoutSeconds"] = "6";
    }

    /// <summary>A started subscription of <paramref name="source"/> to <paramref name="topic"/>, whose hidden query holds Lasair alerts.</summary>
    public static Task<int> SubscribeAsync(this WebApplicationFactory<Program> app, string topic, StreamSource source = StreamSource.Kafka,
        Action<BrokerQuery>? query = null) =>
        app.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var hidden = new BrokerQuery { Name = $"Stream {topic}", Broker = "Lasair", Parameters = """{"query_name":"stream","broker":"Lasair"}""", IsStream = true, Created = now, Modified = now };
            query?.Invoke(hidden);
            var subscription = new StreamSubscription
            {
                Name = $"Stream {topic}", Source = source, Topics = topic, GroupId = $"tomalerts-test-{Guid.NewGuid():N}", Query = hidden, Enabled = true,
                State = StreamState.Starting, Created = now, Modified = now,
            };
            db.StreamSubscriptions.Add(subscription);
            await db.SaveChangesAsync();
            return subscription.Id;
        });

    public static Task<StreamSubscription> SubscriptionAsync(this WebApplicationFactory<Program> app, int id) =>
        app.WithDbAsync(db => db.StreamSubscriptions.AsNoTracking().SingleAsync(s => s.Id == id));

    /// <summary>The subscription once its current stream run has <paramref name="count"/> alerts.</summary>
    public static Task<List<RunAlert>> WaitForAlertsAsync(this WebApplicationFactory<Program> app, int subscriptionId, int count, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () => app.WithDbAsync(async db =>
            {
                var runId = await db.StreamSubscriptions.Where(s => s.Id == subscriptionId).Select(s => s.CurrentRunId).SingleAsync();
                return await db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == runId).OrderBy(a => a.Position).ToListAsync();
            }),
            alerts => alerts.Count >= count,
            alerts => $"The stream run has {alerts.Count} of {count} alerts.",
            timeout ?? TimeSpan.FromSeconds(30));

    public static Task<StreamSubscription> WaitForStateAsync(this WebApplicationFactory<Program> app, int id, Func<StreamSubscription, bool> done, string what) =>
        Poll.UntilAsync(() => app.SubscriptionAsync(id), done, s => $"Subscription {id} is not {what}: {s.State}, \"{s.StateMessage}\", {s.MessagesConsumed} consumed.",
            TimeSpan.FromSeconds(30));
}
