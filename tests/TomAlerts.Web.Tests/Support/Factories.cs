using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Web.Tests.Resilience;

namespace TomAlerts.Web.Tests.Support;

// Every variant of the app the tests start, beside one another; TomAlertsFactory itself is the in-memory app over SQLite.

/// <summary>The whole app behind a real Kestrel server on a random 127.0.0.1 port: for a real browser, or a client over TCP as an outside script.</summary>
public sealed class KestrelFactory() : TomAlertsFactory(TestDatabase.Sqlite, kestrel: true);

/// <summary>The app over a fresh PostgreSQL database (TOMALERTS_PG names the server).</summary>
public sealed class PostgresFactory() : TomAlertsFactory(TestDatabase.Postgres, kestrel: false);

/// <summary>One app instance of a cluster on PostgreSQL; a second one joins it by being given the first one's database.</summary>
public sealed class ClusterNodeFactory() : TomAlertsFactory(TestDatabase.Postgres, kestrel: false)
{
    public string ConnectionString => Services.GetRequiredService<IConfiguration>().GetConnectionString("Default")!;
}

/// <summary>The app behind Kestrel with fast broker timeouts, and ALeRCE's circuit quick to open.</summary>
public sealed class HealthBrowserFactory : TomAlertsFactory
{
    public HealthBrowserFactory() : base(TestDatabase.Sqlite, kestrel: true)
    {
        this.WithFastBrokers();
        Settings["BROKERS:ALERCE:resilience:CircuitBreaker:MinimumThroughput"] = "2";
        Settings["BROKERS:ALERCE:resilience:CircuitBreaker:BreakDuration"] = "00:05:00";
    }
}

/// <summary>The app over one database with fast broker timeouts, and one user, shared by a broker's fault cases.</summary>
public sealed class FaultFixture : TomAlertsFactory
{
    private TestUser? _user;

    public FaultFixture() => this.WithFastBrokers();

    public async Task<TestUser> UserAsync() => _user ??= await LoginAsync();
}

/// <summary>The app with the built-in brokers and a broker plugin installed only as a stub.</summary>
public sealed class PluginStubFactory : TomAlertsFactory
{
    public PluginStubFactory()
    {
        var classes = TomAlerts.Brokers.BrokerRegistry.DefaultClasses.Append(typeof(TomAlerts.Tests.PluginStubBroker).FullName!).ToList();
        for (var i = 0; i < classes.Count; i++)
        {
            Settings[$"TOM_ALERT_CLASSES:{i}"] = classes[i];
        }
    }
}
