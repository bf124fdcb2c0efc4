using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Web.Features.Runs;

/// <summary>How a run's alerts are listed: a sort column ("time", "name", "mag", "score"; otherwise the broker's order), and new alerts only.</summary>
public sealed record RunAlertOrder(string? Sort = null, bool Descending = false, bool NewOnly = false);

/// <summary>A page of a run's stored alerts, for the results page and the API alike.</summary>
public sealed class RunAlertList(AppDbContext db)
{
    public async Task<(IReadOnlyList<T> Rows, Paging Paging)> PageAsync<T>(long runId, RunAlertOrder order, int page, int pageSize, bool clamp,
        Expression<Func<RunAlert, T>> select, CancellationToken cancellationToken)
    {
        var alerts = db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == runId);
        if (order.NewOnly)
        {
            alerts = alerts.Where(a => a.IsNew);
        }
        var paging = new Paging(page, pageSize, await alerts.CountAsync(cancellationToken));
        paging = clamp ? paging.Clamped() : paging;
        var rows = await Sorted(alerts, order).Skip(paging.Skip).Take(pageSize).Select(select).ToListAsync(cancellationToken);
        return (rows, paging);
    }

    private static IQueryable<RunAlert> Sorted(IQueryable<RunAlert> alerts, RunAlertOrder order) => order.Sort switch
    {
        "time" => By(alerts, a => a.Timestamp, order.Descending),
        "name" => By(alerts, a => a.Name, order.Descending),
        "mag" => By(alerts, a => a.Mag, order.Descending),
        "score" => By(alerts, a => a.Score, order.Descending),
        _ => alerts.OrderBy(a => a.Position),
    };

    /// <summary>Sorted by one column, ties in the broker's order.</summary>
    private static IQueryable<RunAlert> By<TKey>(IQueryable<RunAlert> alerts, Expression<Func<RunAlert, TKey>> key, bool descending) =>
        (descending ? alerts.OrderByDescending(key) : alerts.OrderBy(key)).ThenBy(a => a.Position);
}
