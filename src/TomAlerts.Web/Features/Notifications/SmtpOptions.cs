namespace TomAlerts.Web.Features.Notifications;

/// <summary>The "Smtp" configuration section: the server that sends new-alert emails. Without a host and a sender, email is off.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>TLS: implicit on port 465, STARTTLS on any other port. Turn off only for a local relay.</summary>
    public bool UseTls { get; set; } = true;
    public string? User { get; set; }
    public string? Password { get; set; }
    public string? From { get; set; }
    /// <summary>The most one email may take, connecting and sending included, however slowly the server answers.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From);
}

/// <summary>The "Notifications" configuration section.</summary>
public sealed class NotificationOptions
{
    /// <summary>The portal's public address (e.g. https://tom.example.org), for links in emails; links are left out without it.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>At most this many new alerts go into one digest; the digest says how many there were in all.</summary>
    public int DigestLimit { get; set; } = 500;

    public WebhookOptions Webhook { get; set; } = new();
}

public sealed class WebhookOptions
{
    /// <summary>Retries after the first attempt, on a 5xx, 408, 429, a timeout or a connection failure; the delay doubles each time.</summary>
    public int MaxRetries { get; set; } = 4;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether webhooks may reach loopback, private and link-local addresses. Off by default, so a user's webhook URL
    /// cannot make the portal call services inside its own network; the address is checked when connecting.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }
}
