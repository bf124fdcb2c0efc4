namespace TomAlerts.Brokers.Stubs;

[Broker("Hermes")]
public sealed class HermesBroker(HttpClient http, BrokerSettings settings) : StubBroker(http, settings)
{
    public override string? DocsUrl => "https://github.com/TOMToolkit/tom_hermes";
}
