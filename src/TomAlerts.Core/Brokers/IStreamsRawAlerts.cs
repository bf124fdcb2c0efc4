using System.Text.Json.Nodes;

namespace TomAlerts.Brokers;

/// <summary>One alert of a run as the broker sent it: the parsed object and its JSON text exactly as it came.</summary>
/// <param name="Alert">The alert, for <see cref="IBroker.ToGenericAlert"/> and the other readers.</param>
/// <param name="Json">The alert's own JSON text from the broker's page, stored as the run alert's payload.</param>
public readonly record struct RawAlert(JsonObject Alert, string Json);

/// <summary>
/// A broker that reads its result pages as JSON documents and hands out each alert together with its text as
/// received, so a run stores the payload without serialising the parsed object again. The alerts and their order
/// are those of <see cref="IBroker.FetchAlertsAsync"/> for the same parameters.
/// </summary>
public interface IStreamsRawAlerts
{
    /// <summary>The alerts for a saved query's parameters with their JSON text, page by page, never holding more than a page.</summary>
    IAsyncEnumerable<RawAlert> FetchRawAlertsAsync(JsonObject parameters, FetchFeedback feedback, CancellationToken cancellationToken);
}
