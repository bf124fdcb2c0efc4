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
            .ValidateOnStart();
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection("Notifications"))
            .Validate(o => o.DigestLimit > 0, "Notifications:DigestLimit must be positive.")
            .ValidateOnStart();
        services.AddHttpClient(WebhookDigestSender.ClientName, http =>
            {
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
                http.DefaultRequestHeaders.UserAgent.ParseAdd("TomAlerts-Webhook/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                ConnectCallback = WebhookAddresses.ConnectCallback(services.GetRequiredService<IOptions<NotificationOptions>>().Value.Webhook),
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
