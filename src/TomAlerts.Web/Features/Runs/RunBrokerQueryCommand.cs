using TomAlerts.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.Runs;

/// <summary>
/// TOM's runbrokerquery, working: runs a saved query by name, then creates or matches a target for every alert,
/// printing one line per alert and a summary. Exits non-zero when the run failed.
/// </summary>
public sealed class RunBrokerQueryCommand(IServiceScopeFactory scopes)
{
    public async Task<int> RunAsync(string queryName, TextWriter output)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var matches = await db.BrokerQueries.Where(q => q.Name == queryName && !q.IsStream).OrderBy(q => q.Id).ToListAsync();
        if (matches.Count == 0)
        {
            await output.WriteLineAsync($"runbrokerquery: no saved query is named '{queryName}'.");
            return 2;
        }
        var query = matches[0];
        var runId = await services.GetRequiredService<RunStarter>().RunHereAsync(query, null, scheduled: false, CancellationToken.None);
        // No background worker runs with a command: its follow-ups (digests, targets for new alerts) are delivered here.
        await services.GetRequiredService<RunFollowUpDelivery>().DeliverRunAsync(runId, CancellationToken.None);

        db.ChangeTracker.Clear();
        var run = await db.QueryRuns.AsNoTracking().FirstAsync(r => r.Id == runId);
        if (run.Feedback is not null)
        {
            await output.WriteLineAsync($"{query.Broker} says: {run.Feedback}");
        }
        if (run.Status != RunStatus.Succeeded)
        {
            await output.WriteLineAsync($"Run {run.Id} {run.Status.ToString().ToLowerInvariant()}: {run.Error}");
            return 1;
        }

        var broker = services.GetRequiredService<BrokerRegistry>().GetServiceClass(query.Broker);
        var creator = services.GetRequiredService<TargetCreator>();
        var counts = new Dictionary<AlertOutcomeKind, int>();
        var lastPosition = -1;
        while (true)
        {
            var page = await db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == run.Id && a.Position > lastPosition)
                .OrderBy(a => a.Position).Take(200).ToListAsync();
            if (page.Count == 0)
            {
                break;
            }
            var outcomes = await creator.CreateManyAsync(broker, page, run.Id, null, CancellationToken.None);
            foreach (var (alert, outcome) in page.Zip(outcomes))
            {
                counts[outcome.Outcome] = counts.GetValueOrDefault(outcome.Outcome) + 1;
                var detail = outcome.Outcome == AlertOutcomeKind.Failed ? outcome.Message : $"target {outcome.TargetName} (id {outcome.TargetId})";
                await output.WriteLineAsync($"{outcome.Outcome.ToString().ToLowerInvariant()}: {alert.Name}: {detail}{(outcome.Warning is null ? "" : " — " + outcome.Warning)}");
            }
            lastPosition = page[^1].Position;
        }
        await output.WriteLineAsync($"Run {run.Id}: {Plural.Count(run.AlertCount, "alert")}; {counts.GetValueOrDefault(AlertOutcomeKind.Created)} created, "
            + $"{counts.GetValueOrDefault(AlertOutcomeKind.Matched)} matched, {counts.GetValueOrDefault(AlertOutcomeKind.Failed)} failed.");
        return 0;
    }
}
