using System.Globalization;
using Microsoft.AspNetCore.Http;
using Quartz;
using TomAlerts.Brokers;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Schedules;

public enum ScheduleMode
{
    None,
    Minutes,
    Hours,
    Cron,
}

/// <summary>
/// The schedule and notification fields of the query form. They are stored on <see cref="BrokerQuery"/> itself, never in
/// its TOM-compatible parameters.
/// </summary>
public sealed class ScheduleFields
{
    public const string ModeField = "schedule_mode";
    public const string EveryField = "schedule_every";
    public const string CronField = "schedule_cron";
    public const string AutoCreateField = "auto_create_targets";
    public const string EmailField = "notify_email";
    public const string WebhookUrlField = "webhook_url";
    public const string WebhookSecretField = "webhook_secret";

    public const int MinimumSecretLength = 12;

    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        ModeField, EveryField, CronField, AutoCreateField, EmailField, WebhookUrlField, WebhookSecretField,
    };

    public ScheduleMode Mode { get; init; }
    public string? Every { get; init; }
    public string? Cron { get; init; }
    public bool AutoCreateTargets { get; init; }
    public bool NotifyEmail { get; init; }
    public string? WebhookUrl { get; init; }
    /// <summary>A secret is already stored; the page shows it masked and never sends it back.</summary>
    public bool HasSecret { get; init; }
    public bool EmailAvailable { get; init; }
    public int MinimumIntervalMinutes { get; init; } = 5;
    public FormErrors Errors { get; init; } = new();

    private string? NewSecret { get; init; }

    public bool IsValid => Errors.IsEmpty;

    public static ScheduleFields From(BrokerQuery? query, bool emailAvailable, int minimumIntervalMinutes)
    {
        if (query is null)
        {
            return new ScheduleFields { EmailAvailable = emailAvailable, MinimumIntervalMinutes = minimumIntervalMinutes };
        }
        var (mode, every) = query switch
        {
            { ScheduleCron: { Length: > 0 } } => (ScheduleMode.Cron, (string?)null),
            { ScheduleMinutes: { } m } when m % 60 == 0 => (ScheduleMode.Hours, (m / 60).ToString(CultureInfo.InvariantCulture)),
            { ScheduleMinutes: { } m } => (ScheduleMode.Minutes, m.ToString(CultureInfo.InvariantCulture)),
            _ => (ScheduleMode.None, null),
        };
        return new ScheduleFields
        {
            Mode = mode, Every = every, Cron = query.ScheduleCron, AutoCreateTargets = query.AutoCreateTargets, NotifyEmail = query.NotifyEmail,
            WebhookUrl = query.WebhookUrl, HasSecret = !string.IsNullOrEmpty(query.WebhookSecret),
            EmailAvailable = emailAvailable, MinimumIntervalMinutes = minimumIntervalMinutes,
        };
    }

    /// <summary>Reads and checks the posted fields; errors are keyed by field name, for display beside each field.</summary>
    public static ScheduleFields Read(IFormCollection form, BrokerQuery? existing, bool emailAvailable, int minimumIntervalMinutes, DateTimeOffset now)
    {
        var errors = new FormErrors();
        string? Text(string field) => form[field].ToString().Trim() is { Length: > 0 } text ? text : null;
        bool Checked(string field) => form[field].ToString() is "true" or "on" or "True";

        var modeText = Text(ModeField) ?? "none";
        if (!Enum.TryParse<ScheduleMode>(modeText, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
        {
            errors.Add(ModeField, "Choose how the query runs on its own: not at all, every N minutes, every N hours, or a cron expression.");
            mode = ScheduleMode.None;
        }
        var every = Text(EveryField);
        var cron = Text(CronField);
        if (mode is ScheduleMode.Minutes or ScheduleMode.Hours)
        {
            if (!int.TryParse(every, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
            {
                errors.Add(EveryField, "Enter a whole number greater than 0.");
            }
            else if ((mode == ScheduleMode.Hours ? n * 60L : n) < minimumIntervalMinutes)
            {
                errors.Add(EveryField, $"A query may run at most every {minimumIntervalMinutes} minutes.");
            }
            else if (mode == ScheduleMode.Hours && n > 24 * 366 || mode == ScheduleMode.Minutes && n > 60 * 24 * 366)
            {
                errors.Add(EveryField, "Enter an interval of at most a year.");
            }
        }
        else if (mode == ScheduleMode.Cron)
        {
            if (CronSchedule.Check(cron, minimumIntervalMinutes, now) is { } cronError)
            {
                errors.Add(CronField, cronError);
            }
        }

        var notifyEmail = Checked(EmailField);
        if (notifyEmail && !emailAvailable)
        {
            errors.Add(EmailField, "Email is not set up on this TomAlerts (no SMTP server is configured), so it cannot send you alerts.");
        }

        var webhookUrl = Text(WebhookUrlField);
        var secret = form[WebhookSecretField].ToString();
        var hasSecret = !string.IsNullOrEmpty(existing?.WebhookSecret);
        if (webhookUrl is not null)
        {
            if (webhookUrl.Length > 2000 || !Uri.TryCreate(webhookUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            {
                errors.Add(WebhookUrlField, "Enter a web address that starts with http:// or https://.");
            }
            if (secret.Length == 0 && !hasSecret)
            {
                errors.Add(WebhookSecretField, $"Enter a shared secret of at least {MinimumSecretLength} characters; each delivery is signed with it.");
            }
        }
        if (secret.Length > 0 && (secret.Length < MinimumSecretLength || secret.Length > 200))
        {
            errors.Add(WebhookSecretField, $"The secret must have between {MinimumSecretLength} and 200 characters.");
        }

        return new ScheduleFields
        {
            Mode = mode, Every = every, Cron = cron, AutoCreateTargets = Checked(AutoCreateField), NotifyEmail = notifyEmail,
            WebhookUrl = webhookUrl, HasSecret = hasSecret, NewSecret = secret.Length > 0 ? secret : null,
            EmailAvailable = emailAvailable, MinimumIntervalMinutes = minimumIntervalMinutes, Errors = errors,
        };
    }

    /// <summary>Stores valid fields on the query. A blank secret keeps the stored one; removing the webhook removes its secret.</summary>
    public void ApplyTo(BrokerQuery query)
    {
        query.ScheduleMinutes = Mode switch
        {
            ScheduleMode.Minutes => int.Parse(Every!, CultureInfo.InvariantCulture),
            ScheduleMode.Hours => int.Parse(Every!, CultureInfo.InvariantCulture) * 60,
            _ => null,
        };
        query.ScheduleCron = Mode == ScheduleMode.Cron ? Cron : null;
        if (!query.IsScheduled)
        {
            query.SchedulePaused = false;
        }
        query.AutoCreateTargets = AutoCreateTargets;
        query.NotifyEmail = NotifyEmail;
        query.WebhookUrl = WebhookUrl;
        query.WebhookSecret = WebhookUrl is null ? null : NewSecret ?? query.WebhookSecret;
    }

    /// <summary>"every 6 hours", "every 30 minutes", "cron 0 0 * * *", or null.</summary>
    public static string? Describe(int? minutes, string? cron) => (minutes, cron) switch
    {
        (_, { Length: > 0 }) => $"cron {cron}",
        ({ } m, _) when m % 60 == 0 => m == 60 ? "every hour" : $"every {m / 60} hours",
        ({ } m, _) => m == 1 ? "every minute" : $"every {m} minutes",
        _ => null,
    };
}

/// <summary>Cron expressions as users write them: five fields (crontab) or Quartz's six or seven (with seconds).</summary>
public static class CronSchedule
{
    public static CronFormat FormatOf(string expression) =>
        expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5 ? CronFormat.Unix : CronFormat.Quartz;

    /// <summary>Null when <paramref name="expression"/> parses and never fires more often than the minimum interval; else what is wrong.</summary>
    public static string? Check(string? expression, int minimumIntervalMinutes, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return "Enter a cron expression, e.g. \"0 */6 * * *\" for every six hours.";
        }
        if (expression.Length > 120)
        {
            return "A cron expression has at most 120 characters.";
        }
        if (!CronExpression.TryParse(expression, FormatOf(expression), out var cron) || cron is null)
        {
            return "This is not a cron expression. Use five fields (minute hour day-of-month month day-of-week, e.g. \"0 */6 * * *\") "
                   + "or Quartz's six with seconds first (e.g. \"0 0 */6 * * ?\").";
        }
        var minimum = TimeSpan.FromMinutes(minimumIntervalMinutes);
        var previous = cron.GetNextValidTimeAfter(now);
        if (previous is null)
        {
            return "This cron expression never fires.";
        }
        for (var i = 0; i < 50; i++)
        {
            var next = cron.GetNextValidTimeAfter(previous.Value);
            if (next is null)
            {
                break;
            }
            if (next.Value - previous.Value < minimum)
            {
                return $"This expression fires more often than every {minimumIntervalMinutes} minutes, the shortest interval allowed.";
            }
            previous = next;
        }
        return null;
    }
}
