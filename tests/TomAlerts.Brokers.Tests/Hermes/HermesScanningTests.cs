using System.Text.Json.Nodes;
using TomAlerts.Brokers.Hermes;

namespace TomAlerts.Brokers.Tests;

/// <summary>A gravitational-wave event's classes, as a scanner's classification panel lists them.</summary>
public sealed class HermesScanningTests
{
    [Fact]
    public void ToGenericAlert_Event_LatestNoticesSourceClassesAndPropertiesWithPipelineAndSequence()
    {
        var events = JsonNode.Parse(Fixtures.Read("hermes/nonlocalizedevents_page1.json"))!["results"]!.AsArray();
        var evt = events[0]!.AsObject();
        var broker = new FakeBrokerHttp().Broker<HermesBroker>();

        var classes = broker.ToGenericAlert(evt).Classifications;

        var latest = evt["sequences"]!.AsArray()[^1]!;
        var expectedVersion = $"{latest["sequence_type"]} {latest["sequence_number"]}";
        var source = classes.Where(c => c.Classifier == "gstlal").ToList();
        Assert.Equal(["BNS", "NSBH", "Terrestrial", "BBH"], source.Select(c => c.ClassName));
        Assert.Equal(0.91, source[0].Probability);
        Assert.All(classes, c => Assert.Equal(expectedVersion, c.Version));
        Assert.All(classes, c => Assert.Equal("Hermes", c.Broker));
        Assert.Contains(classes, c => c is { Classifier: "gstlal properties", ClassName: "HasNS", Probability: 0.92 });
    }

    [Fact]
    public void ToGenericAlert_EventWithoutClassification_HasNone()
    {
        var evt = JsonNode.Parse("""{"event_id": "S1", "sequences": [{"sequence_type": "RETRACTION", "data": {"event": null}}]}""")!.AsObject();

        Assert.Empty(new FakeBrokerHttp().Broker<HermesBroker>().ToGenericAlert(evt).Classifications);
    }
}
