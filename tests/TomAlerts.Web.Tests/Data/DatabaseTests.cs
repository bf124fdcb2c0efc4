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
    public async Task Sqlite_EveryConnection_SyncsAtNormal_NewHandlesAndPooledOnesAlike()
    {
        var modes = new List<long?>();
        for (var i = 0; i < 4; i++)
        {
            if (i == 2)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // fresh handles: the pragma must be set on them too
            }
            modes.Add(await factory.WithDbAsync(async db =>
            {
                await db.Database.OpenConnectionAsync();
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA synchronous;";
                return (long?)await command.ExecuteScalarAsync();
            }));
        }

        Assert.All(modes, mode => Assert.Equal(1L, mode)); // 1 = NORMAL (the default in WAL would be 2 = FULL)
    }

    [Fact]
    public async Task Photometry_SamePointTwice_IsRejectedByTheUniqueIndex() =>
        await PersistenceChecks.PhotometryIsUniqueAsync(factory);

    [Fact]
    public async Task BulkInsert_StoresEachColumnAsEfCoreDoes() =>
        await PersistenceChecks.BulkInsertStoresAsEfCoreDoesAsync(factory);

    [Fact]
    public async Task PhotometryMerger_FluxPointTwice_StoresItsFluxOnceAndAddsNothingTheSecondTime() =>
        await PersistenceChecks.FluxPointMergesOnceAsync(factory);

    [Fact]
    public async Task PhotometryMerger_KindSurveyAndSourceId_RoundTrip() =>
        await PersistenceChecks.KindSurveyAndSourceIdRoundTripAsync(factory);

    [Fact]
    public async Task PhotometryMerger_SameMeasurementFromTwoBrokers_IsOnePointWithTwoSources() =>
        await PersistenceChecks.SameMeasurementFromTwoBrokersIsOnePointAsync(factory);
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
    public async Task BulkInsert_StoresEachColumnAsEfCoreDoes() =>
        await PersistenceChecks.BulkInsertStoresAsEfCoreDoesAsync(_factory);

    [PostgresFact]
    public async Task PhotometryMerger_FluxPointTwice_StoresItsFluxOnceAndAddsNothingTheSecondTime() =>
        await PersistenceChecks.FluxPointMergesOnceAsync(_factory);

    [PostgresFact]
    public async Task PhotometryMerger_KindSurveyAndSourceId_RoundTrip() =>
        await PersistenceChecks.KindSurveyAndSourceIdRoundTripAsync(_factory);

    [PostgresFact]
    public async Task PhotometryMerger_SameMeasurementFromTwoBrokers_IsOnePointWithTwoSources() =>
        await PersistenceChecks.SameMeasurementFromTwoBrokersIsOnePointAsync(_factory);
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

    /// <summary>
    /// A row written by the bulk insert (its own statement on SQLite, a binary COPY on PostgreSQL) holds in every column
    /// what EF Core writes for the same values — dates to the microsecond, enums, flags, nulls — so queries with EF's
    /// parameters find it.
    /// </summary>
    public static async Task BulkInsertStoresAsEfCoreDoesAsync(TomAlertsFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var target = await NewTargetAsync(db, "B");
        var when = new DateTime(2026, 3, 11, 3, 37, 51, DateTimeKind.Utc).AddTicks(1_234_560);
        Photometry Point(string source) => new()
        {
            TargetId = target.Id, Source = source, SourceLocation = "ZTF23abtfusv", Timestamp = when, Bandpass = "g", Magnitude = 19.123456789012,
            MagnitudeError = null, Limit = 20.5, Telescope = "ZTF", Flux = -310.5, FluxUnit = "nJy", Kind = PhotometryKind.Forced, Survey = "LSST", SourceId = "169298433216610349",
        };
        db.Photometry.Add(Point("EF"));
        await db.SaveChangesAsync();
        await BulkInsert.InsertAsync(db, [Point("bulk")], CancellationToken.None);

        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = """SELECT * FROM "Photometry" WHERE "TargetId" = """ + target.Id + """ ORDER BY "Source" """;
        var rows = new List<Dictionary<string, object>>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Where(i => reader.GetName(i) is not ("Id" or "Source")).ToDictionary(reader.GetName, reader.GetValue));
            }
        }
        Assert.Equal(2, rows.Count);
        Assert.Equal(rows[1], rows[0]);
        Assert.Equal(2, await db.Photometry.CountAsync(p => p.TargetId == target.Id && p.Timestamp == when && p.Kind == PhotometryKind.Forced && p.MagnitudeError == null));
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

    private static async Task<Target> NewTargetAsync(AppDbContext db, string prefix)
    {
        var target = new Target { Name = $"{prefix}{Guid.NewGuid():N}"[..20], NormalizedName = prefix.ToLowerInvariant(), Created = DateTime.UtcNow, Modified = DateTime.UtcNow };
        target.Aliases.Add(new TargetName { Name = $"ZTF{Guid.NewGuid():N}"[..20], NormalizedName = "z", Survey = SurveyIds.Ztf, Created = DateTime.UtcNow });
        db.Targets.Add(target);
        await db.SaveChangesAsync();
        return target;
    }

    /// <summary>Through the bulk insert (a binary COPY on PostgreSQL): kind, survey and survey source id are stored and read back; so is an alias's survey.</summary>
    public static async Task KindSurveyAndSourceIdRoundTripAsync(TomAlertsFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var merger = scope.ServiceProvider.GetRequiredService<PhotometryMerger>();
        var target = await NewTargetAsync(db, "K");
        var when = new DateTime(2026, 3, 11, 3, 37, 51, 862, DateTimeKind.Utc);
        PhotometryPoint[] points =
        [
            new() { Timestamp = when, Bandpass = "u", Magnitude = 22.9, MagnitudeError = 0.05, Flux = 2459.35, FluxError = 120, FluxUnit = "nJy",
                Kind = PhotometryKind.Detection, Survey = "LSST", SourceId = "169298433216610349" },
            new() { Timestamp = when.AddDays(1), Bandpass = "y", Limit = 23.5, Flux = -310.5, FluxError = 150, FluxUnit = "nJy",
                Kind = PhotometryKind.Forced, Survey = "LSST", SourceId = "169298433216610350" },
            new() { Timestamp = when.AddDays(2), Bandpass = "g", Limit = 20.1, Survey = "ZTF" }, // a limit the broker left as a detection
        ];

        var added = await merger.MergeAsync(target.Id, "ALeRCE", "169298433216610349", points, CancellationToken.None);
        var again = await merger.MergeAsync(target.Id, "ALeRCE", "169298433216610349", points, CancellationToken.None);

        Assert.Equal((3, 0), (added, again));
        var stored = await db.Photometry.AsNoTracking().Where(p => p.TargetId == target.Id).OrderBy(p => p.Timestamp).ToListAsync();
        Assert.Equal([PhotometryKind.Detection, PhotometryKind.Forced, PhotometryKind.Limit], stored.Select(p => p.Kind));
        Assert.Equal(["LSST", "LSST", "ZTF"], stored.Select(p => p.Survey));
        Assert.Equal(["169298433216610349", "169298433216610350", null], stored.Select(p => p.SourceId));
        Assert.Equal((-310.5, 150.0, (double?)null), (stored[1].Flux, stored[1].FluxError, stored[1].Magnitude));
        Assert.All(stored, p => Assert.Null(p.OtherSources));
        var alias = await db.TargetNames.AsNoTracking().SingleAsync(a => a.TargetId == target.Id);
        Assert.Equal("ZTF", alias.Survey);
    }

    /// <summary>Two brokers, one ZTF candid: one row, both brokers named; the second broker's other points are added, re-merging changes nothing.</summary>
    public static async Task SameMeasurementFromTwoBrokersIsOnePointAsync(TomAlertsFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var merger = scope.ServiceProvider.GetRequiredService<PhotometryMerger>();
        var target = await NewTargetAsync(db, "D");
        var when = new DateTime(2023, 10, 23, 9, 53, 46, 176, DateTimeKind.Utc);
        PhotometryPoint Point(string candid, double days, double magnitude) => new()
        {
            Timestamp = when.AddDays(days), Bandpass = "g", Magnitude = magnitude, MagnitudeError = 0.1, Survey = "ZTF", SourceId = candid, Telescope = "ZTF",
        };

        var fromAlerce = await merger.MergeAsync(target.Id, "ALeRCE", "ZTF23abtfusv", [Point("2480409822315015004", 0, 19.1)], CancellationToken.None);
        // Lasair reports the same candid (its time rounded differently), and one point ALeRCE did not have.
        var fromLasair = await merger.MergeAsync(target.Id, "Lasair", "ZTF23abtfusv",
            [Point("2480409822315015004", 0.00001, 19.1), Point("2481409822315015005", 1, 18.9)], CancellationToken.None);
        var lasairAgain = await merger.MergeAsync(target.Id, "Lasair", "ZTF23abtfusv",
            [Point("2480409822315015004", 0.00001, 19.1), Point("2481409822315015005", 1, 18.9)], CancellationToken.None);
        var alerceAgain = await merger.MergeAsync(target.Id, "ALeRCE", "ZTF23abtfusv", [Point("2480409822315015004", 0, 19.1)], CancellationToken.None);
        // A candid is unique within its survey only: the same text from another survey is another point.
        var otherSurvey = await merger.MergeAsync(target.Id, "Fink", "x", [Point("2480409822315015004", 2, 18.0) with { Survey = "LSST" }], CancellationToken.None);

        Assert.Equal((1, 1, 0, 0, 1), (fromAlerce, fromLasair, lasairAgain, alerceAgain, otherSurvey));
        var stored = await db.Photometry.AsNoTracking().Where(p => p.TargetId == target.Id).OrderBy(p => p.Timestamp).ToListAsync();
        Assert.Equal(3, stored.Count);
        Assert.Equal(["ALeRCE", "Lasair"], stored[0].Sources);
        Assert.Equal(["Lasair"], stored[1].Sources);
        Assert.Equal(["Fink"], stored[2].Sources);
    }
}
