using TomAlerts.Streams;

namespace TomAlerts.Web.Features.Streams;

/// <summary>Which credentials a source takes from a subscriber: a user name and password (SASL), or an OIDC client (GCN).</summary>
public enum CredentialKind
{
    Password,
    OidcClient,
    Both,
}

/// <summary>What the pages say about a stream source: what it sends, example topics (contract: broker-apis-lsst.md §7), and the credentials it takes.</summary>
public sealed record StreamSourceInfo(StreamSource Source, string Title, string Description, IReadOnlyList<string> ExampleTopics, CredentialKind Credentials,
    string UsernameLabel = "User name", string PasswordLabel = "Password")
{
    public static readonly IReadOnlyList<StreamSourceInfo> All =
    [
        new(StreamSource.Lasair, nameof(StreamSource.Lasair), "The alerts that pass one of your Lasair filters, as Lasair's Kafka topic for it sends them (no password needed). "
            + "The topic is lasair_ followed by your Lasair user id and the filter's name.",
            ["lasair_<userId><filter name>", "lasair_1234my_sn_filter"], CredentialKind.Password),
        new(StreamSource.Fink, nameof(StreamSource.Fink), "Fink's livestream topics for ZTF and LSST, Avro alerts with Fink's added values. Fink issues a user name and password "
            + "(fink_client_register) for its LSST servers.",
            ["fink_early_sn_candidates_ztf", "fink_early_snia_candidate_lsst"], CredentialKind.Password),
        new(StreamSource.Antares, nameof(StreamSource.Antares).ToUpperInvariant(), "ANTARES's filtered streams of LSST and ZTF alerts; ANTARES gives each team a stream key and secret.",
            ["lsst_scimma_quality_transient"], CredentialKind.Password, "Stream key", "Stream secret"),
        new(StreamSource.Hopskotch, "Hopskotch", "SCiMMA's Hopskotch topics (gravitational-wave and other multi-messenger notices) with SCRAM credentials "
            + "from my.hop.scimma.org.",
            ["igwn.gwalert"], CredentialKind.Password),
        new(StreamSource.Gcn, "GCN", "NASA's General Coordinates Network: gravitational-wave, GRB and X-ray notices as JSON, with a client id and secret "
            + "from gcn.nasa.gov.",
            ["igwn.gwalert", "gcn.notices.einstein_probe.wxt.alert"], CredentialKind.OidcClient, "Client id", "Client secret"),
        new(StreamSource.Kafka, "Kafka (any server)", "Any Kafka server whose messages are JSON alerts in the shape of one of the brokers here, "
            + "such as a team's own relay. Its servers are set in STREAMS:KAFKA.",
            ["my_team.alerts"], CredentialKind.Both),
    ];

    public static StreamSourceInfo For(StreamSource source) => All.First(i => i.Source == source);
}
