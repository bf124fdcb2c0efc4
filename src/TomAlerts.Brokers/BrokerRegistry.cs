using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace TomAlerts.Brokers;

/// <summary>
/// The installed brokers, from <c>TOM_ALERT_CLASSES</c> (full type names, as TOM's dotted paths), in configured order.
/// Brokers are created per use with their own HTTP client, named after the broker.
/// </summary>
public sealed class BrokerRegistry
{
    public const string SettingName = "TOM_ALERT_CLASSES";

    /// <summary>The brokers installed when <c>TOM_ALERT_CLASSES</c> is not set; the only place this list is kept.</summary>
    public static readonly IReadOnlyList<string> DefaultClasses =
    [
        typeof(Alerce.AlerceBroker).FullName!,
        typeof(Gaia.GaiaBroker).FullName!,
        typeof(Lasair.LasairBroker).FullName!,
        typeof(Tns.TnsBroker).FullName!,
        typeof(Antares.AntaresBroker).FullName!,
        typeof(Fink.FinkBroker).FullName!,
        typeof(Hermes.HermesBroker).FullName!,
    ];

    private readonly Dictionary<string, BrokerRegistration> _byName;
    private readonly IServiceProvider _services;

    public BrokerRegistry(IReadOnlyList<BrokerRegistration> registrations, IServiceProvider services)
    {
        Registrations = registrations;
        _byName = registrations.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
        _services = services;
    }

    public IReadOnlyList<BrokerRegistration> Registrations { get; }

    public IReadOnlyList<string> Names => Registrations.Select(r => r.Name).ToList();

    /// <summary>The installed brokers that have the optional capability <typeparamref name="TCapability"/>, in configured order, none of them created.</summary>
    public IReadOnlyList<string> NamesOf<TCapability>() where TCapability : class =>
        Registrations.Where(r => r.Can<TCapability>()).Select(r => r.Name).ToList();

    /// <summary>The installed naming authorities (<see cref="BrokerAttribute.NamesObjects"/>), whose class beats any other broker's.</summary>
    public IReadOnlyList<string> NamingAuthorities => Registrations.Where(r => r.Attribute.NamesObjects).Select(r => r.Name).ToList();

    /// <summary>Every installed broker by name, in configured order (TOM's get_service_classes).</summary>
    public IReadOnlyDictionary<string, IBroker> GetServiceClasses() =>
        Registrations.ToDictionary(r => r.Name, Create, StringComparer.OrdinalIgnoreCase);

    /// <summary>The broker named <paramref name="name"/>; <see cref="BrokerNotFoundException"/> when none is installed.</summary>
    public IBroker GetServiceClass(string? name) =>
        TryGet(name, out var broker) ? broker : throw new BrokerNotFoundException(name);

    public bool TryGet(string? name, out IBroker broker)
    {
        if (name is not null && _byName.TryGetValue(name, out var registration))
        {
            broker = Create(registration);
            return true;
        }
        broker = null!;
        return false;
    }

    private IBroker Create(BrokerRegistration registration)
    {
        var http = _services.GetRequiredService<IHttpClientFactory>().CreateClient(registration.Name);
        var settings = new BrokerSettings(_services.GetRequiredService<IConfiguration>().GetSection(BrokerSettings.SectionName(registration.Name)), registration.Attribute)
        {
            Circuits = _services.GetService<Resilience.BrokerCircuits>(),
        };
        if (settings.BaseUrl is { } baseUrl)
        {
            http.BaseAddress = baseUrl;
        }
        return (IBroker)ActivatorUtilities.CreateInstance(_services, registration.Type, http, settings);
    }

    /// <summary>Resolves the configured class names; an entry that names no broker type stops the app with that entry named.</summary>
    public static IReadOnlyList<BrokerRegistration> Resolve(IConfiguration configuration)
    {
        var section = configuration.GetSection(SettingName);
        var names = section.Get<string[]>() ?? (section.Value is { Length: > 0 } single ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null);
        var classes = names is { Length: > 0 } ? names : DefaultClasses;
        var registrations = new List<BrokerRegistration>();
        foreach (var className in classes)
        {
            var type = FindType(className);
            if (type is null || !typeof(IBroker).IsAssignableFrom(type) || type.IsAbstract || type.GetCustomAttribute<BrokerAttribute>() is null)
            {
                throw new BrokerConfigurationException($"{SettingName} entry '{className}' names no broker type.");
            }
            var attribute = type.GetCustomAttribute<BrokerAttribute>()!;
            if (registrations.Any(r => string.Equals(r.Name, attribute.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new BrokerConfigurationException($"{SettingName} entry '{className}' repeats the broker name '{attribute.Name}'.");
            }
            registrations.Add(new BrokerRegistration(attribute.Name, type, attribute));
        }
        return registrations;
    }

    private static Type? FindType(string className) =>
        typeof(BrokerRegistry).Assembly.GetType(className)
        ?? Type.GetType(className)
        ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(className)).FirstOrDefault(t => t is not null);
}

/// <summary>An installed broker class: what can be known of it without creating it.</summary>
public sealed record BrokerRegistration(string Name, Type Type, BrokerAttribute Attribute)
{
    public bool IsStub => typeof(Stubs.StubBroker).IsAssignableFrom(Type);

    /// <summary>Whether the broker implements the optional capability <typeparamref name="TCapability"/> (e.g. <see cref="IConeSearchable"/>).</summary>
    public bool Can<TCapability>() where TCapability : class => typeof(TCapability).IsAssignableFrom(Type);
}

public sealed class BrokerNotFoundException(string? name)
    : Exception($"No broker named {name} is configured.")
{
    public string? BrokerName { get; } = name;
}

public sealed class BrokerConfigurationException(string message) : Exception(message);
