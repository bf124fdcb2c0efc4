using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Schedules;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Queries;

/// <summary>A query submission checked against its broker's form: either a reason to refuse it, form errors, or the cleaned query.</summary>
public sealed record QuerySubmission(string? Refusal, IReadOnlyList<string> UnknownKeys, FormResult? Result, QueryVisibility Visibility)
{
    public bool IsValid => Refusal is null && UnknownKeys.Count == 0 && Result is { IsValid: true };
}

/// <summary>
/// The rules of saved queries, the same for the pages and the API: who sees a query, who may change it, and how a
/// submission is checked and saved.
/// </summary>
public sealed class SavedQueries(AppDbContext db, QuerySchedules schedules, TimeProvider clock)
{
    /// <summary>The saved queries <paramref name="user"/> sees; never a stream subscription's hidden query (ADR-010).</summary>
    public static IQueryable<BrokerQuery> VisibleTo(IQueryable<BrokerQuery> queries, ClaimsPrincipal user)
    {
        queries = queries.Where(q => !q.IsStream);
        if (user.IsAdmin())
        {
            return queries;
        }
        var userId = user.UserId();
        return queries.Where(q => q.Visibility == QueryVisibility.Shared || q.OwnerId == userId);
    }

    /// <summary>Queries of one broker and whose name contains <paramref name="name"/> (any case); blank filters are ignored.</summary>
    public static IQueryable<BrokerQuery> Filter(IQueryable<BrokerQuery> queries, string? broker, string? name)
    {
        if (!string.IsNullOrWhiteSpace(broker))
        {
            queries = queries.Where(q => q.Broker == broker);
        }
        if (!string.IsNullOrWhiteSpace(name))
        {
            var pattern = SqlLike.Containing(name.Trim().ToLowerInvariant());
            queries = queries.Where(q => EF.Functions.Like(q.Name.ToLower(), pattern, SqlLike.Escape));
        }
        return queries;
    }

    public static bool CanEdit(BrokerQuery query, ClaimsPrincipal user) => user.IsAdmin() || query.OwnerId == user.UserId()
        || (query.OwnerId is null && query.Visibility == QueryVisibility.Shared);

    /// <summary>
    /// Checks a submission (every submitted key with its text, including <c>query_name</c> and <c>visibility</c>) against the
    /// broker's form. A stub broker, a key the form does not have or an unknown visibility refuse it whole.
    /// </summary>
    public static QuerySubmission Check(IBroker broker, BrokerForm form, IReadOnlyDictionary<string, string?> input)
    {
        if (broker.IsStub)
        {
            return new($"The {broker.Name} broker is a stub: its queries cannot be saved.", [], null, default);
        }
        var unknown = QueryFormInput.UnknownKeys(form, input.Keys);
        if (unknown.Count > 0)
        {
            return new($"The {broker.Name} form has no field named {string.Join(", ", unknown)}. Nothing was saved.", unknown, null, default);
        }
        var visibility = QueryFormInput.ParseVisibility(input.GetValueOrDefault(QueryFormInput.VisibilityField));
        if (visibility is null)
        {
            return new("Visibility must be Shared or Private. Nothing was saved.", [], null, default);
        }
        return new(null, [], form.Clean(broker.Name, input), visibility.Value);
    }

    /// <summary>
    /// Saves a valid submission as a new query owned by <paramref name="ownerId"/>, or over <paramref name="existing"/>;
    /// with <paramref name="schedule"/>, its schedule and notifications too, and the schedule is set to fire accordingly.
    /// </summary>
    public async Task<BrokerQuery> SaveAsync(IBroker broker, BrokerQuery? existing, QuerySubmission submission, string? ownerId, ScheduleFields? schedule,
        CancellationToken cancellationToken)
    {
        if (!submission.IsValid)
        {
            throw new InvalidOperationException("Only a valid submission can be saved.");
        }
        var parameters = submission.Result!.Parameters;
        var now = clock.GetUtcNow().UtcDateTime;
        var query = existing ?? db.BrokerQueries.Add(new BrokerQuery
        {
            Name = "", Broker = broker.Name, Parameters = "{}", Created = now, OwnerId = ownerId,
        }).Entity;
        query.Name = parameters.GetString(BrokerForm.QueryNameField)!;
        query.Broker = broker.Name;
        query.Parameters = parameters.ToJsonString();
        query.Visibility = submission.Visibility;
        query.Modified = now;
        schedule?.ApplyTo(query); // schedule and notifications live on the query row, never in its TOM-compatible parameters
        await db.SaveChangesAsync(cancellationToken);
        if (schedule is not null)
        {
            await schedules.SyncAsync(query, cancellationToken);
        }
        return query;
    }

