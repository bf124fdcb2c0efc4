using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Runs;

namespace TomAlerts.Web.Features.Notifications;

/// <summary>After a run with new alerts, one digest by email and/or webhook, as the query asks; nothing when nothing is new.</summary>
public sealed class RunDigests(AppDbContext db, EmailDigestSender email, WebhookDigestSender webhook, IOptions<NotificationOptions> options) : IRunCompletionHook
{
    public async Task<string?> AfterRunAsync(QueryRun run, AlertWindow window, CancellationToken cancellationToken)
    {
        var query = run.Query!;
        var wantsEmail = query.NotifyEmail && email.IsConfigured;
        var wantsWebhook = !string.IsNullOrEmpty(query.WebhookUrl) && !string.IsNullOrEmpty(query.WebhookSecret);
        if (!(wantsEmail || wantsWebhook))
        {
            return null;
        }
        var newCount = window.IsWholeRun ? run.NewAlertCount : await NewAlerts(run, window).CountAsync(cancellationToken);
        if (newCount == 0)
        {
            return null;
        }
        var digest = await DigestAsync(run, query, window, newCount, cancellationToken);
        var notes = new List<string>();
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
        return string.Join("\n", notes);
    }

    private IQueryable<RunAlert> NewAlerts(QueryRun run, AlertWindow window) =>
        db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == run.Id && a.IsNew && a.Position >= window.From && (window.To == null || a.Position <= window.To));

    private async Task<AlertDigest> DigestAsync(QueryRun run, BrokerQuery query, AlertWindow window, int newCount, CancellationToken cancellationToken)
    {
        var limit = Math.Max(1, options.Value.DigestLimit);
        var alerts = await NewAlerts(run, window)
            .OrderBy(a => a.Position).Take(limit)
            .Select(a => new DigestAlert(a.AlertId, a.Name, a.Ra, a.Dec, a.Mag, a.Score, a.Timestamp, a.Url, a.Classification))
            .ToListAsync(cancellationToken);
        var url = options.Value.PublicUrl is { Length: > 0 } site ? $"{site.TrimEnd('/')}/alerts/run/{run.Id}/?new=1" : null;
        return new AlertDigest(new DigestQuery(query.Id, query.Name, query.Broker), new DigestRun(run.Id, run.Finished, run.Scheduled, url,
                window.IsWholeRun ? null : new DigestWindow(window.From, window.To)),
            newCount, newCount > alerts.Count, alerts);
    }
}
