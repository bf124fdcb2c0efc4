using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Brokers.Streams;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Streams;
using TomAlerts.Web.Features.Runs;

namespace TomAlerts.Web.Features.Streams;

/// <summary>Where a consumer stands in its subscription's stream run: the run, its UTC day, and the next alert position.</summary>
public sealed class StreamRunCursor
{
    public required int SubscriptionId { get; init; }
    public required int QueryId { get; init; }
    public required string Broker { get; init; }
    public long RunId { get; set; }
    public DateTime Day { get; set; }
    public int NextPosition { get; set; }
    public int FollowedUpTo { get; set; }
}

/// <summary>A batch of messages decoded: its alerts by id with their payloads, the messages that are not alerts, how many the query filtered out.</summary>
public sealed record DecodedStreamBatch(int Messages, IReadOnlyDictionary<string, (GenericAlert Alert, string Payload)> Alerts, IReadOnlyList<StreamDeadLetter> DeadLetters,
    int Filtered);

/// <summary>What one batch did.</summary>
public readonly record struct StreamBatchResult(int Messages, int Added, int Updated, int Filtered, int DeadLetters);

/// <summary>
/// Stores a subscription's messages in its stream runs (ADR-010): one run per UTC day, an alert once per run (a later
/// message about it replaces its row in place), dead letters for messages that are not alerts, and one follow-up per
/// hook per window of added alerts. Each batch is one transaction, so the consumer stores its offsets only after it.
/// </summary>
public sealed class StreamRunStore(AppDbContext db, BrokerRegistry brokers, StreamDecoders decoders, IEnumerable<IRunCompletionHook> hooks,
    RunFollowUpSignal followUps, TimeProvider clock, ILogger<StreamRunStore> logger)
{
    private const int DeadLetterValueLimit = 64 * 1024;

    /// <summary>Opens (or reopens) today's stream run of the subscription; null when the subscription is gone.</summary>
    public async Task<StreamRunCursor?> OpenAsync(int subscriptionId, CancellationToken cancellationToken)
    {
        var subscription = await db.StreamSubscriptions.Include(s => s.Query).FirstOrDefaultAsync(s => s.Id == subscriptionId, cancellationToken);
        if (subscription?.Query is null)
        {
            return null;
        }
        var cursor = new StreamRunCursor
        {
            SubscriptionId = subscription.Id, QueryId = subscription.BrokerQueryId,
            Broker = decoders.For(subscription.Source)?.Broker ?? subscription.Query.Broker,
            RunId = subscription.CurrentRunId ?? 0, FollowedUpTo = subscription.FollowedUpTo,
        };
        await EnsureTodaysRunAsync(cursor, cancellationToken);
        return cursor;
    }

    /// <summary>
    /// Decodes and filters one batch of messages, with no transaction open, so the consumer decodes a batch while the
    /// one before it is written (<see cref="WriteAsync"/>).
    /// </summary>
    public async Task<DecodedStreamBatch> DecodeAsync(StreamRunCursor cursor, StreamSource source, IReadOnlyList<StreamMessage> messages, CancellationToken cancellationToken)
    {
        var decoder = decoders.For(source) ?? throw new InvalidOperationException($"No decoder reads {source} messages.");
        var broker = brokers.GetServiceClass(cursor.Broker);
        var parameters = (await db.BrokerQueries.AsNoTracking().Where(q => q.Id == cursor.QueryId).FirstAsync(cancellationToken)).ReadParameters();
        var filter = parameters is not null ? broker as IFiltersAlerts : null;

        var alerts = new Dictionary<string, (GenericAlert Alert, string Payload)>(StringComparer.Ordinal);
        var deadLetters = new List<StreamDeadLetter>();
        var filtered = 0;
        var now = Now;
        foreach (var message in messages)
        {
            try
            {
                var accepted = new List<(GenericAlert, string)>();
                foreach (var raw in decoder.Decode(message))
                {
                    if (filter is not null && !filter.Matches(parameters!, raw))
                    {
                        filtered++;
                        continue;
                    }
                    accepted.Add((broker.ToGenericAlert(raw), raw.ToJsonString()));
                }
                foreach (var (alert, payload) in accepted)
                {
                    alerts[RunExecutor.Truncate(alert.Id, 200)] = (alert, payload); // a later message about an object wins
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var reason = e is StreamMessageException ? e.Message : $"The message is not a readable {cursor.Broker} alert ({e.GetType().Name}: {e.Message}).";
                deadLetters.Add(new StreamDeadLetter
                {
                    StreamSubscriptionId = cursor.SubscriptionId, Topic = RunExecutor.Truncate(message.Topic, 255), Partition = message.Partition,
                    Offset = message.Offset, Received = now, Reason = RunExecutor.Truncate(reason, 2000),
                    Value = message.Value.Length <= DeadLetterValueLimit ? message.Value : message.Value[..DeadLetterValueLimit],
                });
            }
        }
        return new DecodedStreamBatch(messages.Count, alerts, deadLetters, filtered);
    }

    /// <summary>Stores one decoded batch in one transaction, in today's run.</summary>
    public async Task<StreamBatchResult> WriteAsync(StreamRunCursor cursor, DecodedStreamBatch batch, CancellationToken cancellationToken)
    {
        await EnsureTodaysRunAsync(cursor, cancellationToken);
        var deadLetters = batch.DeadLetters;
        var now = Now;
        var ids = batch.Alerts.Keys.ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = ids.Count == 0 ? []
            : await db.RunAlerts.Where(a => a.QueryRunId == cursor.RunId && EF.Parameter(ids).Contains(a.AlertId)).ToListAsync(cancellationToken);
        foreach (var stored in existing)
        {
            var (alert, payload) = batch.Alerts[stored.AlertId];
            RunAlertRows.Update(stored, alert, payload);
        }
        var updatedIds = existing.Select(a => a.AlertId).ToList();
        var added = batch.Alerts.ExceptBy(updatedIds, a => a.Key, StringComparer.Ordinal)
            .Select(a => RunAlertRows.Create(cursor.RunId, cursor.NextPosition++, a.Value.Alert, a.Value.Payload)).ToList();
        var newCount = await RunAlertRows.MarkNewAsync(db, cursor.RunId, cursor.QueryId, added, cancellationToken);
        if (existing.Count > 0)
        {
            // A renamed object is matched by its new names.
            await db.RunAlertKeys.Where(k => k.QueryRunId == cursor.RunId && EF.Parameter(updatedIds).Contains(k.AlertId)).ExecuteDeleteAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await RunAlertRows.InsertKeysAsync(db, existing, cancellationToken);
        }
        await RunAlertRows.InsertAsync(db, cursor.Broker, added, cancellationToken);
        if (deadLetters.Count > 0)
        {
            await AddDeadLettersAsync(deadLetters, cancellationToken);
        }
        await db.QueryRuns.Where(r => r.Id == cursor.RunId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.AlertCount, r => r.AlertCount + added.Count)
                .SetProperty(r => r.NewAlertCount, r => r.NewAlertCount + newCount)
                .SetProperty(r => r.Heartbeat, now), cancellationToken);
        await db.StreamSubscriptions.Where(s => s.Id == cursor.SubscriptionId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.MessagesConsumed, x => x.MessagesConsumed + batch.Messages)
                .SetProperty(x => x.LastMessageAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        if (deadLetters.Count > 0)
        {
            logger.LogWarning("Stream subscription {SubscriptionId}: {Count} messages kept as dead letters, first: {Reason}",
                cursor.SubscriptionId, deadLetters.Count, deadLetters[0].Reason);
        }
        return new StreamBatchResult(batch.Messages, added.Count, existing.Count, batch.Filtered, deadLetters.Count);
    }

    /// <summary>
    /// Ends the current window: when alerts were added since the last one, one follow-up per hook for their positions,
    /// recorded in the transaction that moves the subscription's mark. True when follow-ups were recorded.
    /// </summary>
    public async Task<bool> FollowUpAsync(StreamRunCursor cursor, CancellationToken cancellationToken)
    {
        var to = cursor.NextPosition - 1;
        if (cursor.RunId == 0 || to <= cursor.FollowedUpTo)
        {
            return false;
        }
        var from = cursor.FollowedUpTo + 1;
        var now = Now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var hook in hooks.Select(RunFollowUpDelivery.NameOf).Distinct(StringComparer.Ordinal))
        {
            db.RunFollowUps.Add(new RunFollowUp
            {
                QueryRunId = cursor.RunId, Hook = hook, FromPosition = from, ToPosition = to, State = FollowUpState.Pending, Created = now, NextAttempt = now,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        await db.StreamSubscriptions.Where(s => s.Id == cursor.SubscriptionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.FollowedUpTo, to).SetProperty(x => x.LastFollowUp, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        cursor.FollowedUpTo = to;
        followUps.Wake();
        return true;
    }

    /// <summary>Closes the stream run (the subscription was stopped, or its day ended): its last window's follow-ups, then Succeeded.</summary>
    public async Task CloseAsync(StreamRunCursor cursor, CancellationToken cancellationToken)
    {
        if (cursor.RunId == 0)
        {
            return;
        }
        await FollowUpAsync(cursor, cancellationToken);
        var now = Now;
        var dayEnd = cursor.Day.AddDays(1).AddTicks(-1);
        var finished = now < dayEnd ? now : dayEnd;
        await db.QueryRuns.Where(r => r.Id == cursor.RunId && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Succeeded)
                .SetProperty(r => r.Finished, finished)
                .SetProperty(r => r.Progress, (string?)null)
                .SetProperty(r => r.AlertCount, r => db.RunAlerts.Count(a => a.QueryRunId == r.Id)), cancellationToken);
    }

    /// <summary>Closes the subscription's open stream run when no consumer has it (stopped while no instance was consuming it).</summary>
    public async Task CloseAbandonedAsync(int subscriptionId, CancellationToken cancellationToken)
    {
        var subscription = await db.StreamSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriptionId, cancellationToken);
        if (subscription?.CurrentRunId is not { } runId)
        {
            return;
        }
        var run = await db.QueryRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.Status != RunStatus.Running)
        {
            return;
        }
        var cursor = new StreamRunCursor
        {
            SubscriptionId = subscriptionId, QueryId = subscription.BrokerQueryId, Broker = "", RunId = runId, Day = run.Created.Date,
            FollowedUpTo = subscription.FollowedUpTo, NextPosition = await NextPositionAsync(runId, cancellationToken),
        };
        await CloseAsync(cursor, cancellationToken);
    }

    /// <summary>Makes <paramref name="cursor"/> point at today's open run: the day's run reopened, or yesterday's closed and a new one opened.</summary>
    private async Task EnsureTodaysRunAsync(StreamRunCursor cursor, CancellationToken cancellationToken)
    {
        var now = Now;
        var today = now.Date;
        if (cursor.RunId != 0 && cursor.Day == today)
        {
            return;
        }
        var current = cursor.RunId == 0 ? null : await db.QueryRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == cursor.RunId, cancellationToken);
        if (current is not null && current.Created.Date != today)
        {
            cursor.Day = current.Created.Date;
            cursor.NextPosition = await NextPositionAsync(current.Id, cancellationToken);
            await CloseAsync(cursor, cancellationToken);
            current = null;
        }
        // The day's run, reopened when the subscription was stopped and started again today.
        current ??= await db.QueryRuns.AsNoTracking()
            .Where(r => r.BrokerQueryId == cursor.QueryId && r.Created >= today)
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        long runId;
        if (current is null)
        {
            var run = new QueryRun { BrokerQueryId = cursor.QueryId, Status = RunStatus.Running, Created = now, Started = now, Heartbeat = now };
            db.QueryRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            runId = run.Id;
        }
        else
        {
            runId = current.Id;
            await db.QueryRuns.Where(r => r.Id == runId)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, RunStatus.Running)
                    .SetProperty(r => r.Finished, (DateTime?)null)
                    .SetProperty(r => r.Error, (string?)null)
                    .SetProperty(r => r.Heartbeat, now), cancellationToken);
        }
        if (runId != cursor.RunId)
        {
            cursor.FollowedUpTo = current is null ? -1 : await LastFollowedUpAsync(runId, cancellationToken);
        }
        cursor.RunId = runId;
        cursor.Day = today;
        cursor.NextPosition = await NextPositionAsync(runId, cancellationToken);
        var followedUpTo = cursor.FollowedUpTo;
        await db.StreamSubscriptions.Where(s => s.Id == cursor.SubscriptionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.CurrentRunId, runId).SetProperty(x => x.FollowedUpTo, followedUpTo), cancellationToken);
    }

    private async Task<int> LastFollowedUpAsync(long runId, CancellationToken cancellationToken) =>
        await db.RunFollowUps.Where(f => f.QueryRunId == runId && f.ToPosition != null).MaxAsync(f => f.ToPosition, cancellationToken) ?? -1;

    private async Task<int> NextPositionAsync(long runId, CancellationToken cancellationToken) =>
        (await db.RunAlerts.Where(a => a.QueryRunId == runId).MaxAsync(a => (int?)a.Position, cancellationToken) ?? -1) + 1;

    private async Task AddDeadLettersAsync(IReadOnlyList<StreamDeadLetter> letters, CancellationToken cancellationToken)
    {
        // A redelivered poison message is kept once.
        var subscriptionId = letters[0].StreamSubscriptionId;
        var offsets = letters.Select(l => l.Offset).ToList();
        var known = (await db.StreamDeadLetters.Where(l => l.StreamSubscriptionId == subscriptionId && offsets.Contains(l.Offset))
                .Select(l => new { l.Topic, l.Partition, l.Offset }).ToListAsync(cancellationToken))
            .Select(l => (l.Topic, l.Partition, l.Offset)).ToHashSet();
        db.StreamDeadLetters.AddRange(letters.Where(l => known.Add((l.Topic, l.Partition, l.Offset))));
        await db.SaveChangesAsync(cancellationToken);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
