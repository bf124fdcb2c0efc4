using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace TomAlerts.Brokers.Tests;

public class BrokerRegistryTests
{
    private static BrokerRegistry Registry(params string[] classes)
    {
        var settings = classes.Select((c, i) => new KeyValuePair<string, string?>($"TOM_ALERT_CLASSES:{i}", c));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddBrokers(configuration);
        return services.BuildServiceProvider().GetRequiredService<BrokerRegistry>();
    }

    [Fact]
    public void GetServiceClasses_NoSetting_GivesTheDefaultSetInOrder()
    {
        var names = Registry().GetServiceClasses().Keys;

        Assert.Equal(["ALeRCE", "Gaia", "Lasair", "TNS", "ANTARES", "Fink", "Hermes"], names);
    }

    [Fact]
    public void NamesOf_ConeSearchable_GivesTheBrokersThatSearchACone()
    {
        Assert.Equal(["ALeRCE", "Gaia", "Lasair", "TNS", "ANTARES", "Fink", "Hermes"], Registry().NamesOf<IConeSearchable>());
    }

    [Fact]
    public void Registrations_IsStub_AgreesWithTheBrokersThemselves()
    {
        var registry = Registry([.. BrokerRegistry.DefaultClasses, typeof(TomAlerts.Tests.PluginStubBroker).FullName!]);

        var created = registry.GetServiceClasses();

        Assert.Equal(["Plugin"], registry.Registrations.Where(r => r.IsStub).Select(r => r.Name));
        Assert.All(registry.Registrations, r => Assert.Equal(created[r.Name].IsStub, r.IsStub));
    }

    [Fact]
    public void GetServiceClass_ConfiguredName_ReturnsThatBroker()
    {
        var broker = Registry("TomAlerts.Brokers.Gaia.GaiaBroker").GetServiceClass("Gaia");

        Assert.IsType<Gaia.GaiaBroker>(broker);
    }

    [Fact]
    public void GetServiceClass_UnknownName_SaysNoBrokerIsConfigured()
    {
        var error = Assert.Throws<BrokerNotFoundException>(() => Registry("TomAlerts.Brokers.Gaia.GaiaBroker").GetServiceClass("MARS"));

        Assert.Equal("No broker named MARS is configured.", error.Message);
    }

    [Fact]
    public void Resolve_EntryThatNamesNoBroker_NamesTheBadEntry()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("TOM_ALERT_CLASSES:0", "TomAlerts.Brokers.Gaia.GaiaBroker"), new("TOM_ALERT_CLASSES:1", "tom_alerts.fake_broker")]).Build();

        var error = Assert.Throws<BrokerConfigurationException>(() => BrokerRegistry.Resolve(configuration));

        Assert.Contains("'tom_alerts.fake_broker'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetServiceClass_StubBroker_IsMarkedStubAndFetchesNothing()
    {
        var broker = Registry(typeof(TomAlerts.Tests.PluginStubBroker).FullName!).GetServiceClass("Plugin");
        var feedback = new FetchFeedback();

        var alerts = broker.FetchAlertsAsync([], feedback, CancellationToken.None).ToBlockingEnumerable().ToList();

        Assert.True(broker.IsStub);
        Assert.Empty(alerts);
        Assert.Contains("TomAlerts cannot fetch alerts from Plugin yet", feedback.Text, StringComparison.Ordinal);
    }
}
