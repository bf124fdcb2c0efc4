using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using TomAlerts.Web.Features.Runs;

namespace TomAlerts.Web.Features.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>Digests of new alerts after each run: SMTP email (section "Smtp") and signed webhooks (section "Notifications").</summary>
    public static IServiceCollection AddTomAlertsNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection("Smtp"))
            .Validate(o => o.Port is > 0 and < 65536, "Smtp:Port must be a TCP port.")
            .Validate(o => string.IsNullOrWhiteSpace(o.From) || MimeKit.MailboxAddress.TryParse(o.From, out _), "Smtp:From must be an email address.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Smtp:Timeout must be positive.")
            .ValidateOnStart();
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection("Notifications"))
            .Validate(o => o.DigestLimit > 0, "Notifications:DigestLimit must be positive.")
            .ValidateOnStart();
        services.AddHttpClient(WebhookDigestSender.ClientName)
            .ConfigureHttpClient((services, http) =>
            {
                // The resilience pipeline owns the timeouts; this only backs it up, a little after its total.
                http.Timeout = services.GetRequiredService<IOptions<NotificationOptions>>().Value.Webhook.TotalTimeout + TimeSpan.FromSeconds(5);
                http.DefaultRequestHeaders.UserAgent.ParseAdd("TomAlerts-Webhook/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(services =>
            {
                var webhook = services.GetRequiredService<IOptions<NotificationOptions>>().Value.Webhook;
                return new SocketsHttpHandler
                {
                    ConnectCallback = WebhookAddresses.ConnectCallback(webhook),
                    ConnectTimeout = webhook.AttemptTimeout,
                    // A receiver's status line and headers fit in a few KB; an unread body is drained only this far, then the connection is dropped.
                    MaxResponseHeadersLength = 16,
                    MaxResponseDrainSize = 16 * 1024,
                    ResponseDrainTimeout = TimeSpan.FromSeconds(1),
                };
            })
            .AddResilienceHandler("webhook", (pipeline, context) =>
            {
                var webhook = context.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value.Webhook;
                pipeline.AddTimeout(webhook.TotalTimeout);
                if (webhook.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = webhook.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        Delay = webhook.RetryDelay,
                        UseJitter = true,
                    });
                }
                pipeline.AddTimeout(webhook.AttemptTimeout);
            });
        services.AddSingleton<WebhookDigestSender>();
        services.AddSingleton<EmailDigestSender>();
        services.AddScoped<IRunCompletionHook, RunDigests>();
        return services;
    }
}
