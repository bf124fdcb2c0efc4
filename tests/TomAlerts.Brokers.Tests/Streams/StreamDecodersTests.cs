using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Brokers.Streams;
using TomAlerts.Streams;

namespace TomAlerts.Brokers.Tests.Streams;

/// <summary>The registered decoders: one per stream source, each producing the payloads of a broker the registry knows.</summary>
public class StreamDecodersTests
{
    private static IServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddBrokers(configuration).BuildServiceProvider();
    }

    [Fact]
    public void EverySource_HasItsDecoder()
    {
        var decoders = Services().GetRequiredService<StreamDecoders>();

        Assert.Equal(Enum.GetValues<StreamSource>().Order(), decoders.Sources.Order());
    }

    [Theory]
    [InlineData(StreamSource.Lasair, "Lasair")]
    [InlineData(StreamSource.Fink, "Fink")]
    [InlineData(StreamSource.Antares, "ANTARES")]
    [InlineData(StreamSource.Hopskotch, "Hermes")]
    [InlineData(StreamSource.Gcn, "Hermes")]
    public void EachSource_DecodesToABrokerOfTheRegistry(StreamSource source, string broker)
    {
        var services = Services();
        var decoder = services.GetRequiredService<StreamDecoders>().For(source)!;

        Assert.Equal(broker, decoder.Broker);
        Assert.Contains(broker, services.GetRequiredService<BrokerRegistry>().GetServiceClasses().Keys);
        Assert.IsAssignableFrom<IFiltersAlerts>(services.GetRequiredService<BrokerRegistry>().GetServiceClass(broker));
    }
}
