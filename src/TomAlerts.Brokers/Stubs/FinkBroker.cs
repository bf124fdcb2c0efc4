namespace TomAlerts.Brokers.Stubs;

[Broker("Fink")]
public sealed class FinkBroker(HttpClient http, BrokerSettings settings) : StubBroker(http, settings)
{
    public override string? DocsUrl => "https://github.com/TOMToolkit/tom_fink";
}
