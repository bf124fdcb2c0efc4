using System.Text.Json.Nodes;

namespace TomAlerts.Brokers;

/// <summary>
/// A broker a target can be sent to (TOM's upstream submission): a TNS discovery report, a Hermes message. The
/// broker gives a form pre-filled from the target, and sends what the user confirmed in it.
/// </summary>
public interface ISubmitsTargets
{
    /// <summary>
    /// Whether a submission can be sent now: the settings it still needs when not (a key, a bot). By default the
    /// broker's own <see cref="IBroker.Status"/>; a broker whose submissions need more than its queries says so here.
    /// </summary>
    BrokerStatus SubmissionStatus => this is IBroker broker ? broker.Status : BrokerStatus.Configured;

    /// <summary>The submission form, pre-filled from <paramref name="subject"/>. A failure to load choices gives a form with a notice.</summary>
    Task<BrokerForm> GetSubmissionFormAsync(SubmissionSubject subject, CancellationToken cancellationToken);

    /// <summary>
    /// Sends <paramref name="subject"/> with the cleaned <paramref name="parameters"/> of the submission form. A refusal
    /// by the broker is a result that did not succeed, in the broker's words; a broker that cannot be reached may throw
    /// a <see cref="BrokerException"/>.
    /// </summary>
    Task<SubmissionResult> SubmitAsync(SubmissionSubject subject, JsonObject parameters, CancellationToken cancellationToken);
}

/// <summary>What is submitted: a target with its names, position and light curve (oldest first).</summary>
public sealed record SubmissionSubject(int TargetId, string Name, IReadOnlyList<string> Aliases, double? Ra, double? Dec,
    IReadOnlyList<PhotometryPoint> Photometry)
{
    /// <summary>The page of the target on this portal, when the caller knows it (a link for the message).</summary>
    public string? Url { get; init; }
}

/// <summary>
/// The broker's answer: <paramref name="Reference"/> is its id of the submission (TNS report id, Hermes message uuid),
/// <paramref name="Names"/> the names it gave the target (a TNS designation), which become aliases.
/// </summary>
public sealed record SubmissionResult(bool Succeeded, string Message, string? Reference = null)
{
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>The broker accepted the submission but has not processed it yet: <see cref="IChecksSubmissions"/> asks again later.</summary>
    public bool Pending { get; init; }
}

/// <summary>
/// A broker that processes a submission some time after accepting it (TNS names a reported object once it has processed
/// the report): the portal asks again, when someone asks, for the outcome of the submission <c>reference</c>.
/// </summary>
public interface IChecksSubmissions
{
    /// <summary>The outcome of the submission <paramref name="reference"/> now, <see cref="SubmissionResult.Pending"/> while there is none.</summary>
    Task<SubmissionResult> CheckSubmissionAsync(string reference, CancellationToken cancellationToken);
}
