using System.Globalization;
using System.Net;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Web.Features.Notifications;

/// <summary>Emails a digest of a run's new alerts to the query's owner through the configured SMTP server (MailKit).</summary>
public sealed class EmailDigestSender(IOptions<SmtpOptions> options, ILogger<EmailDigestSender> logger)
{
    public bool IsConfigured => options.Value.IsConfigured;

    /// <summary>What happened, in a sentence for the run's feedback. Never throws for a failed delivery.</summary>
    public async Task<string> SendAsync(string to, AlertDigest digest, CancellationToken cancellationToken)
    {
        var smtp = options.Value;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From!));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = $"TomAlerts: {digest.NewAlertCount} new alert{(digest.NewAlertCount == 1 ? "" : "s")} from \"{digest.Query.Name}\"";
        message.Body = new BodyBuilder { TextBody = Text(digest), HtmlBody = Html(digest) }.ToMessageBody();
        // MailKit's Timeout bounds each read and write; the linked token bounds the whole conversation, so a server
        // that answers a byte at a time cannot hold the follow-up for longer than Smtp:Timeout.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(smtp.Timeout);
        try
        {
            using var client = new SmtpClient();
            client.Timeout = (int)Math.Min(30_000, smtp.Timeout.TotalMilliseconds);
            var security = !smtp.UseTls ? SecureSocketOptions.None : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
            await client.ConnectAsync(smtp.Host!, smtp.Port, security, bounded.Token);
            if (!string.IsNullOrEmpty(smtp.User))
            {
                await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", bounded.Token);
            }
            await client.SendAsync(message, bounded.Token);
            await client.DisconnectAsync(true, bounded.Token);
            logger.LogInformation("Emailed the new alerts of run {RunId}", digest.Run.Id);
            return $"Email: sent {Plural.Count(digest.NewAlertCount, "new alert")} to the query's owner.";
        }
        catch (Exception e) when (e is MailKit.ServiceNotConnectedException or MailKit.ServiceNotAuthenticatedException or MailKit.ProtocolException
                                       or MailKit.CommandException or AuthenticationException or IOException or System.Net.Sockets.SocketException
                                       or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Emailing the new alerts of run {RunId} failed: {Reason}", digest.Run.Id, e.Message);
            return $"Email: the new alerts could not be sent ({e.GetType().Name}).";
        }
    }

    private static string Text(AlertDigest digest)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Plural.Count(digest.NewAlertCount, "new alert")} from the {digest.Query.Broker} query \"{digest.Query.Name}\" (run {digest.Run.Id}).");
        if (digest.Run.Url is { } url)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"See them all: {url}");
        }
        text.AppendLine();
        foreach (var alert in digest.NewAlerts)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{alert.Name}  RA {Number(alert.Ra, "0.00000")}  Dec {Number(alert.Dec, "0.00000")}  mag {Number(alert.Mag, "0.00")}  {alert.Classification}  {alert.Url}");
        }
        if (digest.Truncated)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"… and {digest.NewAlertCount - digest.NewAlerts.Count} more.");
        }
        return text.ToString();
    }

    private static string Html(AlertDigest digest)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p>{Plural.Count(digest.NewAlertCount, "new alert")} from the {E(digest.Query.Broker)} query <strong>{E(digest.Query.Name)}</strong> (run {digest.Run.Id}).");
        if (digest.Run.Url is { } url)
        {
            html.Append(CultureInfo.InvariantCulture, $" <a href=\"{E(url)}\">See them all</a>.");
        }
        html.Append("</p><table cellpadding=\"4\"><tr><th align=\"left\">Name</th><th>RA</th><th>Dec</th><th>Mag</th><th align=\"left\">Classification</th></tr>");
        foreach (var alert in digest.NewAlerts)
        {
            var name = alert.Url is { } link && Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? $"<a href=\"{E(link)}\">{E(alert.Name)}</a>" : E(alert.Name);
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{name}</td><td>{Number(alert.Ra, "0.00000")}</td><td>{Number(alert.Dec, "0.00000")}</td><td>{Number(alert.Mag, "0.00")}</td><td>{E(alert.Classification)}</td></tr>");
        }
        html.Append("</table>");
        if (digest.Truncated)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>… and {digest.NewAlertCount - digest.NewAlerts.Count} more.</p>");
        }
        return html.ToString();
    }

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "—";
}
