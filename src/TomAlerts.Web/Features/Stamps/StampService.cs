using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Queries;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Stamps;

/// <summary>The run alert a stamp belongs to: its broker, its id, and the payload the run stored.</summary>
public sealed record StampSource(string Broker, string AlertId, string Payload);

/// <summary>
/// Finds the alert a stamp is asked for (in a run the user may see, or a target's source alerts), asks its broker
/// through the cache, and renders what the broker sent. Broker failures come back as results, never exceptions.
/// </summary>
public sealed class StampService(AppDbContext db, SavedQueries savedQueries, TomAlerts.Web.Features.Targets.TargetAccess access, BrokerRegistry brokers, StampCache cache, StampRenderer renderer,
    ILogger<StampService> logger)
{
    public static bool TryParseKind(string? text, out StampKind kind)
    {
        // "reference" is what the page calls the template; both names are accepted.
        if (string.Equals(text, "reference", StringComparison.OrdinalIgnoreCase))
        {
            kind = StampKind.Template;
            return true;
        }
        kind = default;
        return text is not null && text.All(char.IsAsciiLetter) && Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind);
    }

    /// <summary>Whether the broker named <paramref name="broker"/> serves stamps at all.</summary>
    public bool Serves(string broker) =>
        brokers.Registrations.Any(r => string.Equals(r.Name, broker, StringComparison.OrdinalIgnoreCase) && r.Can<IServesStamps>());

    /// <summary>The alert <paramref name="alertId"/> of run <paramref name="runId"/>, when the run is visible to <paramref name="user"/>.</summary>
    public async Task<StampSource?> FindInRunAsync(long runId, string alertId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await savedQueries.FindVisibleRunAsync(runId, user, cancellationToken) is not { Query: { } query })
        {
            return null;
        }
        var payload = await db.RunAlerts.AsNoTracking()
            .Where(a => a.QueryRunId == runId && a.AlertId == alertId)
            .Select(a => a.Payload)
            .FirstOrDefaultAsync(cancellationToken);
        return payload is null ? null : new StampSource(query.Broker, alertId, payload);
    }

    /// <summary>
    /// The alert a target's stamps come from: the newest source alert of the target (its provenance) from a broker that
    /// serves stamps, else the newest run alert whose id is one of the target's names; only runs the user may see.
    /// </summary>
    public async Task<StampSource?> FindForTargetAsync(int targetId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await access.FindVisibleAsync(targetId, user, cancellationToken) is null)
        {
            return null;
        }
        var serving = brokers.Registrations.Where(r => r.Can<IServesStamps>()).Select(r => r.Name).ToList();
        var provenance = await db.TargetProvenance.AsNoTracking()
            .Where(p => p.TargetId == targetId && p.QueryRunId != null && serving.Contains(p.Broker))
            .OrderByDescending(p => p.At)
            .Select(p => new { p.QueryRunId, p.AlertId })
            .Take(20)
            .ToListAsync(cancellationToken);
        foreach (var source in provenance)
        {
            if (await FindInRunAsync(source.QueryRunId!.Value, source.AlertId, user, cancellationToken) is { } found && Serves(found.Broker))
            {
                return found;
            }
        }
        var names = await db.Targets.AsNoTracking().Where(t => t.Id == targetId).Select(t => t.Name)
            .Concat(db.TargetNames.AsNoTracking().Where(n => n.TargetId == targetId).Select(n => n.Name))
            .ToListAsync(cancellationToken);
        if (names.Count == 0)
        {
            return null;
        }
        var candidates = await (from alert in db.RunAlerts.AsNoTracking()
                                join run in db.QueryRuns.AsNoTracking() on alert.QueryRunId equals run.Id
                                join query in db.BrokerQueries.AsNoTracking() on run.BrokerQueryId equals query.Id
                                where names.Contains(alert.AlertId) && serving.Contains(query.Broker)
                                orderby alert.Id descending
                                select new { query.Broker, alert.AlertId, alert.Payload, query.OwnerId, query.Visibility })
            .Take(20)
            .ToListAsync(cancellationToken);
        var userId = user.UserId();
        var admin = user.IsAdmin();
        return candidates
            .Where(c => admin || c.Visibility == QueryVisibility.Shared || (userId is not null && c.OwnerId == userId))
            .Select(c => new StampSource(c.Broker, c.AlertId, c.Payload))
            .FirstOrDefault();
    }

    /// <summary>The PNG of <paramref name="kind"/> for <paramref name="source"/>, from the cache or its broker.</summary>
    public Task<StampResult> GetAsync(StampSource source, StampKind kind, CancellationToken cancellationToken)
    {
        if (!brokers.TryGet(source.Broker, out var broker) || broker is not IServesStamps stamps)
        {
            return Task.FromResult(StampResult.None);
        }
        return cache.GetOrFetchAsync(broker.Name, source.AlertId, kind.ToString(), () => FetchAsync(broker.Name, stamps, source, kind), cancellationToken);
    }

    private async Task<StampResult> FetchAsync(string name, IServesStamps broker, StampSource source, StampKind kind)
    {
        JsonObject payload;
        try
        {
            payload = JsonNode.Parse(source.Payload) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            payload = [];
        }
        Stamp? stamp;
        try
        {
            // Not the request's token: the fetch is shared by everyone waiting for this stamp. The broker's client has its own timeouts.
            stamp = await broker.FetchStampAsync(source.AlertId, payload, kind, CancellationToken.None);
        }
        catch (BrokerNotConfiguredException e)
        {
            return new StampResult(null, e.Message, StatusCodes.Status503ServiceUnavailable);
        }
        catch (BrokerRateLimitException e)
        {
            return new StampResult(null, $"{name} has had too many requests for now; try the cutouts again later. ({e.Message})", StatusCodes.Status503ServiceUnavailable);
        }
        catch (BrokerException e)
        {
            logger.LogWarning("{Broker} cutout {Kind} of {AlertId} could not be fetched: {Reason}", name, kind, source.AlertId, e.Message);
            return new StampResult(null, e.Message);
        }
        if (stamp is null)
        {
            return StampResult.None;
        }
        try
        {
            return new StampResult(renderer.Render(stamp));
        }
        catch (StampFormatException e)
        {
            logger.LogWarning("{Broker} cutout {Kind} of {AlertId} could not be read: {Reason}", name, kind, source.AlertId, e.Message);
            return new StampResult(null, $"{name} sent a cutout the portal cannot show: {e.Message}");
        }
    }
}
