using Confluent.Kafka;
using TomAlerts.Streams;

namespace TomAlerts.Web.Features.Streams;

/// <summary>A subscriber's own credentials for a source, kept protected on the subscription (never shown again).</summary>
public sealed record StreamCredentials(string? Username = null, string? Password = null, string? ClientId = null, string? ClientSecret = null);

/// <summary>
/// One stream source's settings, section <c>STREAMS:&lt;SOURCE&gt;</c>, with the real services' servers and security as
/// defaults where they are public (contract: broker-apis-lsst.md §7).
/// </summary>
public sealed class StreamSourceSettings(IConfigurationSection section, StreamSource source)
{
    public const string BootstrapServersKey = "bootstrap_servers";
    public const string SecurityProtocolKey = "security_protocol";
    public const string SaslMechanismKey = "sasl_mechanism";
    public const string SaslUsernameKey = "sasl_username";
    public const string SaslPasswordKey = "sasl_password";
    public const string GroupIdPrefixKey = "group_id_prefix";
    public const string OidcClientIdKey = "sasl_oauthbearer_client_id";
    public const string OidcClientSecretKey = "sasl_oauthbearer_client_secret";
    public const string OidcTokenEndpointKey = "sasl_oauthbearer_token_endpoint_url";
    public const string OidcScopeKey = "sasl_oauthbearer_scope";
    public const string SslCaLocationKey = "ssl_ca_location";

    public static string SectionName(StreamSource source) => $"STREAMS:{source.ToString().ToUpperInvariant()}";

    public StreamSource Source => source;

    public string Path => section.Path;

    public string? this[string key] => string.IsNullOrWhiteSpace(section[key]) ? null : section[key]!.Trim();

    /// <summary>The servers for <paramref name="topics"/>: the configured ones, else the source's public servers (Fink: its ZTF servers when every topic is a ZTF one).</summary>
    public string? BootstrapServers(IReadOnlyList<string> topics) => this[BootstrapServersKey] ?? source switch
    {
        StreamSource.Lasair => "lasair-lsst-kafka.lsst.ac.uk:9092",
        StreamSource.Fink when topics.Count > 0 && topics.All(t => t.EndsWith("_ztf", StringComparison.Ordinal)) => "kafka-ztf.fink-broker.org:24499",
        StreamSource.Fink => "kafka-lsst.fink-broker.org:24499",
        StreamSource.Antares => "kafka.antares.noirlab.edu:9092",
        StreamSource.Hopskotch => "kafka.scimma.org:9092",
        StreamSource.Gcn => "kafka.gcn.nasa.gov:9092",
        _ => null,
    };

    /// <summary>
    /// The Kafka topic names for the topics a subscriber gave: ANTARES serves a filter's stream under "client.&lt;filter&gt;"
    /// (as its own client subscribes), so a bare filter name gets that prefix.
    /// </summary>
    public IReadOnlyList<string> KafkaTopics(IReadOnlyList<string> topics) => source == StreamSource.Antares
        ? topics.Select(t => t.StartsWith("client.", StringComparison.Ordinal) ? t : "client." + t).ToList()
        : topics;

    /// <summary>The security protocol: configured, else what the source uses (Fink: SASL only when a password is issued).</summary>
    public SecurityProtocol SecurityProtocol(StreamCredentials? own)
    {
        if (this[SecurityProtocolKey] is { } configured)
        {
            return Enum.Parse<SecurityProtocol>(configured.Replace("_", ""), ignoreCase: true);
        }
        return source switch
        {
            StreamSource.Antares or StreamSource.Hopskotch or StreamSource.Gcn => Confluent.Kafka.SecurityProtocol.SaslSsl,
            StreamSource.Fink when Password(own) is not null => Confluent.Kafka.SecurityProtocol.SaslPlaintext,
            _ => Confluent.Kafka.SecurityProtocol.Plaintext,
        };
    }

    public SaslMechanism SaslMechanism()
    {
        if (this[SaslMechanismKey] is { } configured)
        {
            return Enum.Parse<SaslMechanism>(configured.Replace("-", ""), ignoreCase: true);
        }
        return source switch
        {
            StreamSource.Antares => Confluent.Kafka.SaslMechanism.Plain,
            StreamSource.Gcn => Confluent.Kafka.SaslMechanism.OAuthBearer,
            _ => Confluent.Kafka.SaslMechanism.ScramSha512,
        };
    }

    public string? Username(StreamCredentials? own) => own?.Username ?? this[SaslUsernameKey];

