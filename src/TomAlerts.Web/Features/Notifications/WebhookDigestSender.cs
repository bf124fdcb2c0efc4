using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Polly.Timeout;
using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Web.Features.Notifications;

/// <summary>
/// POSTs a digest as JSON to a query's webhook, signed with the query's shared secret:
/// <c>X-TomAlerts-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>. Retries and backoff live in the named
/// client's resilience handler. Only the address's host is ever logged: paths and queries can carry tokens.
/// Only the receiver's status counts: the call returns as soon as the status and headers are in (each attempt within
/// Notifications:Webhook:AttemptTimeout, all of them within TotalTimeout), and the body is never read, so a receiver
/// that trickles or streams an endless answer holds neither time nor memory. Delivery is at least once: the digest
/// carries the run id (also in <c>X-TomAlerts-Delivery</c>), by which a receiver drops a digest it has seen.
/// </summary>
public sealed class WebhookDigestSender(IHttpClientFactory clients, ILogger<WebhookDigestSender> logger)
{
    public const string ClientName = "webhooks";
    public const string SignatureHeader = "X-TomAlerts-Signature";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What happened, in a sentence for the run's feedback. Never throws for a failed delivery.</summary>
    public async Task<string> SendAsync(string url, string secret, AlertDigest digest, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(digest, Json);
        var host = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Authority : "the webhook";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(secret, body));
        request.Headers.TryAddWithoutValidation("X-TomAlerts-Event", "new-alerts");
        request.Headers.TryAddWithoutValidation("X-TomAlerts-Delivery", digest.Run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            // ResponseHeadersRead: the body is left unread and dropped with the response.
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                logger.LogInformation("Webhook digest of run {RunId} delivered to {Host}", digest.Run.Id, host);
                return $"Webhook: sent {Plural.Count(digest.NewAlerts.Count, "new alert")} to {host}.";
            }
            logger.LogWarning("Webhook digest of run {RunId} refused by {Host}: HTTP {Status}", digest.Run.Id, host, (int)response.StatusCode);
            return $"Webhook: {host} answered HTTP {(int)response.StatusCode}; the new alerts were not delivered.";
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookAddressRefusedException || e is WebhookAddressRefusedException)
        {
            var reason = (e as WebhookAddressRefusedException ?? (WebhookAddressRefusedException)e.InnerException!).Message;
            logger.LogWarning("Webhook digest of run {RunId} not sent: {Reason}", digest.Run.Id, reason);
            return $"Webhook: {reason} The new alerts were not delivered.";
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Webhook digest of run {RunId} to {Host} failed: {Reason}", digest.Run.Id, host, e.GetType().Name);
            return $"Webhook: {host} could not be reached after retries ({e.GetType().Name}); the new alerts were not delivered.";
        }
    }

    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
