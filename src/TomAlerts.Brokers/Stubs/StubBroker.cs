using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Stubs;

/// <summary>
/// A placeholder that keeps saved queries of a broker plugin loading: its form has no Submit, and running it
/// fetches nothing. Installing a real broker with the same name replaces it.
/// </summary>
public abstract class StubBroker(HttpClient http, BrokerSettings settings) : BrokerBase(http, settings)
{
    public override bool IsStub => true;

    public override Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new BrokerForm
        {
            Intro = $"TomAlerts cannot fetch alerts from {Name} yet (it is a placeholder until {Name} support is added); "
                    + "saved queries of this broker are kept and can be opened.",
        });

    public override IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback, CancellationToken cancellationToken)
    {
        feedback.Add($"TomAlerts cannot fetch alerts from {Name} yet, so this run found nothing. {Name}'s own documentation: {DocsUrl}.");
        return NoAlerts(cancellationToken);
    }

    public override GenericAlert ToGenericAlert(JsonObject alert) =>
        new() { Id = JsonRead.String(alert["id"]) ?? "", Name = JsonRead.String(alert["name"]) ?? "" };
}
