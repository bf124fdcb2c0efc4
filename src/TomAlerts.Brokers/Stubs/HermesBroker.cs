namespace TomAlerts.Brokers.Stubs;

// Its query side is a stub; sending a target as a message is in Hermes/HermesSubmission.cs.
[Broker("Hermes", DefaultBaseUrl = "https://hermes.lco.global/api/v0/")]
public sealed partial class HermesBroker(HttpClient http, BrokerSettings settings) : StubBroker(http, settings)
{
    public override string? DocsUrl => "https://github.com/TOMToolkit/tom_hermes";
}
