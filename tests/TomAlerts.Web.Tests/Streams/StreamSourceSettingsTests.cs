using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using TomAlerts.Streams;
using TomAlerts.Web.Features.Streams;

namespace TomAlerts.Web.Tests.Streams;

/// <summary>Each source's Kafka settings as its real service needs them (broker-apis-lsst.md §7), from STREAMS:&lt;SOURCE&gt; or the defaults.</summary>
public class StreamSourceSettingsTests
{
    private static StreamSourceSettings For(StreamSource source, params (string Key, string Value)[] settings) =>
        new StreamSources(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build()).For(source);

    [Fact]
    public void Lasair_PublicPlaintextServers_NothingMissing()
    {
        var lasair = For(StreamSource.Lasair);
        var config = lasair.ConsumerConfig(["lasair_2Hasabsmag"], "tomalerts-x", null);

        Assert.Equal("lasair-lsst-kafka.lsst.ac.uk:9092", config.BootstrapServers);
        Assert.Equal(SecurityProtocol.Plaintext, config.SecurityProtocol);
        Assert.Null(config.SaslUsername);
        Assert.Empty(lasair.Missing(["lasair_2Hasabsmag"], null));
    }

    [Fact]
    public void Fink_ZtfTopicsGoToTheZtfServers_SaslOnlyWhenAPasswordIsIssued()
    {
        var fink = For(StreamSource.Fink, ("STREAMS:FINK:sasl_username", "astro"));

        Assert.Equal("kafka-ztf.fink-broker.org:24499", fink.BootstrapServers(["fink_sn_candidates_ztf"]));
        Assert.Equal("kafka-lsst.fink-broker.org:24499", fink.BootstrapServers(["fink_early_snia_candidate_lsst"]));
        Assert.Equal(SecurityProtocol.Plaintext, fink.ConsumerConfig(["fink_sn_candidates_ztf"], "g", null).SecurityProtocol);
        var withPassword = fink.ConsumerConfig(["fink_sn_candidates_ztf"], "g", new StreamCredentials("astro", "s3cret"));
        Assert.Equal(SecurityProtocol.SaslPlaintext, withPassword.SecurityProtocol);
        Assert.Equal(SaslMechanism.ScramSha512, withPassword.SaslMechanism);
    }

    [Fact]
    public void Antares_SaslSslPlain_KeyAndSecretRequired_FilterNamesSubscribedUnderClient()
    {
        var antares = For(StreamSource.Antares);

        var missing = Assert.Single(antares.Missing(["lsst_scimma_quality_transient"], null));
        Assert.Contains("STREAMS:ANTARES:sasl_username", missing);
        var config = antares.ConsumerConfig(["t"], "g", new StreamCredentials("key", "secret"));
        Assert.Equal((SecurityProtocol.SaslSsl, SaslMechanism.Plain, "key"), (config.SecurityProtocol!.Value, config.SaslMechanism!.Value, config.SaslUsername));
        Assert.Equal(["client.lsst_scimma_quality_transient", "client.other"], antares.KafkaTopics(["lsst_scimma_quality_transient", "client.other"]));
    }

    [Fact]
    public void Hopskotch_ScramSha512_GroupIdStartsWithTheUserName()
    {
        var hop = For(StreamSource.Hopskotch, ("STREAMS:HOPSKOTCH:sasl_username", "jdoe-abc123"), ("STREAMS:HOPSKOTCH:sasl_password", "pw"));

        Assert.Empty(hop.Missing(["igwn.gwalert"], null));
        Assert.Equal("jdoe-abc123-gw alerts", hop.GroupId("gw alerts", null));
        var config = hop.ConsumerConfig(["igwn.gwalert"], hop.GroupId("gw", null), null);
        Assert.Equal((SecurityProtocol.SaslSsl, SaslMechanism.ScramSha512), (config.SecurityProtocol!.Value, config.SaslMechanism!.Value));
    }

    [Fact]
    public void Gcn_OidcClientCredentials_AgainstGcnsTokenEndpoint()
    {
        var gcn = For(StreamSource.Gcn);
        Assert.Contains("OIDC client id", Assert.Single(gcn.Missing(["igwn.gwalert"], null)));

        var config = gcn.ConsumerConfig(["igwn.gwalert"], "g", new StreamCredentials(ClientId: "client", ClientSecret: "secret"));
        Assert.Equal((SecurityProtocol.SaslSsl, SaslMechanism.OAuthBearer, SaslOauthbearerMethod.Oidc),
            (config.SecurityProtocol!.Value, config.SaslMechanism!.Value, config.SaslOauthbearerMethod!.Value));
        Assert.Equal("https://auth.gcn.nasa.gov/oauth2/token", config.SaslOauthbearerTokenEndpointUrl);
        Assert.Equal("client", config.SaslOauthbearerClientId);
    }

    [Fact]
    public void GenericKafka_NeedsItsServers_AndABadProtocolSettingIsNamed()
    {
        Assert.Contains("STREAMS:KAFKA:bootstrap_servers", Assert.Single(For(StreamSource.Kafka).Missing(["alerts"], null)));
        var bad = For(StreamSource.Kafka, ("STREAMS:KAFKA:bootstrap_servers", "kafka.example.org:9092"), ("STREAMS:KAFKA:security_protocol", "TLS-please"));
        Assert.Contains("STREAMS:KAFKA:security_protocol", Assert.Single(bad.Missing(["alerts"], null)));
        var sasl = For(StreamSource.Kafka, ("STREAMS:KAFKA:bootstrap_servers", "k:9092"), ("STREAMS:KAFKA:security_protocol", "SASL_SSL"), ("STREAMS:KAFKA:sasl_mechanism", "SCRAM-SHA-256"));
        Assert.Equal(SaslMechanism.ScramSha256, sasl.ConsumerConfig(["a"], "g", new StreamCredentials("u", "p")).SaslMechanism);
    }
}
