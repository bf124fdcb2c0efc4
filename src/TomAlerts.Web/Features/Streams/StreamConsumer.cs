using System.Diagnostics;
using System.Security.Cryptography;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Data;
using TomAlerts.Streams;

namespace TomAlerts.Web.Features.Streams;

/// <summary>Why a consumer stops: the subscription was stopped or deleted, another instance took it, or the app stops.</summary>
public enum StreamStopReason
{
    Stopped,
    LeaseLost,
    Shutdown,
}

/// <summary>
/// Consumes one subscription while this instance holds its lease: batches of messages stored by
/// <see cref="StreamRunStore"/>, each batch's offsets stored only after its transaction committed (librdkafka commits
/// stored offsets in the background and on close), so a crash replays at most one batch, which the run's one row per
/// object absorbs. Kafka trouble is the subscription's state, in plain words, and the consumer keeps trying.
/// </summary>
public sealed class StreamConsumer(int subscriptionId, IServiceScopeFactory scopes, StreamSources sources, StreamCredentialProtector credentials,
    IOptions<StreamsOptions> options, TimeProvider clock, ILogger<StreamConsumer> logger)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private volatile string? _kafkaProblem;
    private volatile bool _assigned;

    public StreamStopReason StopReason { get; set; } = StreamStopReason.Stopped;

    public async Task RunAsync(CancellationToken stop)
    {
        StreamRunCursor? cursor = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var subscription = await WithDbAsync(db => db.StreamSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriptionId, stop));
                if (subscription is null)
                {
                    return;
                }
                var settings = sources.For(subscription.Source);
                StreamCredentials? own;
                try
                {
                    own = credentials.Unprotect(subscription.ProtectedCredentials);
                }
                catch (CryptographicException)
                {
                    await SetStateAsync(StreamState.Failing, "The credentials saved with this subscription can no longer be read; save them again.");
                    await Task.Delay(Timeout.Infinite, stop);
                    return;
                }
                var missing = settings.Missing(subscription.TopicList, own);
                if (missing.Count > 0)
                {
                    await SetStateAsync(StreamState.Failing, $"This subscription cannot be consumed: it lacks {string.Join("; ", missing)}.");
                    await Task.Delay(Timeout.Infinite, stop);
                    return;
                }
                cursor ??= await WithStoreAsync(store => store.OpenAsync(subscriptionId, stop));
                if (cursor is null)
                {
                    return;
                }
                var config = ConsumerConfig(settings, subscription, own);
                try
                {
                    await ConsumeAsync(subscription, settings, config, cursor, stop);
                }
                catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException && !stop.IsCancellationRequested)
                {
                    // Nothing of the failed batch had its offsets stored: a new consumer starts again from the committed ones.
                    logger.LogWarning(e, "Stream subscription {SubscriptionId}: storing a batch failed; consuming again from the committed offsets", subscriptionId);
                    await SetStateAsync(StreamState.Failing, "The alerts received could not be stored; TomAlerts keeps trying.");
                    await Task.Delay(RetryDelay, clock, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            await FinishAsync(cursor);
        }
    }

    private ConsumerConfig ConsumerConfig(StreamSourceSettings settings, StreamSubscription subscription, StreamCredentials? own)
    {
        var o = options.Value;
        var config = settings.ConsumerConfig(subscription.TopicList, subscription.GroupId, own);
        config.EnableAutoCommit = true;
        config.EnableAutoOffsetStore = false;
        config.AutoCommitIntervalMs = 1000;
        // Prefetch is bounded by bytes alone. librdkafka postpones a partition's next fetch by fetch.queue.backoff.ms
        // (1 s by default) whenever its queue is over a threshold, so with a low message threshold a backlog drains,
        // waits a second, drains again (a third of the time spent idle); a short backoff keeps the queue filling.
        config.QueuedMaxMessagesKbytes = o.QueuedMaxMessagesKbytes;
        config.FetchQueueBackoffMs = 20;
        config.FetchMaxBytes = o.FetchMaxBytes;
        config.MaxPartitionFetchBytes = Math.Min(o.FetchMaxBytes, 1024 * 1024);
        config.ClientId = $"tomalerts-{subscription.Id}";
        config.SocketConnectionSetupTimeoutMs = 10_000;
        config.SessionTimeoutMs = o.SessionTimeoutSeconds * 1000;
        config.HeartbeatIntervalMs = Math.Max(500, o.SessionTimeoutSeconds * 1000 / 5);
        return config;
    }

    private async Task ConsumeAsync(StreamSubscription subscription, StreamSourceSettings settings, ConsumerConfig config, StreamRunCursor cursor, CancellationToken stop)
    {
        var o = options.Value;
        var servers = config.BootstrapServers;
        _kafkaProblem = null;
        _assigned = false;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(config)
            .SetErrorHandler((_, error) => _kafkaProblem = Describe(subscription.Source, servers, error, settings))
            .SetLogHandler((_, log) => logger.LogDebug("librdkafka {Facility}: {Message}", log.Facility, log.Message))
            .SetPartitionsAssignedHandler((_, _) => { _assigned = true; })
            .Build();
        long consumedSinceStats = 0;
        // One batch is written while the next is consumed and decoded; its offsets are stored once it is written.
        Task<StreamBatchResult>? writing = null;
        List<ConsumeResult<byte[]?, byte[]>> written = [];
        async Task FinishWriteAsync()
        {
            if (writing is not null)
            {
                var pending = writing;
                writing = null;
                var stored = await pending;
                // Only now may a restart skip these messages.
                foreach (var last in written.GroupBy(r => r.TopicPartition).Select(g => g.MaxBy(r => r.Offset.Value)!))
                {
                    consumer.StoreOffset(last);
                }
                consumedSinceStats += stored.Messages;
                _kafkaProblem = null;
            }
        }
        try
        {
            consumer.Subscribe(settings.KafkaTopics(subscription.TopicList));
            var state = StreamState.Starting;
            await SetStateAsync(state, null);
            var window = TimeSpan.FromSeconds(o.FollowUpWindowSeconds);
            var statsEvery = TimeSpan.FromSeconds(o.StatsSeconds);
            var lastWindow = Stopwatch.StartNew();
            var lastStats = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested)
            {
                var batch = new List<ConsumeResult<byte[]?, byte[]>>(o.BatchSize);
                var wait = Stopwatch.StartNew();
                var maxWait = TimeSpan.FromMilliseconds(o.BatchMaxWaitMilliseconds);
                while (batch.Count < o.BatchSize && !stop.IsCancellationRequested)
                {
                    var left = maxWait - wait.Elapsed;
                    if (left <= TimeSpan.Zero)
                    {
                        break;
                    }
                    ConsumeResult<byte[]?, byte[]>? result;
                    try
                    {
                        result = consumer.Consume(left);
                    }
                    catch (ConsumeException e)
                    {
                        _kafkaProblem = Describe(subscription.Source, servers, e.Error, settings);
                        break;
                    }
                    if (result is null)
                    {
                        break;
                    }
                    if (result.IsPartitionEOF || result.Message is null)
                    {
                        continue;
                    }
                    batch.Add(result);
                }
                if (batch.Count > 0)
                {
                    var messages = batch.ConvertAll(ToMessage);
                    var decoded = await WithStoreAsync(store => store.DecodeAsync(cursor, subscription.Source, messages, CancellationToken.None));
                    await FinishWriteAsync();
                    written = batch;
                    writing = Task.Run(() => WithStoreAsync(store => store.WriteAsync(cursor, decoded, CancellationToken.None)), CancellationToken.None);
                }
                else
                {
                    await FinishWriteAsync();
                }
                var problem = _kafkaProblem;
                var wanted = problem is not null ? StreamState.Failing : batch.Count > 0 || _assigned ? StreamState.Consuming : state;
                if (wanted != state || (wanted == StreamState.Failing && problem is not null))
                {
                    if (wanted != state)
                    {
                        state = wanted;
                        await SetStateAsync(state, problem);
                        if (problem is not null)
                        {
                            logger.LogWarning("Stream subscription {SubscriptionId}: {Problem}", subscriptionId, problem);
                        }
                    }
                }
                if (lastWindow.Elapsed >= window)
                {
                    lastWindow.Restart();
                    await FinishWriteAsync();
                    await WithStoreAsync(store => store.FollowUpAsync(cursor, CancellationToken.None));
                }
                if (lastStats.Elapsed >= statsEvery)
                {
                    var seconds = lastStats.Elapsed.TotalSeconds;
                    lastStats.Restart();
                    if (state == StreamState.Failing && Reachable(consumer, settings.KafkaTopics(subscription.TopicList)))
                    {
                        _kafkaProblem = null;
                        state = StreamState.Consuming;
                        await SetStateAsync(state, null);
                    }
                    await WriteStatsAsync(cursor, Lag(consumer), consumedSinceStats / seconds);
                    consumedSinceStats = 0;
                }
            }
        }
        finally
        {
            // A batch still being written is finished, and its offsets stored, before the consumer closes.
            try
            {
                await FinishWriteAsync();
            }
            catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
            {
                logger.LogWarning(e, "Stream subscription {SubscriptionId}: storing the last batch failed; it is consumed again from the committed offsets", subscriptionId);
            }
            try
            {
                consumer.Close(); // commits the stored offsets and leaves the group
            }
            catch (KafkaException e)
            {
                logger.LogWarning("Stream subscription {SubscriptionId}: closing the consumer: {Reason}", subscriptionId, e.Error.Reason);
            }
        }
    }

    private static StreamMessage ToMessage(ConsumeResult<byte[]?, byte[]> result)
    {
        var headers = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (result.Message.Headers is { } messageHeaders)
        {
            foreach (var header in messageHeaders)
            {
                headers[header.Key] = header.GetValueBytes();
            }
        }
        return new StreamMessage(result.Topic, result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value ?? [],
            headers, result.Message.Timestamp.UtcDateTime);
    }

    /// <summary>Messages on the assigned partitions not consumed yet.</summary>
    private static long? Lag(IConsumer<byte[]?, byte[]> consumer)
    {
        var assignment = consumer.Assignment;
        if (assignment.Count == 0)
        {
            return null;
        }
        long lag = 0;
        foreach (var partition in assignment)
        {
            var marks = consumer.GetWatermarkOffsets(partition);
            if (marks.High == Offset.Unset)
            {
                try
                {
                    marks = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(1));
                }
                catch (KafkaException)
                {
                    return null;
                }
            }
            var position = consumer.Position(partition);
            var at = position == Offset.Unset ? marks.Low.Value : position.Value;
            lag += Math.Max(0, marks.High.Value - at);
        }
        return lag;
    }

    private static bool Reachable(IConsumer<byte[]?, byte[]> consumer, IReadOnlyList<string> topics)
    {
        try
        {
            using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
            var metadata = admin.GetMetadata(topics[0], TimeSpan.FromSeconds(2));
            return metadata.Brokers.Count > 0 && metadata.Topics.All(t => !t.Error.IsError);
        }
        catch (KafkaException)
        {
            return false;
        }
    }

    /// <summary>A Kafka error in a user's words, naming servers and settings, never credentials.</summary>
    internal static string Describe(StreamSource source, string? servers, Error error, StreamSourceSettings settings)
    {
        var who = source == StreamSource.Kafka ? "The Kafka servers" : $"The {SourceName(source)} Kafka servers";
        return error.Code switch
        {
            ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Transport or ErrorCode.Local_Resolve or ErrorCode.Local_TimedOut or ErrorCode.NetworkException =>
                $"{who} {servers} cannot be reached; TomAlerts keeps trying.",
            ErrorCode.Local_Authentication or ErrorCode.SaslAuthenticationFailed or ErrorCode.IllegalSaslState or ErrorCode.UnsupportedSaslMechanism =>
                $"{who} {servers} refused the credentials (your own, or {settings.Path}:{StreamSourceSettings.SaslUsernameKey} and "
                + $"{StreamSourceSettings.SaslPasswordKey}); TomAlerts keeps trying.",
            ErrorCode.TopicAuthorizationFailed or ErrorCode.GroupAuthorizationFailed =>
                $"{who} {servers} do not allow these credentials to read the topics or use the consumer group; TomAlerts keeps trying.",
            ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition =>
                $"{who} {servers} have no such topic (yet); TomAlerts keeps trying.",
            ErrorCode.Local_Ssl => $"{who} {servers} could not be reached securely (TLS: {error.Reason}); TomAlerts keeps trying.",
            _ => $"{who} {servers} reported a problem: {error.Reason}; TomAlerts keeps trying.",
        };
    }

    /// <summary>How the source is written: ANTARES and GCN are acronyms.</summary>
    private static string SourceName(StreamSource source) =>
        source is StreamSource.Antares or StreamSource.Gcn ? source.ToString().ToUpperInvariant() : source.ToString();

    private async Task FinishAsync(StreamRunCursor? cursor)
    {
        try
        {
            var owner = options.Value.InstanceId;
            switch (StopReason)
            {
                case StreamStopReason.Stopped:
                    var enabled = await WithDbAsync(db => db.StreamSubscriptions.Where(s => s.Id == subscriptionId).Select(s => (bool?)s.Enabled).FirstOrDefaultAsync());
                    if (enabled is null)
                    {
                        return; // deleted, its runs with it
                    }
                    if (cursor is not null)
                    {
                        await WithStoreAsync(async store => { await store.CloseAsync(cursor, CancellationToken.None); return true; });
                    }
                    await WithDbAsync(db => db.StreamSubscriptions.Where(s => s.Id == subscriptionId && !s.Enabled)
                        .ExecuteUpdateAsync(s => s
                            .SetProperty(x => x.State, StreamState.Stopped)
                            .SetProperty(x => x.StateMessage, (string?)null)
                            .SetProperty(x => x.Lag, (long?)null)
                            .SetProperty(x => x.Throughput, (double?)null)));
                    break;
                case StreamStopReason.Shutdown:
                    // The run stays open for the next start; what this window added still gets its follow-ups.
                    if (cursor is not null)
                    {
                        await WithStoreAsync(store => store.FollowUpAsync(cursor, CancellationToken.None));
                    }
                    break;
                case StreamStopReason.LeaseLost:
                    return; // another instance consumes it now: nothing here is ours to write
            }
            await WithDbAsync(db => db.StreamSubscriptions.Where(s => s.Id == subscriptionId && s.LeaseOwner == owner)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseUntil, (DateTime?)null)));
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning("Stream subscription {SubscriptionId}: finishing after it stopped failed: {Reason}", subscriptionId, e.Message);
        }
    }

    private Task SetStateAsync(StreamState state, string? message) =>
        WithDbAsync(db => db.StreamSubscriptions.Where(s => s.Id == subscriptionId && s.Enabled && s.LeaseOwner == options.Value.InstanceId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, state).SetProperty(x => x.StateMessage, message)));

    private Task WriteStatsAsync(StreamRunCursor cursor, long? lag, double throughput)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rounded = Math.Round(throughput, 1);
        return WithDbAsync(async db =>
        {
            await db.StreamSubscriptions.Where(s => s.Id == subscriptionId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Lag, lag).SetProperty(x => x.Throughput, rounded));
            return await db.QueryRuns.Where(r => r.Id == cursor.RunId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Heartbeat, now));
        });
    }

    private async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private async Task<T> WithStoreAsync<T>(Func<StreamRunStore, Task<T>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<StreamRunStore>());
    }
}
