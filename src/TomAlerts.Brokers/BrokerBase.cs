using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers;

/// <summary>
/// Defaults for the optional parts of <see cref="IBroker"/>, as TOM's GenericBroker has them. A broker class
/// carries a <see cref="BrokerAttribute"/> and receives its own HTTP client and settings section.
/// </summary>
public abstract class BrokerBase(HttpClient http, BrokerSettings settings) : IBroker
{
    public const string DefaultScoreDescription =
        "The meaning of this field changes between brokers, please consult this broker's documentation.";

    protected HttpClient Http { get; } = http;

    protected BrokerSettings Settings { get; } = settings;

    public string Name => GetType().GetCustomAttribute<BrokerAttribute>()?.Name ?? GetType().Name;

    public virtual bool IsStub => false;

    public virtual string? DocsUrl => null;

    public virtual string ScoreDescription => DefaultScoreDescription;

    public virtual BrokerStatus Status => BrokerStatus.Configured;

    public abstract Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback, CancellationToken cancellationToken);

    public virtual Task<JsonObject?> FetchAlertAsync(string alertId, CancellationToken cancellationToken) =>
        Task.FromResult<JsonObject?>(null);

    public abstract GenericAlert ToGenericAlert(JsonObject alert);

    public virtual TargetCandidate ToTarget(JsonObject alert)
    {
        var generic = ToGenericAlert(alert);
        return new TargetCandidate { Name = generic.Name, Ra = generic.Ra, Dec = generic.Dec };
    }

    public virtual Task<IReadOnlyList<PhotometryPoint>> ProcessReducedDataAsync(string alertId, JsonObject? alert, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PhotometryPoint>>([]);

    public virtual Task<UpstreamResult> SubmitUpstreamAlertAsync(UpstreamSubmission submission, CancellationToken cancellationToken) =>
        Task.FromResult(new UpstreamResult(false, $"Submitting alerts upstream is not supported by the {Name} broker."));

    /// <summary>Ends the stream at once; for stubs and brokers that found nothing to ask.</summary>
    protected static async IAsyncEnumerable<JsonObject> NoAlerts([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        cancellationToken.ThrowIfCancellationRequested();
        yield break;
    }
}