    public string? Password(StreamCredentials? own) => own?.Password ?? this[SaslPasswordKey];

    public string? OidcClientId(StreamCredentials? own) => own?.ClientId ?? this[OidcClientIdKey];

    public string? OidcClientSecret(StreamCredentials? own) => own?.ClientSecret ?? this[OidcClientSecretKey];

    /// <summary>
    /// What a subscription of this source still lacks, in words a user can act on, naming the setting (never its value);
    /// empty when it can be consumed.
    /// </summary>
    public IReadOnlyList<string> Missing(IReadOnlyList<string> topics, StreamCredentials? own)
    {
        var missing = new List<string>();
        if (BootstrapServers(topics) is null)
        {
            missing.Add($"the Kafka servers ({Path}:{BootstrapServersKey})");
        }
        if (!IsValidSetting<SecurityProtocol>(SecurityProtocolKey, "_") || !IsValidSetting<SaslMechanism>(SaslMechanismKey, "-"))
        {
            missing.Add($"a valid {Path}:{SecurityProtocolKey} and {Path}:{SaslMechanismKey} (PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL; PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER)");
            return missing;
        }
        var protocol = SecurityProtocol(own);
        if (protocol is not (Confluent.Kafka.SecurityProtocol.SaslSsl or Confluent.Kafka.SecurityProtocol.SaslPlaintext))
        {
            return missing;
        }
        if (SaslMechanism() == Confluent.Kafka.SaslMechanism.OAuthBearer)
        {
            if (OidcClientId(own) is null || OidcClientSecret(own) is null)
            {
                missing.Add($"an OIDC client id and secret (your own, or {Path}:{OidcClientIdKey} and {Path}:{OidcClientSecretKey})");
            }
        }
        else if (Username(own) is null || Password(own) is null)
        {
            missing.Add(source == StreamSource.Antares
                ? $"an ANTARES stream key and secret (your own, or {Path}:{SaslUsernameKey} and {Path}:{SaslPasswordKey})"
                : $"a user name and password (your own, or {Path}:{SaslUsernameKey} and {Path}:{SaslPasswordKey})");
        }
        return missing;
    }

    /// <summary>The consumer group id: Hopskotch's must start with "&lt;username&gt;-"; others take the configured prefix.</summary>
    public string GroupId(string name, StreamCredentials? own)
    {
        var prefix = source == StreamSource.Hopskotch && Username(own) is { } user ? $"{user}-" : this[GroupIdPrefixKey] ?? "tomalerts-";
        return prefix + name;
    }

    /// <summary>The consumer's settings for a subscription's group; credentials are set here and nowhere else (never logged).</summary>
    public ConsumerConfig ConsumerConfig(IReadOnlyList<string> topics, string groupId, StreamCredentials? own)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = BootstrapServers(topics),
            GroupId = groupId,
            SecurityProtocol = SecurityProtocol(own),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        if (config.SecurityProtocol is Confluent.Kafka.SecurityProtocol.SaslSsl or Confluent.Kafka.SecurityProtocol.SaslPlaintext)
        {
            config.SaslMechanism = SaslMechanism();
            if (config.SaslMechanism == Confluent.Kafka.SaslMechanism.OAuthBearer)
            {
                config.SaslOauthbearerMethod = SaslOauthbearerMethod.Oidc;
                config.SaslOauthbearerClientId = OidcClientId(own);
                config.SaslOauthbearerClientSecret = OidcClientSecret(own);
                config.SaslOauthbearerTokenEndpointUrl = this[OidcTokenEndpointKey]
                    ?? (source == StreamSource.Gcn ? "https://auth.gcn.nasa.gov/oauth2/token" : null);
                config.SaslOauthbearerScope = this[OidcScopeKey];
            }
            else
            {
                config.SaslUsername = Username(own);
                config.SaslPassword = Password(own);
            }
        }
        if (this[SslCaLocationKey] is { } ca)
        {
            config.SslCaLocation = ca;
        }
        return config;
    }

    private bool IsValidSetting<T>(string key, string separator) where T : struct, Enum =>
        this[key] is not { } value || Enum.TryParse<T>(value.Replace(separator, ""), ignoreCase: true, out _);
}

/// <summary>The settings of every stream source.</summary>
public sealed class StreamSources(IConfiguration configuration)
{
    public StreamSourceSettings For(StreamSource source) =>
        new(configuration.GetSection(StreamSourceSettings.SectionName(source)), source);
}
