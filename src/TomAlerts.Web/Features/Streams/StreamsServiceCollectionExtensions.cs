namespace TomAlerts.Web.Features.Streams;

public static class StreamsServiceCollectionExtensions
{
    /// <summary>Kafka alert streams: the sources' settings (STREAMS:&lt;SOURCE&gt;), the subscriptions with their pages and API, and the consumers (section "Streams").</summary>
    public static IServiceCollection AddTomAlertsStreams(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StreamsOptions>().Bind(configuration.GetSection("Streams"))
            .Validate(o => o.FollowUpWindowSeconds >= 1, "Streams:FollowUpWindowSeconds must be at least 1.")
            .Validate(o => o.BatchSize is >= 1 and <= 100_000, "Streams:BatchSize must be between 1 and 100000.")
            .Validate(o => o.BatchMaxWaitMilliseconds is >= 1 and <= 60_000, "Streams:BatchMaxWaitMilliseconds must be between 1 and 60000.")
            .Validate(o => o.ScanSeconds >= 1, "Streams:ScanSeconds must be at least 1.")
            .Validate(o => o.LeaseSeconds >= 3 * o.ScanSeconds, "Streams:LeaseSeconds must be at least three times Streams:ScanSeconds, so a lease is renewed before it expires.")
            .Validate(o => o.StatsSeconds >= 1, "Streams:StatsSeconds must be at least 1.")
            .Validate(o => o.QueuedMaxMessagesKbytes is >= 1024 and <= 2_097_151, "Streams:QueuedMaxMessagesKbytes must be between 1024 and 2097151.")
            .Validate(o => o.FetchMaxBytes is >= 1024 * 1024 and <= 100_000_000, "Streams:FetchMaxBytes must be between 1 MiB and 100 MB.")
            .Validate(o => o.SessionTimeoutSeconds is >= 6 and <= 300, "Streams:SessionTimeoutSeconds must be between 6 and 300.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.InstanceId) && o.InstanceId.Length <= 200, "Streams:InstanceId must be 1 to 200 characters.")
            .ValidateOnStart();
        services.AddSingleton<StreamSources>();
        services.AddSingleton<StreamCredentialProtector>();
        services.AddScoped<StreamRunStore>();
        services.AddHostedService<StreamWorker>();
        services.AddScoped<StreamSubscriptions>();
        return services;
    }
}
