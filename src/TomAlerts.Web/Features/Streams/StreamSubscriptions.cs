using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Brokers.Streams;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Streams;
using TomAlerts.Web.Features.Schedules;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Streams;

/// <summary>
/// A subscription to save, as the page and the API send it. <see cref="Filter"/> holds the broker form's fields and their
/// text; <see cref="Credentials"/> the subscriber's own, when they have them.
/// </summary>
public sealed record StreamInput(
    string? Name,
    string? Source,
    IReadOnlyList<string>? Topics,
    string? Broker = null,
    IReadOnlyDictionary<string, string?>? Filter = null,
    string? Visibility = null,
    bool AutoCreateTargets = false,
    bool NotifyEmail = false,
    string? WebhookUrl = null,
    string? WebhookSecret = null,
    StreamCredentials? Credentials = null,
    bool Start = true);

/// <summary>The subscription saved, or the messages keyed by field (name, source, topics, broker, filter.&lt;field&gt;, …) that kept it from being saved.</summary>
public sealed record StreamSaveResult(StreamSubscription? Subscription, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Subscription is not null;
}

/// <summary>
/// The rules of stream subscriptions, the same for the pages and the API: who sees and changes one, how a submission is
/// checked and saved with its hidden query (ADR-010), starting, stopping and deleting.
/// </summary>
public sealed class StreamSubscriptions(
    AppDbContext db, BrokerRegistry brokers, StreamDecoders decoders, StreamSources sources, QuerySchedules schedules,
    StreamCredentialProtector credentials, TimeProvider clock)
{
    public const int MaxTopics = 50;

    public static IQueryable<StreamSubscription> VisibleTo(IQueryable<StreamSubscription> subscriptions, ClaimsPrincipal user)
    {
        if (user.IsAdmin())
        {
            return subscriptions;
        }
        var userId = user.UserId();
        return subscriptions.Where(s => s.Visibility == QueryVisibility.Shared || s.OwnerId == userId);
    }

    /// <summary>Only its owner or an administrator may start, stop or delete a subscription.</summary>
    public static bool CanChange(StreamSubscription subscription, ClaimsPrincipal user) =>
        user.IsAdmin() || (subscription.OwnerId is not null && subscription.OwnerId == user.UserId());

    /// <summary>The broker whose payload shape <paramref name="source"/> gives; null when the subscription names it (generic Kafka).</summary>
    public string? BrokerOf(StreamSource source) => StreamSourceBrokers.Of(decoders, source);

    /// <summary>The source named <paramref name="text"/> (any case), or null.</summary>
    public static StreamSource? ParseSource(string? text) =>
        Enum.TryParse<StreamSource>(text?.Trim(), ignoreCase: true, out var source) && Enum.IsDefined(source) && !int.TryParse(text, out _) ? source : null;

    /// <summary>What a subscription of <paramref name="source"/> still lacks to be consumed; empty when nothing.</summary>
    public IReadOnlyList<string> Missing(StreamSource source, IReadOnlyList<string> topics, StreamCredentials? own) =>
        sources.For(source).Missing(topics, own);

    public IReadOnlyList<string> Missing(StreamSubscription subscription) =>
        Missing(subscription.Source, subscription.TopicList, ReadCredentials(subscription));

    /// <summary>The subscriber's own credentials, unprotected; null when the source's configured ones are used (or the keys that protected them are gone).</summary>
    public StreamCredentials? ReadCredentials(StreamSubscription subscription)
    {
        try
        {
            return credentials.Unprotect(subscription.ProtectedCredentials);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public async Task<StreamSubscription?> FindVisibleAsync(int id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var subscription = await db.StreamSubscriptions.Include(s => s.Query).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        return subscription is not null && subscription.IsVisibleTo(user.UserId(), user.IsAdmin()) ? subscription : null;
    }

    /// <summary>The subscriptions <paramref name="user"/> sees, newest first.</summary>
    public async Task<IReadOnlyList<StreamSubscription>> ListVisibleAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await VisibleTo(db.StreamSubscriptions.AsNoTracking(), user).OrderByDescending(s => s.Created).ThenByDescending(s => s.Id)
            .Take(500).ToListAsync(cancellationToken);

    /// <summary>The owners' user names of <paramref name="subscriptions"/>, by owner id.</summary>
    public async Task<IReadOnlyDictionary<string, string>> OwnerNamesAsync(IEnumerable<StreamSubscription> subscriptions, CancellationToken cancellationToken)
    {
        var ids = subscriptions.Select(s => s.OwnerId).OfType<string>().Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.UserName ?? u.Email ?? u.Id, cancellationToken);
    }

    /// <summary>How many dead letters the subscription has, and the latest <paramref name="latest"/> of them.</summary>
    public async Task<(int Count, IReadOnlyList<StreamDeadLetter> Latest)> DeadLettersAsync(int subscriptionId, int latest, CancellationToken cancellationToken)
    {
        var letters = db.StreamDeadLetters.AsNoTracking().Where(l => l.StreamSubscriptionId == subscriptionId);
        var count = await letters.CountAsync(cancellationToken);
        var rows = await letters.OrderByDescending(l => l.Id).Take(latest)
            .Select(l => new StreamDeadLetter { Id = l.Id, StreamSubscriptionId = l.StreamSubscriptionId, Topic = l.Topic, Partition = l.Partition, Offset = l.Offset, Received = l.Received, Reason = l.Reason })
            .ToListAsync(cancellationToken);
        return (count, rows);
    }

    /// <summary>
    /// Checks <paramref name="input"/> and saves it as a new subscription owned by <paramref name="ownerId"/>, with its
    /// hidden query; started at once when <see cref="StreamInput.Start"/>. Every problem is reported at once, by field.
    /// </summary>
    public async Task<StreamSaveResult> CreateAsync(StreamInput input, string? ownerId, CancellationToken cancellationToken)
    {
        var (valid, errors) = await CheckAsync(input, null, cancellationToken);
        if (valid is null)
        {
            return new(null, errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var query = new BrokerQuery
        {
            Name = valid.Name, Broker = valid.Broker.Name, Parameters = (valid.Parameters ?? []).ToJsonString(), OwnerId = ownerId, Visibility = valid.Visibility,
            IsStream = true, Created = now, Modified = now, AutoCreateTargets = input.AutoCreateTargets, NotifyEmail = input.NotifyEmail,
            WebhookUrl = valid.WebhookUrl, WebhookSecret = valid.WebhookSecret,
        };
        var subscription = new StreamSubscription
        {
            Name = valid.Name, Source = valid.Source, Topics = string.Join('\n', valid.Topics), OwnerId = ownerId, Visibility = valid.Visibility,
            Query = query, GroupId = valid.GroupId, Created = now, Modified = now,
            ProtectedCredentials = valid.Own is null ? null : credentials.Protect(valid.Own),
        };
        if (input.Start)
        {
            MarkStarted(subscription, Missing(subscription.Source, valid.Topics, valid.Own));
        }
        db.StreamSubscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return new(subscription, new Dictionary<string, string[]>());
    }

    /// <summary>
    /// Checks <paramref name="input"/> as <see cref="CreateAsync"/> does and saves it over <paramref name="subscription"/>
    /// (tracked, with its query). The source cannot change; blank credentials and a blank webhook secret keep the saved
    /// ones, <paramref name="forgetCredentials"/> drops the subscriber's own. The consumer group stays, so the stream
    /// resumes from its committed offsets; a running consumer restarts with what the subscription says now (the worker
    /// sees <see cref="StreamSubscription.Modified"/> change). Whether it is started is not changed here.
    /// </summary>
    public async Task<StreamSaveResult> UpdateAsync(StreamSubscription subscription, StreamInput input, bool forgetCredentials, CancellationToken cancellationToken)
    {
        var (valid, errors) = await CheckAsync(input, new Existing(subscription, forgetCredentials), cancellationToken);
        if (valid is null)
        {
            return new(null, errors);
        }
        var query = subscription.Query ?? await db.BrokerQueries.SingleAsync(q => q.Id == subscription.BrokerQueryId, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        query.Name = valid.Name;
        query.Parameters = (valid.Parameters ?? []).ToJsonString();
        query.Visibility = valid.Visibility;
        query.AutoCreateTargets = input.AutoCreateTargets;
        query.NotifyEmail = input.NotifyEmail;
        query.WebhookUrl = valid.WebhookUrl;
        query.WebhookSecret = valid.WebhookSecret;
        query.Modified = now;
        subscription.Name = valid.Name;
        subscription.Topics = string.Join('\n', valid.Topics);
        subscription.Visibility = valid.Visibility;
        subscription.GroupId = valid.GroupId;
        if (valid.OwnGiven || forgetCredentials)
        {
            subscription.ProtectedCredentials = valid.Own is null ? null : credentials.Protect(valid.Own);
        }
        subscription.Modified = now;
        if (subscription.Enabled)
        {
            // Started: what it lacks now (or no longer lacks) shows at once; the consumer sets Consuming when it is.
            MarkStarted(subscription, Missing(subscription.Source, valid.Topics, valid.Own));
        }
        await db.SaveChangesAsync(cancellationToken);
        return new(subscription, new Dictionary<string, string[]>());
    }

    /// <summary>A subscription being edited, and whether its subscriber's own credentials are to be forgotten.</summary>
    private sealed record Existing(StreamSubscription Subscription, bool ForgetCredentials);

    /// <summary>A submission that passed every check, cleaned.</summary>
    private sealed record ValidInput(string Name, StreamSource Source, List<string> Topics, QueryVisibility Visibility, IBroker Broker, JsonObject? Parameters,
        string? WebhookUrl, string? WebhookSecret, StreamCredentials? Own, bool OwnGiven, string GroupId);

    /// <summary>The one place a subscription's submission is checked, for the pages and the API, new or edited: every problem at once, by field.</summary>
    private async Task<(ValidInput? Valid, IReadOnlyDictionary<string, string[]> Errors)> CheckAsync(StreamInput input, Existing? existing,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }
            list.Add(message);
        }

        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            Add("name", "Give the subscription a name.");
        }
        else if (name.Length > 200)
        {
            Add("name", "A name has at most 200 characters.");
        }

        var source = ParseSource(input.Source);
        if (existing is not null && !string.IsNullOrWhiteSpace(input.Source) && source != existing.Subscription.Source)
        {
            Add("source", $"A subscription's source cannot change: this one reads {existing.Subscription.Source}; subscribe anew for another source.");
            source = null;
        }
        else if (existing is not null)
        {
            source = existing.Subscription.Source;
        }
        else if (source is null)
        {
            Add("source", $"Choose a source: one of {string.Join(", ", Enum.GetNames<StreamSource>())}.");
        }

        var topics = ReadTopics(input.Topics, Add);

        var visibility = string.IsNullOrWhiteSpace(input.Visibility) ? QueryVisibility.Shared
            : Enum.TryParse<QueryVisibility>(input.Visibility.Trim(), ignoreCase: true, out var v) && Enum.IsDefined(v) && !int.TryParse(input.Visibility, out _) ? v
            : (QueryVisibility?)null;
        if (visibility is null)
        {
            Add("visibility", "Visibility must be shared or private.");
        }

        IBroker? broker = null;
        if (existing is not null)
        {
            // The broker was fixed with the source when it was created.
            var saved = existing.Subscription.Query?.Broker ?? BrokerOf(existing.Subscription.Source);
            if (!string.IsNullOrWhiteSpace(input.Broker) && !string.Equals(input.Broker.Trim(), saved, StringComparison.OrdinalIgnoreCase))
            {
                Add("broker", $"This subscription's messages are read as {saved} alerts; that cannot change. Subscribe anew for {input.Broker.Trim()} alerts.");
            }
            else if (saved is null || !brokers.TryGet(saved, out broker) || broker.IsStub)
            {
                Add("source", $"The {saved} broker, whose alerts this subscription reads, is not installed here (TOM_ALERT_CLASSES), so its messages cannot be read.");
                broker = null;
            }
        }
        else if (source is { } s)
        {
            var brokerName = BrokerOf(s);
            if (brokerName is null)
            {
                if (string.IsNullOrWhiteSpace(input.Broker))
                {
                    Add("broker", $"Name the broker whose alert shape the messages have: one of {string.Join(", ", brokers.Names)}.");
                }
                else if (!brokers.TryGet(input.Broker.Trim(), out broker) || broker.IsStub)
                {
                    Add("broker", $"No broker named {input.Broker.Trim()} is configured: one of {string.Join(", ", brokers.Names)}.");
                    broker = null;
                }
            }
            else if (!brokers.TryGet(brokerName, out broker) || broker.IsStub)
            {
                Add("source", $"The {brokerName} broker, whose alerts this source sends, is not installed here (TOM_ALERT_CLASSES), so its messages cannot be read.");
                broker = null;
            }
            else if (!string.IsNullOrWhiteSpace(input.Broker) && !string.Equals(input.Broker.Trim(), brokerName, StringComparison.OrdinalIgnoreCase))
            {
                Add("broker", $"A {s} stream sends {brokerName} alerts; leave the broker out or name {brokerName}.");
            }
        }

        var parameters = broker is null ? null : await ReadFilterAsync(broker, input.Filter, Add, cancellationToken);

        var savedSecret = existing?.Subscription.Query?.WebhookSecret;
        ReadNotifications(input, savedSecret is not null, Add);
        var webhookUrl = Blank(input.WebhookUrl);
        var webhookSecret = webhookUrl is null ? null : string.IsNullOrEmpty(input.WebhookSecret) ? savedSecret : input.WebhookSecret;

        var own = ReadOwnCredentials(input.Credentials, Add);
        var ownGiven = own is not null;
        if (existing is not null && own is null && !existing.ForgetCredentials)
        {
            own = ReadCredentials(existing.Subscription);
        }

        string? groupId = null;
        if (source is { } src && !string.IsNullOrEmpty(name) && !errors.ContainsKey("name"))
        {
            var settings = sources.For(src);
            if (existing is null)
            {
                groupId = settings.GroupId(name, own);
            }
            else
            {
                // Kept, so the stream resumes where it stopped; only a prefix that depends on the credentials follows them.
                var oldPrefix = settings.GroupId("", ReadCredentials(existing.Subscription));
                var newPrefix = settings.GroupId("", own);
                var kept = existing.Subscription.GroupId;
                groupId = oldPrefix != newPrefix && kept.StartsWith(oldPrefix, StringComparison.Ordinal) ? newPrefix + kept[oldPrefix.Length..] : kept;
            }
            var id = existing?.Subscription.Id ?? 0;
            if (groupId.Length > 255)
            {
                Add("name", "The name is too long for a Kafka consumer group; shorten it.");
            }
            else if (await db.StreamSubscriptions.AnyAsync(x => x.GroupId == groupId && x.Id != id, cancellationToken))
            {
                Add("name", $"Another {src} subscription is already called {name}; its consumer group would be shared, so each would get only some of the messages. Choose another name.");
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
        return (new ValidInput(name!, source!.Value, topics, visibility!.Value, broker!, parameters, webhookUrl, webhookSecret, own, ownGiven, groupId!),
            new Dictionary<string, string[]>());
    }

    /// <summary>
    /// Starts consuming (saved even when something is missing, so it consumes once an administrator adds it). Returns what
    /// the source still lacks; empty when it can be consumed.
    /// </summary>
    public async Task<IReadOnlyList<string>> StartAsync(StreamSubscription subscription, CancellationToken cancellationToken)
    {
        var missing = Missing(subscription);
        // Starting one that consumes already changes nothing (its consumer is not restarted).
        if (!subscription.Enabled || subscription.State == StreamState.Stopped || missing.Count > 0)
        {
            MarkStarted(subscription, missing);
            subscription.Modified = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
        }
        return missing;
    }

    /// <summary>Stops consuming; the consumer closes the subscription's stream run when it lets go.</summary>
    public async Task StopAsync(StreamSubscription subscription, CancellationToken cancellationToken)
    {
        subscription.Enabled = false;
        subscription.State = StreamState.Stopped;
        subscription.StateMessage = null;
        subscription.Modified = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Deletes the subscription with its dead letters, its hidden query and the query's stream runs.</summary>
    public async Task DeleteAsync(StreamSubscription subscription, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.StreamDeadLetters.Where(l => l.StreamSubscriptionId == subscription.Id).ExecuteDeleteAsync(cancellationToken);
        await db.StreamSubscriptions.Where(s => s.Id == subscription.Id).ExecuteDeleteAsync(cancellationToken);
        await db.BrokerQueries.Where(q => q.Id == subscription.BrokerQueryId && q.IsStream).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static void MarkStarted(StreamSubscription subscription, IReadOnlyList<string> missing)
    {
        subscription.Enabled = true;
        subscription.State = missing.Count > 0 ? StreamState.Failing : StreamState.Starting;
        subscription.StateMessage = missing.Count > 0 ? MissingMessage(subscription.Source, missing) : null;
    }

    /// <summary>"It cannot be consumed yet: it needs …" in a user's words.</summary>
    public static string MissingMessage(StreamSource source, IReadOnlyList<string> missing) =>
        $"It cannot be consumed yet: the {source} source needs {string.Join("; ", missing)}.";

    /// <summary>Kafka's topic-name rules: 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-', and neither "." nor "..".</summary>
    public static string? CheckTopic(string topic) =>
        topic.Length > 249 ? $"\"{topic[..40]}…\" is longer than Kafka allows (249 characters)."
        : topic is "." or ".." ? $"\"{topic}\" is not a topic name Kafka allows."
        : topic.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-') ? null
        : $"\"{topic}\" is not a Kafka topic name: use only letters, digits, '.', '_' and '-'.";

    private static List<string> ReadTopics(IReadOnlyList<string>? input, Action<string, string> add)
    {
        var topics = (input ?? []).SelectMany(t => (t ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        if (topics.Count == 0)
        {
            add("topics", "Name at least one topic, one per line.");
        }
        else if (topics.Count > MaxTopics)
        {
            add("topics", $"A subscription has at most {MaxTopics} topics.");
        }
        foreach (var topic in topics)
        {
            if (CheckTopic(topic) is { } problem)
            {
                add("topics", problem);
            }
        }
        return topics;
    }

    /// <summary>The filter cleaned by the broker's form, checked for what one message can be filtered on; null when no field is filled in.</summary>
    private static async Task<JsonObject?> ReadFilterAsync(IBroker broker, IReadOnlyDictionary<string, string?>? filter, Action<string, string> add,
        CancellationToken cancellationToken)
    {
        var given = (filter ?? new Dictionary<string, string?>()).Where(f => !string.IsNullOrWhiteSpace(f.Value)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        if (given.Count == 0)
        {
            return null;
        }
        var form = await broker.GetFormAsync(cancellationToken);
        var unknown = given.Keys.Where(k => form.Field(k) is null).ToList();
        foreach (var key in unknown)
        {
            add($"filter.{key}", $"The {broker.Name} form has no field named {key}.");
        }
        if (unknown.Count > 0)
        {
            return null;
        }
        var result = form.CleanFields(given);
        foreach (var (field, messages) in result.Errors.ToDictionary())
        {
            foreach (var message in messages)
            {
                add(field == FormErrors.FormWide ? "filter" : $"filter.{field}", message);
            }
        }
        if (!result.IsValid)
        {
            return null;
        }
        if (broker is not IFiltersAlerts filtering)
        {
            add("filter", $"{broker.Name} alerts cannot be filtered one message at a time here; leave the filter empty to keep every message.");
            return null;
        }
        foreach (var (field, message) in filtering.CheckFilter(result.Parameters))
        {
            add($"filter.{field}", message);
        }
        return result.Parameters;
    }

    /// <param name="secretSaved">An edited subscription has a webhook secret already: a blank one keeps it.</param>
    private void ReadNotifications(StreamInput input, bool secretSaved, Action<string, string> add)
    {
        if (input.NotifyEmail && !schedules.FieldsFor(null).EmailAvailable)
        {
            add("notifyEmail", "Email is not set up on this TomAlerts (no SMTP server is configured), so it cannot send you alerts.");
        }
        var url = Blank(input.WebhookUrl);
        var secret = input.WebhookSecret ?? "";
        if (url is not null)
        {
            if (url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            {
                add("webhookUrl", "Enter a web address that starts with http:// or https://.");
            }
            if (secret.Length == 0 && !secretSaved)
            {
                add("webhookSecret", $"Enter a shared secret of at least {ScheduleFields.MinimumSecretLength} characters; each delivery is signed with it.");
            }
        }
        if (secret.Length > 0 && (secret.Length < ScheduleFields.MinimumSecretLength || secret.Length > 200))
        {
            add("webhookSecret", $"The secret must have between {ScheduleFields.MinimumSecretLength} and 200 characters.");
        }
    }

    private static StreamCredentials? ReadOwnCredentials(StreamCredentials? input, Action<string, string> add)
    {
        if (input is null)
        {
            return null;
        }
        var own = new StreamCredentials(Blank(input.Username), Secret(input.Password), Blank(input.ClientId), Secret(input.ClientSecret));
        foreach (var (field, value) in new[] { ("username", own.Username), ("password", own.Password), ("clientId", own.ClientId), ("clientSecret", own.ClientSecret) })
        {
            if (value is { Length: > 1000 })
            {
                add($"credentials.{field}", "At most 1,000 characters.");
            }
        }
        if ((own.Username is null) != (own.Password is null))
        {
            add(own.Username is null ? "credentials.username" : "credentials.password", "Give the user name and the password together, or neither.");
        }
        if ((own.ClientId is null) != (own.ClientSecret is null))
        {
            add(own.ClientId is null ? "credentials.clientId" : "credentials.clientSecret", "Give the client id and the client secret together, or neither.");
        }
        return own is { Username: null, Password: null, ClientId: null, ClientSecret: null } ? null : own;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A secret as typed (spaces may belong to it); null when blank.</summary>
    private static string? Secret(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
