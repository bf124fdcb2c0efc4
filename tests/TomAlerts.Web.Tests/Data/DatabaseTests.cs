using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Targets;
using TomAlerts.Web.Features.LightCurves;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Data;

public class SqliteDatabaseTests(TomAlertsFactory factory) : IClassFixture<TomAlertsFactory>
{
    [Fact]
    public async Task Model_HasNoChangesWithoutAMigration_OnSqlite()
    {
        var pending = await factory.WithDbAsync(db => Task.FromResult(db.Database.HasPendingModelChanges()));

        Assert.False(pending, "The model changed without a SQLite migration: dotnet ef migrations add <Name> --project src/TomAlerts.Data --startup-project src/TomAlerts.Web --context AppDbContext --output-dir Migrations/Sqlite");
    }

    [Fact]
    public async Task Startup_Sqlite_RunsInWalMode()
    {
        var mode = await factory.WithDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            return (string?)await command.ExecuteScalarAsync();
        });

        Assert.Equal("wal", mode);
    }

    [Fact]
    public async Task Photometry_SamePointTwice_IsRejectedByTheUniqueIndex() =>
        await PersistenceChecks.PhotometryIsUniqueAsync(factory);

    [Fact]
    public async Task PhotometryMerger_FluxPointTwice_StoresItsFluxOnceAndAddsNothingTheSecondTime() =>
        await PersistenceChecks.FluxPointMergesOnceAsync(factory);
}

public class PostgresDatabaseTests : IAsyncLifetime
{
    private readonly PostgresFactory _factory = new();

    public Task InitializeAsync() => Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable) is null ? Task.CompletedTask : ((IAsyncLifetime)_factory).InitializeAsync();

    public async Task DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable) is not null)
        {
            await ((IAsyncLifetime)_factory).DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task Model_HasNoChangesWithoutAMigration_OnPostgres()
    {
        var (provider, pending) = await _factory.WithDbAsync(db => Task.FromResult((db.Database.ProviderName, db.Database.HasPendingModelChanges())));

        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", provider);
        Assert.False(pending, "The model changed without a PostgreSQL migration (see docs/decisions and README).");
    }

    [PostgresFact]
    public async Task SavedQuery_ThroughThePages_IsStoredInPostgres()
    {
        var user = await _factory.LoginAsync();

        using var response = await user.Page.PostFormAsync("/alerts/query/create/?broker=Gaia", "/alerts/query/create/",
            new() { ["broker"] = "Gaia", ["query_name"] = "postgres query", ["target_name"] = "Gaia23", ["visibility"] = "Private" });
        var saved = await _factory.WithDbAsync(db => db.BrokerQueries.AsNoTracking().SingleAsync(q => q.Name == "postgres query"));
        var (_, list) = await user.Page.GetAsync("/alerts/query/list/?name=POSTGRES");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(QueryVisibility.Private, saved.Visibility);
        Assert.Equal(DateTimeKind.Utc, saved.Created.Kind);
        Assert.Contains("postgres query", list, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Photometry_SamePointTwice_IsRejectedByTheUniqueIndex() =>
        await PersistenceChecks.PhotometryIsUniqueAsync(_factory);

    [PostgresFact]
    public async Task PhotometryMerger_FluxPointTwice_StoresItsFluxOnceAndAddsNothingTheSecondTime() =>
        await PersistenceChecks.FluxPointMergesOnceAsync(_factory);
}

internal static class PersistenceChecks
{
    public static async Task PhotometryIsUniqueAsync(TomAlertsFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var target = new Target { Name = $"T{Guid.NewGuid():N}"[..20], NormalizedName = "x", Created = DateTime.UtcNow, Modified = DateTime.UtcNow };
        db.Targets.Add(target);
        await db.SaveChangesAsync();
        var when = new DateTime(2023, 10, 23, 9, 53, 46, 176, DateTimeKind.Utc);
        Photometry Point() => new() { TargetId = target.Id, Source = "ALeRCE", SourceLocation = "ZTF23abtfusv", Timestamp = when, Bandpass = "g", Magnitude = 19.1 };
        db.Photometry.Add(Point());
        await db.SaveChangesAsync();

        db.Photometry.Add(Point());

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        var stored = await db.Photometry.SingleAsync(p => p.TargetId == target.Id);
        Assert.Equal(when, stored.Timestamp);
    }

    /// <summary>Through the bulk insert (a binary COPY on PostgreSQL): the flux columns are written, and the key stays source, band and time.</summary>
    public static async Task FluxPointMergesOnceAsync(TomAlertsFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var merger = scope.ServiceProvider.GetRequiredService<PhotometryMerger>();
        var target = new Target { Name = $"F{Guid.NewGuid():N}"[..20], NormalizedName = "f", Created = DateTime.UtcNow, Modified = DateTime.UtcNow };
        db.Targets.Add(target);
        await db.SaveChangesAsync();
        var when = new DateTime(2026, 3, 11, 3, 37, 51, 862, DateTimeKind.Utc);
        PhotometryPoint Point(double flux) => new()
        {
            Timestamp = when, Bandpass = "i", Magnitude = 22.389, MagnitudeError = 0.0411, Flux = flux, FluxError = 0.000152332, FluxUnit = "mJy", Telescope = "Rubin",
        };

        var first = await merger.MergeAsync(target.Id, "TNS", "2023vjq", [Point(0.004021704)], CancellationToken.None);
        var second = await merger.MergeAsync(target.Id, "TNS", "2023vjq", [Point(0.004021704)], CancellationToken.None);
        var differentFlux = await merger.MergeAsync(target.Id, "TNS", "2023vjq", [Point(0.005)], CancellationToken.None);

        Assert.Equal((1, 0, 0), (first, second, differentFlux));
        var stored = await db.Photometry.AsNoTracking().SingleAsync(p => p.TargetId == target.Id);
        Assert.Equal((0.004021704, 0.000152332, "mJy", 22.389), (stored.Flux, stored.FluxError, stored.FluxUnit, stored.Magnitude));
    }
}
