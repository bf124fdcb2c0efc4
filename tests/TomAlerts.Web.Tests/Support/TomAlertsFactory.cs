using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Tests.Support;

public enum TestDatabase
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The whole app in-process over a fresh database (a SQLite file, or a fresh PostgreSQL database when the test says so),
/// with every broker pointed at a <see cref="FakeBrokerServer"/> on 127.0.0.1.
/// </summary>
public class TomAlertsFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string LasairKey = "lasair-test-key-0123456789";
    public const string LasairLsstKey = "lasair-lsst-test-key-9876543210";
    public const string TnsKey = "tns-test-key-abcdef";
    public const string HermesKey = "hermes-test-token-1a2b3c";

    private readonly string _sqlitePath = Path.Combine(Path.GetTempPath(), $"tomalerts-test-{Guid.NewGuid():N}.db");

    /// <summary>The SQLite database file the app was given (it creates it).</summary>
    public string SqlitePath => _sqlitePath;
    private readonly string _stampsFolder = Path.Combine(Path.GetTempPath(), $"tomalerts-test-stamps-{Guid.NewGuid():N}");
    private readonly string? _postgres;
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);
    private readonly List<Action<IServiceCollection>> _testServices = [];

    public TomAlertsFactory() : this(TestDatabase.Sqlite, kestrel: false) { }

    protected TomAlertsFactory(TestDatabase database, bool kestrel)
    {
        Database = database;
        if (database == TestDatabase.Postgres)
        {
            var server = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)
                ?? throw new InvalidOperationException($"{PostgresFactAttribute.Variable} is not set.");
            _postgres = new NpgsqlConnectionStringBuilder(server) { Database = $"tomalerts_test_{Guid.NewGuid():N}" }.ConnectionString;
        }
        if (kestrel)
        {
            UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        }
    }

    public TestDatabase Database { get; }

    public FakeBrokerServer Brokers { get; private set; } = null!;

    /// <summary>Extra configuration for the app; set before the first request.</summary>
    public IDictionary<string, string?> Settings => _settings;

    /// <summary>Additions to the app's services, applied after its own registrations; set before the first request.</summary>
    public IList<Action<IServiceCollection>> TestServices => _testServices;

    public string BaseUrl
    {
        get
        {
            StartServer();
            return Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        }
    }

    public async Task InitializeAsync() => Brokers = await FakeBrokerServer.StartAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseStaticWebAssets();
        if (_postgres is not null)
        {
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Default", _postgres);
        }
        else
        {
            builder.UseSetting("ConnectionStrings:Default", $"Data Source={_sqlitePath}");
        }
        builder.UseSetting("Serilog:WriteTo:1:Name", "Console");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("BROKERS:ALERCE:base_url", Brokers.Url + "/alerce");
        builder.UseSetting("BROKERS:ALERCE:lsst_base_url", Brokers.Url + FakeAlerce.LsstPrefix);
        builder.UseSetting("BROKERS:ALERCE:stamps_base_url", Brokers.Url + FakeAlerce.StampsPrefix);
        builder.UseSetting("Stamps:CacheFolder", _stampsFolder);
        builder.UseSetting("BROKERS:FINK:base_url", Brokers.Url + FakeFink.ZtfPrefix);
        builder.UseSetting("BROKERS:FINK:lsst_base_url", Brokers.Url + FakeFink.LsstPrefix);
        builder.UseSetting("BROKERS:GAIA:base_url", Brokers.Url + "/gaia");
        builder.UseSetting("BROKERS:LASAIR:base_url", Brokers.Url + "/lasair");
        builder.UseSetting("BROKERS:LASAIR:api_key", LasairKey);
        builder.UseSetting("BROKERS:LASAIR:lsst_base_url", Brokers.Url + FakeLasairLsst.Prefix + "/api");
        builder.UseSetting("BROKERS:LASAIR:lsst_api_key", LasairLsstKey);
        builder.UseSetting("BROKERS:ANTARES:base_url", Brokers.Url + FakeAntares.Prefix);
        builder.UseSetting("BROKERS:HERMES:base_url", Brokers.Url + FakeHermes.Prefix + "/");
        builder.UseSetting("BROKERS:HERMES:api_key", HermesKey);
        builder.UseSetting("BROKERS:TNS:tns_base_url", Brokers.Url + "/tns/api");
        builder.UseSetting("BROKERS:TNS:api_key", TnsKey);
        builder.UseSetting("BROKERS:TNS:bot_id", "12345");
        builder.UseSetting("BROKERS:TNS:bot_name", "tomalerts_test_bot");
        builder.UseSetting("BROKERS:TNS:group_name", "TomAlerts Test Group");
        builder.UseSetting("BROKERS:TNS:reporter", "A. Observer (Example Univ.)");
        foreach (var broker in new[] { "ALERCE", "FINK", "GAIA", "HERMES", "LASAIR", "TNS", "ANTARES" })
        {
            builder.UseSetting($"BROKERS:{broker}:resilience:Retry:Delay", "00:00:00.010");
        }
        // Most tests are about one team's work, so every test user joins the team group and shares their targets there
        // (a supported setting); tests about who sees what clear it (TestGroups.Personal) to get the product's default.
        builder.UseSetting("Groups:DefaultGroups:0", TestGroups.Team);
        // No test reaches a real Kafka server: every stream source points at a closed port here unless a test gives its mock cluster.
        foreach (var source in Enum.GetNames<TomAlerts.Streams.StreamSource>())
        {
            builder.UseSetting($"STREAMS:{source.ToUpperInvariant()}:bootstrap_servers", "127.0.0.1:9");
        }
        // Tests register and call the API far faster than a person; tests of the limits set their own.
        builder.UseSetting("RateLimits:Login:PermitsPerMinute", "0");
        builder.UseSetting("RateLimits:Api:PermitsPerMinute", "0");
        builder.UseSetting("Account:LoginDelays", "false"); // the in-process server gives every test one client address
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            foreach (var configure in _testServices)
            {
                configure(services);
            }
        });
    }

    /// <summary>A client with its own cookies, logged in as a newly registered user (an admin when asked).</summary>
    public async Task<TestUser> LoginAsync(bool admin = false, string? email = null)
    {
        email ??= $"astro-{Guid.NewGuid():N}@example.org";
        if (admin)
        {
            await using var scope = Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = new IdentityUser { UserName = email, Email = email };
            Assert.True((await users.CreateAsync(user, TestUser.Password)).Succeeded);
            await users.AddToRoleAsync(user, IdentityExtensions.AdminRole);
            await scope.ServiceProvider.GetRequiredService<TomAlerts.Web.Features.Groups.GroupDirectory>().SetUpNewUserAsync(user.Id, CancellationToken.None);
        }
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = new PageSession(client);
        using var response = admin ? await page.LogInAsync(email) : await page.RegisterAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var s = Services.CreateAsyncScope();
        var id = (await s.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByEmailAsync(email))!.Id;
        return new TestUser(email, id, page);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        // Stop the app (its runs and schedules) first, then drop its database.
        await DisposeAsync();
        await Brokers.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (_postgres is not null)
        {
            var database = new NpgsqlConnectionStringBuilder(_postgres).Database;
            await using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_postgres) { Database = "postgres", Pooling = false }.ConnectionString);
            try
            {
                await server.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", server);
                await drop.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
            }
        }
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_sqlitePath + suffix);
        }
        if (Directory.Exists(_stampsFolder))
        {
            Directory.Delete(_stampsFolder, recursive: true);
        }
    }
}
