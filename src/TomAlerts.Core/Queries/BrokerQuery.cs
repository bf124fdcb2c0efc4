using System.Text.Json;
using System.Text.Json.Nodes;

namespace TomAlerts.Queries;

public enum QueryVisibility
{
    Shared,
    Private,
}

/// <summary>A saved broker query. <see cref="Parameters"/> is the whole cleaned form as JSON, TOM-compatible.</summary>
public class BrokerQuery
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Broker { get; set; }
    public required string Parameters { get; set; }
    public DateTime Created { get; set; }
    public DateTime Modified { get; set; }
    public DateTime? LastRun { get; set; }
    public string? OwnerId { get; set; }
    public QueryVisibility Visibility { get; set; } = QueryVisibility.Shared;

    /// <summary>How often the query runs on its own: every <see cref="ScheduleMinutes"/> minutes, or a cron expression.</summary>
    public int? ScheduleMinutes { get; set; }
    public string? ScheduleCron { get; set; }
    public bool SchedulePaused { get; set; }
    /// <summary>Create targets on their own for alerts no earlier run of this query returned.</summary>
    public bool AutoCreateTargets { get; set; }
    public bool NotifyEmail { get; set; }
    public string? WebhookUrl { get; set; }
    public string? WebhookSecret { get; set; }
    /// <summary>The query behind a stream subscription: its alerts arrive by Kafka, so it is neither listed with the queries nor run or scheduled.</summary>
    public bool IsStream { get; set; }

    public bool IsScheduled => ScheduleMinutes is not null || !string.IsNullOrEmpty(ScheduleCron);

    public List<QueryRun> Runs { get; set; } = [];

    /// <summary>The saved parameters as a JSON object; null when they are not one (a hand-edited row, say).</summary>
    public JsonObject? ReadParameters()
    {
        try
        {
            return JsonNode.Parse(Parameters) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public bool IsVisibleTo(string? userId, bool isAdmin) =>
        isAdmin || Visibility == QueryVisibility.Shared || (userId is not null && OwnerId == userId);
}
