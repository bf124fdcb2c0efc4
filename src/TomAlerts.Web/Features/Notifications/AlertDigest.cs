using System.Text.Json.Serialization;

namespace TomAlerts.Web.Features.Notifications;

/// <summary>
/// One run's new alerts, as emailed and as POSTed to a webhook: the query, the run, how many alerts were new, and the
/// first <see cref="NotificationOptions.DigestLimit"/> of them.
/// </summary>
public sealed record AlertDigest(
    [property: JsonPropertyName("query")] DigestQuery Query,
    [property: JsonPropertyName("run")] DigestRun Run,
    [property: JsonPropertyName("newAlertCount")] int NewAlertCount,
    [property: JsonPropertyName("truncated")] bool Truncated,
    [property: JsonPropertyName("newAlerts")] IReadOnlyList<DigestAlert> NewAlerts);

public sealed record DigestQuery(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("broker")] string Broker);

/// <summary>
/// The run; <see cref="Window"/> says which of a stream run's windows the digest covers (null: the whole run), so a
/// receiver drops a repeated digest by run id and window.
/// </summary>
public sealed record DigestRun(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("finishedAt")] DateTime? FinishedAt,
    [property: JsonPropertyName("scheduled")] bool Scheduled,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("window")] DigestWindow? Window = null);

/// <summary>The run alert positions a stream run's digest covers, inclusive.</summary>
public sealed record DigestWindow(
    [property: JsonPropertyName("fromPosition")] int FromPosition,
    [property: JsonPropertyName("toPosition")] int? ToPosition);

public sealed record DigestAlert(
    [property: JsonPropertyName("alertId")] string AlertId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("ra")] double? Ra,
    [property: JsonPropertyName("dec")] double? Dec,
    [property: JsonPropertyName("mag")] double? Mag,
    [property: JsonPropertyName("score")] double? Score,
    [property: JsonPropertyName("timestamp")] DateTime? Timestamp,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("classification")] string? Classification);
