using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Gaia;

[Broker("Gaia", DefaultBaseUrl = "http://gsaweb.ast.cam.ac.uk")]
public sealed class GaiaBroker(HttpClient http, BrokerSettings settings) : BrokerBase(http, settings)
{
    public override Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new BrokerForm());

    public override IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback, CancellationToken cancellationToken) =>
        NoAlerts(cancellationToken);

    public override GenericAlert ToGenericAlert(JsonObject alert) =>
        new() { Id = JsonRead.String(alert["id"]) ?? "", Name = JsonRead.String(alert["name"]) ?? "" };
}
