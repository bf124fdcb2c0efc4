using Microsoft.EntityFrameworkCore;
using Quartz;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Runs;

namespace TomAlerts.Web.Features.Schedules;

/// <summary>
/// One firing of a query's schedule: a <see cref="QueryRun"/> marked scheduled, executed right here (<see cref="RunStarter.RunHereAsync"/>)
/// through the same executor as a run started by a person. Executing on the node that fired (rather than queueing) is
/// what makes a clustered schedule run once across every app instance.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ScheduledRunJob(IServiceScopeFactory scopes, ILogger<ScheduledRunJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        if (QuerySchedules.QueryIdOf(context.JobDetail.Key) is not { } queryId)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var query = await db.BrokerQueries.AsNoTracking().FirstOrDefaultAsync(q => q.Id == queryId, cancellationToken);
        if (query is null || !query.IsScheduled)
        {
            // The trigger outlived its query or its schedule: let it go.
            await scope.ServiceProvider.GetRequiredService<QuerySchedules>().RemoveAsync(queryId, cancellationToken);
            return;
        }
        if (query.SchedulePaused)
        {
            return; // paused between this firing's acquisition and now
        }
        var runId = await scope.ServiceProvider.GetRequiredService<RunStarter>().RunHereAsync(query, query.OwnerId, scheduled: true, cancellationToken);
        logger.LogInformation("Schedule of query {QueryId} ran as run {RunId}", queryId, runId);
    }
}
