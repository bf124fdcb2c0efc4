using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using TomAlerts.Brokers.Resilience;
using TomAlerts.Brokers.Streams;
using TomAlerts.Streams;

namespace TomAlerts.Brokers;

public static class BrokersServiceCollectionExtensions
{
    /// <summary>
    /// Registers the brokers named by TOM_ALERT_CLASSES, each with its own HTTP client and resilience pipeline
    /// (settings in <c>BROKERS:&lt;NAME&gt;:resilience</c>, see <see cref="BrokerResilience"/>). Every HTTP call is
    /// handed to the <see cref="IBrokerCallRecorder"/> the host registers, if any; circuit states are in <see cref="BrokerCircuits"/>.
    /// </summary>
    public static IServiceCollection AddBrokers(this IServiceCollection services, IConfiguration configuration)
    {
        var registrations = BrokerRegistry.Resolve(configuration);
        services.AddMemoryCache();
        services.AddSingleton(TimeProvider.System);
        // One instance for the pipelines' callbacks and the pages that read it.
        var circuits = new BrokerCircuits();
        services.AddSingleton(circuits);
        foreach (var registration in registrations)
        {
            BrokerResilience.Validate(configuration, registration);
            var name = registration.Name;
            var client = services.AddHttpClient(name, http =>
                {
                    http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
                    http.DefaultRequestHeaders.UserAgent.ParseAdd("TomAlerts/1.0");
                })
                .AddHttpMessageHandler(sp => new BrokerDeadlineHandler(sp.GetRequiredService<TimeProvider>()))
                // HttpClient's own trace log hands every request header, a broker's key among them (Lasair's Authorization),
                // to structured logging unredacted; BrokerCallHandler logs each call without headers or query instead.
                .RemoveAllLoggers();
            client.AddStandardResilienceHandler().Configure((options, sp) =>
            {
                var section = Section(sp, name);
                BrokerResilience.Bind(options, section);
                BrokerResilience.AddBehaviour(options, section, registration, circuits, sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BrokerResilience).FullName!));
            });
            // Added after the resilience handler, so it sits inside it and sees each attempt.
            client.AddHttpMessageHandler(sp =>
            {
                var section = Section(sp, name);
                var options = new HttpStandardResilienceOptions();
                BrokerResilience.Bind(options, section);
                return new BrokerCallHandler(name, sp.GetService<IBrokerCallRecorder>(), sp.GetRequiredService<TimeProvider>(),
                    SecretMask.For(section), options.AttemptTimeout.Timeout, sp.GetRequiredService<ILoggerFactory>().CreateLogger<BrokerCallHandler>());
            });
        }
        services.AddSingleton(sp => new BrokerRegistry(registrations, sp));

        // Kafka stream payloads decoded to the brokers' own shapes, one decoder per stream source.
        services.AddSingleton<IStreamDecoder, KafkaJsonDecoder>();
        services.AddSingleton<IStreamDecoder, Lasair.LasairStreamDecoder>();
        services.AddSingleton<IStreamDecoder, Fink.FinkStreamDecoder>();
        services.AddSingleton<IStreamDecoder, Antares.AntaresStreamDecoder>();
        services.AddSingleton<IStreamDecoder, Hermes.HopskotchStreamDecoder>();
        services.AddSingleton<IStreamDecoder, Gcn.GcnStreamDecoder>();
        services.AddSingleton<StreamDecoders>();
        return services;
    }

    private static IConfigurationSection Section(IServiceProvider services, string broker) =>
        services.GetRequiredService<IConfiguration>().GetSection(BrokerSettings.SectionName(broker));
}
