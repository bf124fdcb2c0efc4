using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Brokers.Resilience;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Queries;
using TomAlerts.Web.Features.TargetLists;
using TomAlerts.Web.Features.Targets;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Home;

public sealed record NewAlertsRun(long RunId, int QueryId, string QueryName, string Broker, DateTime At, int NewAlerts);

/// <summary>A broker in one line: its circuit and its last call.</summary>
public sealed record BrokerLine(string Name, bool IsStub, BrokerCircuit Circuit, DateTime? LastCallAt, bool? LastCallSucceeded, string? LastError);

public sealed record DashboardViewModel(DateTime? Since, IReadOnlyList<NewAlertsRun> NewAlerts, IReadOnlyList<Target> RecentTargets,
    IReadOnlyList<TargetListSummary> Lists, IReadOnlyList<BrokerLine> Brokers);

/// <summary>
/// The home page: what scheduled runs of the queries the user sees found since their last visit, the newest targets
/// they see, their lists and the brokers' health — a few indexed reads (one per broker for its last call).
/// </summary>
public sealed class Dashboard(AppDbContext db, TargetAccess access, SavedTargetLists lists, BrokerRegistry brokers, BrokerCircuits circuits, TimeProvider clock)
{
    private const int Shown = 10;

    /// <summary>Reads the dashboard and records this visit; a first visit looks back a week.</summary>
    public async Task<DashboardViewModel> VisitAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var userId = user.UserId();
        var visit = userId is null ? null : await db.LastVisits.FirstOrDefaultAsync(v => v.UserId == userId, cancellationToken);
        var since = visit?.At;
        var from = since ?? now.AddDays(-7);

        var queries = SavedQueries.VisibleTo(db.BrokerQueries, user);
        var runs = await db.QueryRuns.AsNoTracking()
            .Where(r => r.Scheduled && r.NewAlertCount > 0 && r.Created > from && queries.Any(q => q.Id == r.BrokerQueryId))
            .OrderByDescending(r => r.Created).ThenByDescending(r => r.Id)
            .Take(Shown * 2)
            .Select(r => new NewAlertsRun(r.Id, r.BrokerQueryId, r.Query!.Name, r.Query.Broker, r.Finished ?? r.Created, r.NewAlertCount))
            .ToListAsync(cancellationToken);

        var recent = await access.Visible(user).AsNoTracking().OrderByDescending(t => t.Created).ThenByDescending(t => t.Id).Take(Shown).ToListAsync(cancellationToken);
        var mine = (await lists.SummariesAsync(user, cancellationToken)).Where(s => s.List.OwnerId == userId).ToList();

        var lines = new List<BrokerLine>();
        foreach (var registration in brokers.Registrations)
        {
            var name = registration.Name;
            var last = registration.IsStub ? null : await db.BrokerCalls.AsNoTracking().Where(c => c.Broker == name)
                .OrderByDescending(c => c.At).Select(c => new { c.At, c.Succeeded, c.Error }).FirstOrDefaultAsync(cancellationToken);
            lines.Add(new BrokerLine(name, registration.IsStub, circuits[name], last?.At, last?.Succeeded, last?.Error));
        }

        if (userId is not null)
        {
            if (visit is null)
            {
                db.LastVisits.Add(new LastVisit { UserId = userId, At = now });
            }
            else
            {
                visit.At = now;
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        return new DashboardViewModel(since, runs, recent, mine, lines);
    }
}
