using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.Notifications;

/// <summary>
/// What follows a successful run with new alerts, in one place: targets for the new alerts (when the query asks for
/// them) and one digest per run by email and/or webhook. Nothing happens when nothing is new. Whatever fails here is
/// logged and noted on the run's feedback, and never turns a succeeded run into a failed one.
/// </summary>
public sealed class RunFollowUp(AppDbContext db, BrokerRegistry brokers, TargetCreator creator, EmailDigestSender email,
    WebhookDigestSender webhook, IOptions<NotificationOptions> options, ILogger<RunFollowUp> logger)
{
    private const int TargetPage = 100;

    public async Task AfterRunAsync(long runId, CancellationToken cancellationToken)
    {
        var run = await db.QueryRuns.AsNoTracking().Include(r => r.Query).FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run?.Query is not { } query || run.Status != RunStatus.Succeeded || run.NewAlertCount == 0)
        {
            return;
        }
        var notes = new List<string>();
        try
        {
            if (query.AutoCreateTargets)
            {
                notes.Add(await CreateTargetsAsync(run, query, cancellationToken));
            }
            var wantsEmail = query.NotifyEmail && email.IsConfigured;
            var wantsWebhook = !string.IsNullOrEmpty(query.WebhookUrl) && !string.IsNullOrEmpty(query.WebhookSecret);
            if (wantsEmail || wantsWebhook)
            {
                var digest = await DigestAsync(run, query, cancellationToken);
                if (wantsEmail)
                {
                    var to = query.OwnerId is null ? null
                        : await db.Users.AsNoTracking().Where(u => u.Id == query.OwnerId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
                    notes.Add(to is null ? "Email: the query has no owner with an email address." : await email.SendAsync(to, digest, cancellationToken));
                }
                if (wantsWebhook)
                {
                    notes.Add(await webhook.SendAsync(query.WebhookUrl!, query.WebhookSecret!, digest, cancellationToken));
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Follow-up of run {RunId} failed", runId);
            notes.Add($"Follow-up after the run stopped early ({e.GetType().Name}).");
        }
        if (notes.Count > 0)
        {
            var feedback = string.Join("\n", new[] { run.Feedback }.Concat(notes).Where(n => !string.IsNullOrEmpty(n)));
            await db.QueryRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Feedback, feedback), CancellationToken.None);
        }
    }

    /// <summary>Creates or matches a target for each new alert, a page of rows at a time.</summary>
    private async Task<string> CreateTargetsAsync(QueryRun run, BrokerQuery query, CancellationToken cancellationToken)
    {
        if (!brokers.TryGet(query.Broker, out var broker))
        {
            return $"Targets: no broker named {query.Broker} is configured, so none were created.";
        }
        var (created, matched, failed) = (0, 0, 0);
        long after = 0;
        while (true)
        {
            var page = await db.RunAlerts.AsNoTracking()
                .Where(a => a.QueryRunId == run.Id && a.IsNew && a.Id > after)
                .OrderBy(a => a.Id).Take(TargetPage).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }
            foreach (var alert in page)
            {
                var outcome = await creator.CreateAsync(broker, alert, run.Id, run.UserId ?? query.OwnerId, cancellationToken);
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

    private async Task<AlertDigest> DigestAsync(QueryRun run, BrokerQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Max(1, options.Value.DigestLimit);
        var alerts = await db.RunAlerts.AsNoTracking()
            .Where(a => a.QueryRunId == run.Id && a.IsNew)
            .OrderBy(a => a.Position).Take(limit)
            .Select(a => new DigestAlert(a.AlertId, a.Name, a.Ra, a.Dec, a.Mag, a.Score, a.Timestamp, a.Url, a.Classification))
            .ToListAsync(cancellationToken);
        var url = options.Value.PublicUrl is { Length: > 0 } site ? $"{site.TrimEnd('/')}/alerts/run/{run.Id}/?new=1" : null;
        return new AlertDigest(new DigestQuery(query.Id, query.Name, query.Broker), new DigestRun(run.Id, run.Finished, run.Scheduled, url),
            run.NewAlertCount, run.NewAlertCount > alerts.Count, alerts);
    }
}