    /// <summary>
    /// A private copy of <paramref name="source"/> owned by <paramref name="ownerId"/>, named "Copy of &lt;name&gt;", with
    /// the same broker and parameters; no schedule, notifications or webhook come along.
    /// </summary>
    public async Task<BrokerQuery> CopyAsync(BrokerQuery source, string? ownerId, CancellationToken cancellationToken)
    {
        var name = CopyName(source.Name);
        var parameters = source.ReadParameters() ?? new JsonObject { [BrokerForm.BrokerField] = source.Broker };
        parameters[BrokerForm.QueryNameField] = name;
        var now = clock.GetUtcNow().UtcDateTime;
        var copy = db.BrokerQueries.Add(new BrokerQuery
        {
            Name = name, Broker = source.Broker, Parameters = parameters.ToJsonString(), Created = now, Modified = now,
            OwnerId = ownerId, Visibility = QueryVisibility.Private,
        }).Entity;
        await db.SaveChangesAsync(cancellationToken);
        return copy;
    }

    /// <summary>"Copy of &lt;name&gt;", cut to the longest name a query may have.</summary>
    public static string CopyName(string name)
    {
        var copy = $"Copy of {name.Trim()}";
        if (copy.Length <= BrokerForm.QueryNameMaxLength)
        {
            return copy;
        }
        var cut = char.IsHighSurrogate(copy[BrokerForm.QueryNameMaxLength - 1]) ? BrokerForm.QueryNameMaxLength - 1 : BrokerForm.QueryNameMaxLength;
        return copy[..cut].TrimEnd();
    }

    /// <summary>Who owns a query, as a page names them: "you", their e-mail, or "no owner" (a query anyone may change).</summary>
    public static string OwnerLabel(string? ownerId, string? ownerEmail, ClaimsPrincipal user) =>
        ownerId is null ? "no owner" : ownerId == user.UserId() ? "you" : ownerEmail ?? "a removed user";

    /// <summary>Deletes a query with its runs, and its schedule.</summary>
    public async Task DeleteAsync(BrokerQuery query, CancellationToken cancellationToken)
    {
        db.BrokerQueries.Remove(query);
        await db.SaveChangesAsync(cancellationToken);
        await schedules.RemoveAsync(query.Id, cancellationToken);
    }

    /// <summary>
    /// The saved query <paramref name="id"/> if <paramref name="user"/> may see it; a stream subscription's hidden query only
    /// with <paramref name="streams"/> (its run history), since it is changed and started on the Streams pages.
    /// </summary>
    public async Task<BrokerQuery?> FindVisibleAsync(int id, ClaimsPrincipal user, CancellationToken cancellationToken, bool streams = false)
    {
        var query = await db.BrokerQueries.FirstOrDefaultAsync(q => q.Id == id && (streams || !q.IsStream), cancellationToken);
        return query is not null && query.IsVisibleTo(user.UserId(), user.IsAdmin()) ? query : null;
    }

    /// <summary>The run <paramref name="id"/>, with its query, if <paramref name="user"/> may see the query.</summary>
    public async Task<QueryRun?> FindVisibleRunAsync(long id, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var run = await db.QueryRuns.AsNoTracking().Include(r => r.Query).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return run?.Query is not null && run.Query.IsVisibleTo(user.UserId(), user.IsAdmin()) ? run : null;
    }
}
