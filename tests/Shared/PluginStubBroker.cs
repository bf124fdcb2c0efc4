using TomAlerts.Brokers;
using TomAlerts.Brokers.Stubs;

namespace TomAlerts.Tests;

/// <summary>A broker plugin installed as a placeholder, as a team lists one in TOM_ALERT_CLASSES to keep its saved queries.</summary>
[Broker("Plugin")]
public sealed class PluginStubBroker(HttpClient http, BrokerSettings settings) : StubBroker(http, settings)
{
    public override string? DocsUrl => "https://github.com/TOMToolkit/tom_plugin";
}
