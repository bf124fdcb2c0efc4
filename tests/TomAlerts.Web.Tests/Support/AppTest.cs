namespace TomAlerts.Web.Tests.Support;

/// <summary>Test classes whose every test gets its own in-memory app (<see cref="TomAlertsFactory"/>).</summary>
public abstract class AppTest : AppTest<TomAlertsFactory>;

/// <summary>
/// The base of test classes whose every test gets its own app over a fresh database, with the brokers faked on
/// 127.0.0.1: targets and broker health are global, so tests must not see one another's. <see cref="Arrange"/> sets
/// settings and broker routes before the first request starts the app; the steps of the run flow are one call away.
/// </summary>
public abstract class AppTest<TFactory> : IAsyncLifetime where TFactory : TomAlertsFactory, new()
{
    protected TFactory Factory { get; } = new();

    public virtual async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Factory).InitializeAsync();
        Arrange();
    }

    public virtual Task DisposeAsync() => ((IAsyncLifetime)Factory).DisposeAsync();

    /// <summary>Settings and fake broker routes for every test of the class; the fake brokers are listening already.</summary>
    protected virtual void Arrange()
    {
    }

    /// <summary>A new user logs in, saves a query on <paramref name="broker"/>, runs it and waits until the run ends.</summary>
    protected async Task<(TestUser User, int QueryId, long RunId)> LogInAndRunAsync(string broker, Dictionary<string, string> fields)
    {
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveQueryAsync(user, broker, fields);
        return (user, queryId, await Factory.RunQueryAsync(user, queryId));
    }
}
