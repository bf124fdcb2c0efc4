using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>A decision as pages and the API show it: who (their e-mail) and when.</summary>
public sealed record DecisionView(TriageVerdict Verdict, string? DecidedBy, DateTime DecidedAt)
{
    public string Name => TriageDecisions.Name(Verdict);
}

/// <summary>
/// Triage decisions on broker objects (ADR-008): one per broker and alert id, shared by everyone who sees a run listing
/// the object and kept when a later run lists it again; clearing one removes it. Every run row of the object carries
/// the decision in force (<see cref="RunAlert.Decision"/>) for the results page's filters and sort.
/// </summary>
public sealed class TriageDecisions(AppDbContext db, TimeProvider clock)
{
    public static string Name(TriageVerdict verdict) => verdict == TriageVerdict.Interesting ? "interesting" : "rejected";

    /// <summary>What a run alert keeps of <paramref name="verdict"/> (<see cref="CopyToRunsAsync"/> says the same in SQL).</summary>
    public static RunAlertDecision ForRuns(TriageVerdict? verdict) => verdict switch
    {
        TriageVerdict.Interesting => RunAlertDecision.Interesting,
        TriageVerdict.Rejected => RunAlertDecision.Rejected,
        _ => RunAlertDecision.Undecided,
    };

    /// <summary>Gives each of <paramref name="batch"/> (rows about to be stored for <paramref name="broker"/>) the decision in force on its object; one query.</summary>
    public static async Task MarkAsync(AppDbContext db, string broker, IReadOnlyCollection<RunAlert> batch, CancellationToken cancellationToken)
    {
        var ids = batch.Select(a => a.AlertId).Distinct(StringComparer.Ordinal).ToList();
        var verdicts = await db.TriageDecisions.AsNoTracking().Where(d => d.Broker == broker && EF.Parameter(ids).Contains(d.AlertId))
            .ToDictionaryAsync(d => d.AlertId, d => d.Verdict, StringComparer.Ordinal, cancellationToken);
        foreach (var alert in batch)
        {
            alert.Decision = ForRuns(verdicts.TryGetValue(alert.AlertId, out var verdict) ? verdict : null);
        }
    }

    /// <summary>
    /// Copies the decisions in force onto <paramref name="rows"/> that belong to runs of <paramref name="broker"/>, read
    /// from the decision table in the same statement, so two people deciding at once leave the rows with the decision
    /// that won.
    /// </summary>
    public static Task<int> CopyToRunsAsync(AppDbContext db, string broker, IQueryable<RunAlert> rows, CancellationToken cancellationToken) =>
        rows.Where(a => db.QueryRuns.Any(r => r.Id == a.QueryRunId && r.Query!.Broker == broker))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Decision, a => db.TriageDecisions
                .Where(d => d.Broker == broker && d.AlertId == a.AlertId)
                .Select(d => (RunAlertDecision?)(d.Verdict == TriageVerdict.Interesting ? RunAlertDecision.Interesting : RunAlertDecision.Rejected))
                .FirstOrDefault() ?? RunAlertDecision.Undecided), cancellationToken);

    /// <summary>"interesting" or "rejected"; null (clear) for null or empty; false for anything else.</summary>
    public static bool TryParse(string? text, out TriageVerdict? verdict)
    {
        verdict = null;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "none":
                return true;
            case "interesting":
                verdict = TriageVerdict.Interesting;
                return true;
            case "rejected":
                verdict = TriageVerdict.Rejected;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The decisions on <paramref name="alertIds"/> of <paramref name="broker"/>, by alert id; one query.</summary>
    public async Task<IReadOnlyDictionary<string, DecisionView>> ForAsync(string broker, IReadOnlyCollection<string> alertIds, CancellationToken cancellationToken)
    {
        if (alertIds.Count == 0)
        {
            return new Dictionary<string, DecisionView>();
        }
        var ids = alertIds.Distinct(StringComparer.Ordinal).ToList();
        var rows = await (from d in db.TriageDecisions.AsNoTracking()
                          where d.Broker == broker && EF.Parameter(ids).Contains(d.AlertId)
                          join u in db.Users on d.DecidedBy equals u.Id into users
                          from u in users.DefaultIfEmpty()
                          select new { d.AlertId, d.Verdict, By = u == null ? null : u.Email ?? u.UserName, d.DecidedAt })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.AlertId, r => new DecisionView(r.Verdict, r.By, r.DecidedAt), StringComparer.Ordinal);
    }

    /// <summary>Records <paramref name="verdict"/> on the object (null clears it); the decision now in force.</summary>
    public async Task<DecisionView?> DecideAsync(string broker, string alertId, TriageVerdict? verdict, string? userId, CancellationToken cancellationToken)
    {
        var existing = db.TriageDecisions.Where(d => d.Broker == broker && d.AlertId == alertId);
        if (verdict is { } v)
        {
            await RecordAsync(existing, broker, alertId, v, userId, cancellationToken);
        }
        else
        {
            await existing.ExecuteDeleteAsync(cancellationToken);
        }
        await CopyToRunsAsync(db, broker, db.RunAlerts.Where(a => a.AlertId == alertId), cancellationToken);
        return verdict is null ? null : (await ForAsync(broker, [alertId], cancellationToken)).GetValueOrDefault(alertId);
    }

    private async Task RecordAsync(IQueryable<TriageDecision> existing, string broker, string alertId, TriageVerdict v, string? userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (await existing.ExecuteUpdateAsync(s => s.SetProperty(d => d.Verdict, v).SetProperty(d => d.DecidedBy, userId).SetProperty(d => d.DecidedAt, now),
                cancellationToken) > 0)
        {
            return;
        }
        db.TriageDecisions.Add(new TriageDecision { Broker = broker, AlertId = alertId, Verdict = v, DecidedBy = userId, DecidedAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Someone decided on the same object at the same moment: the later decision wins.
            db.ChangeTracker.Clear();
            await existing.ExecuteUpdateAsync(s => s.SetProperty(d => d.Verdict, v).SetProperty(d => d.DecidedBy, userId).SetProperty(d => d.DecidedAt, now),
                cancellationToken);
        }
        db.ChangeTracker.Clear();
    }
}
