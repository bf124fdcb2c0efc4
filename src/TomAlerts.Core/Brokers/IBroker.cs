using System.Text.Json.Nodes;

namespace TomAlerts.Brokers;

/// <summary>
/// An alert broker: TOM's GenericBroker. A broker knows its query form, fetches raw alerts for a saved
/// query's parameters, and turns a raw alert into a display record, a target and a light curve.
/// Raw alerts are JSON objects so that a run can store them exactly as they came.
/// </summary>
public interface IBroker
{
    /// <summary>The unique name stored on saved queries and photometry, e.g. "ALeRCE".</summary>
    string Name { get; }

    /// <summary>A stub keeps saved queries loading without fetching anything.</summary>
    bool IsStub { get; }

    /// <summary>The broker's or plugin's documentation, linked from forms and "not configured" messages.</summary>
    string? DocsUrl { get; }

    /// <summary>What the Score column means for this broker (shown as a tooltip).</summary>
    string ScoreDescription { get; }

    /// <summary>Whether the settings the broker needs are present.</summary>
    BrokerStatus Status { get; }

    /// <summary>The query form. Choices may come from the broker's service; a failure there gives a form with a notice, never an exception.</summary>
    Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken);

    /// <summary>Streams the raw alerts for a saved query's parameters, page by page, never holding all of them.</summary>
    IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback, CancellationToken cancellationToken);

    /// <summary>Fetches one full alert or object by its broker id; null when the broker does not know it.</summary>
    Task<JsonObject?> FetchAlertAsync(string alertId, CancellationToken cancellationToken);

    GenericAlert ToGenericAlert(JsonObject alert);

    TargetCandidate ToTarget(JsonObject alert);

    /// <summary>
    /// The light curve of the broker's object <paramref name="alertId"/> (the id <see cref="ToGenericAlert"/> gives),
    /// using <paramref name="alert"/> when it already holds the data. The caller merges the points into a target.
    /// </summary>
    Task<IReadOnlyList<PhotometryPoint>> ProcessReducedDataAsync(string alertId, JsonObject? alert, CancellationToken cancellationToken);
}

/// <summary>
/// A broker that can search a cone around a position. The cross-broker search asks every configured broker that
/// implements this, with the parameters it gives, as if they had been saved from its own query form.
/// </summary>
public interface IConeSearchable
{
    /// <summary>This broker's query parameters for a cone of <paramref name="radiusArcsec"/> around RA, Dec (degrees).</summary>
    JsonObject ConeParameters(double ra, double dec, double radiusArcsec);
}

/// <summary>
/// A broker whose search results are list rows, a summary of each object, rather than the full object (so a search
/// costs a call per page, not one per object). A target made from such a row is built from the full object, which
/// <see cref="IBroker.FetchAlertAsync"/> fetches with its own call of the broker.
/// </summary>
public interface IListsSummaries
{
    /// <summary>Whether <paramref name="alert"/>, as a run stored it, is a list row rather than the full object.</summary>
    bool IsSummary(JsonObject alert);
}
