namespace TomAlerts.Brokers.Stubs;

[Broker("ANTARES")]
public sealed class AntaresBroker(HttpClient http, BrokerSettings settings) : StubBroker(http, settings)
{
    public override string? DocsUrl => "https://github.com/TOMToolkit/tom_antares";
}
