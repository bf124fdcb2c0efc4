using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Runs;

namespace TomAlerts.Web.Features.Targets;

/// <summary>After a run, creates or matches a target for each new alert when the query asks for it, a page of rows at a time.</summary>
public sealed class NewAlertTargets(AppDbContext db, BrokerRegistry brokers, TargetCreator creator, ILogger<NewAlertTargets> logger) : IRunCompletionHook
{
    private const int TargetPage = 100;

    public async Task<string?> AfterRunAsync(QueryRun run, AlertWindow window, CancellationToken cancellationToken)
    {
        var query = run.Query!;
        if (!query.AutoCreateTargets || (window.IsWholeRun && run.NewAlertCount == 0))
        {
            return null;
        }
        if (!brokers.TryGet(query.Broker, out var broker))
        {
            return $"Targets: no broker named {query.Broker} is configured, so none were created.";
        }
        var (created, matched, failed) = (0, 0, 0);
        long after = 0;
        while (true)
        {
            var page = await db.RunAlerts.AsNoTracking()
                .Where(a => a.QueryRunId == run.Id && a.IsNew && a.Id > after && a.Position >= window.From && (window.To == null || a.Position <= window.To))
                .OrderBy(a => a.Id).Take(TargetPage).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }
            foreach (var outcome in await creator.CreateManyAsync(broker, page, run.Id, run.UserId ?? query.OwnerId, cancellationToken))
            {
                switch (outcome.Outcome)
                {
                    case AlertOutcomeKind.Created:
                        created++;
                        break;
                    case AlertOutcomeKind.Matched:
                        matched++;
                        break;
                    default:
                        failed++;
                        break;
                }
            }
            after = page[^1].Id;
        }
        logger.LogInformation("Run {RunId}: {Created} targets created, {Matched} matched, {Failed} failed for new alerts", run.Id, created, matched, failed);
        return $"Targets for new alerts: {created} created, {matched} matched existing targets" + (failed > 0 ? $", {failed} failed." : ".");
    }
}
