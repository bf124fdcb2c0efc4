using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Web.Features.Groups;
using TomAlerts.Web.Features.LightCurves;
using TomAlerts.Web.Features.Notifications;
using TomAlerts.Web.Features.Runs;
using TomAlerts.Web.Features.Streams;
using TomAlerts.Web.Features.Targets;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Bench;

/// <summary>
/// TomAlerts' own services (database, brokers, runs, targets) over a fresh database, with ALeRCE served by a
/// loopback fake that pages like the real API. Nothing here is the web pipeline: the figures are the engine's.
/// </summary>
internal sealed class BenchApp : IAsyncDisposable
{
    private readonly WebApplication _fakeAlerce;
    private readonly string? _sqliteFile;
    private readonly IHost _host;

    private BenchApp(IHost host, WebApplication fakeAlerce, string? sqliteFile, string description)
    {
        _host = host;
        _fakeAlerce = fakeAlerce;
        _sqliteFile = sqliteFile;
        Description = description;
    }

    public string Description { get; }

    /// <summary>How many objects the fake ALeRCE has for the next run.</summary>
    public static int AlertsToServe { get; set; }

    public IServiceProvider Services => _host.Services;

    /// <summary>The connection string the app uses (for a child web process over the same database).</summary>
    public required string ConnectionString { get; init; }

    public required string Provider { get; init; }

    /// <summary>Keep the SQLite file on dispose (for bench/load-pages.sh).</summary>
    public bool Keep { get; set; }

    public static async Task<BenchApp> CreateAsync(string provider, string? connection, string? sqliteFile = null,
        IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var fake = await StartFakeAlerceAsync();
        var fakeUrl = fake.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        string? file = null;
        var settings = new Dictionary<string, string?>
        {
            ["BROKERS:ALERCE:base_url"] = fakeUrl + "/alerce",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        if (provider == "postgres")
        {
            settings["Database:Provider"] = "Postgres";
            settings["ConnectionStrings:Default"] = connection ?? throw new ArgumentException("--connection is required with --provider postgres");
        }
        else
        {
            // A fresh file under /tmp, or the file named with --db as it is (a seeded one is measured again without seeding).
            file = sqliteFile is null ? Path.Combine(Path.GetTempPath(), $"tomalerts-bench-{Guid.NewGuid():N}.db") : Path.GetFullPath(sqliteFile);
            settings["ConnectionStrings:Default"] = $"Data Source={file}";
        }
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddTomAlertsData(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddBrokers(builder.Configuration);
        builder.Services.AddTomAlertsIdentity();
        builder.Services.AddTomAlertsGroups(builder.Configuration);
        builder.Services.AddTomAlertsRuns(builder.Configuration);
        builder.Services.AddTomAlertsTargets(builder.Configuration);
        builder.Services.AddTomAlertsLightCurves();
        builder.Services.AddTomAlertsNotifications(builder.Configuration);
        builder.Services.AddTomAlertsStreams(builder.Configuration);
        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (provider == "postgres")
            {
                await db.Database.EnsureDeletedAsync();
            }
            await DatabaseMigrator.MigrateAsync(db);
        }
        return new BenchApp(host, fake, file, provider == "postgres" ? "PostgreSQL" : "SQLite (WAL)")
        {
            ConnectionString = settings["ConnectionStrings:Default"]!, Provider = provider,
        };
    }

    /// <summary>ALeRCE's /objects/ paging: <c>count</c> objects shaped like the real list items; any light curve has 100 points.</summary>
    private static async Task<WebApplication> StartFakeAlerceAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/alerce/objects/", async (HttpContext context, int page, int page_size) =>
        {
            // Pages are serialised before the clock starts, so the figures are TomAlerts' work, not the fake's.
            var body = Pages.GetOrAdd((AlertsToServe, page, page_size), key => Page(key.Total, key.Page, key.Size));
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(body);
        });
        await app.StartAsync();
        return app;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Total, int Page, int Size), byte[]> Pages = new();

    /// <summary>Serialises the pages of a run of <paramref name="total"/> objects ahead of time.</summary>
    public static void Prepare(int total, int pageSize)
    {
        AlertsToServe = total;
        for (var page = 1; (page - 1) * pageSize < Math.Max(1, total); page++)
        {
            Pages.GetOrAdd((total, page, pageSize), key => Page(key.Total, key.Page, key.Size));
        }
    }

    private static byte[] Page(int total, int page, int pageSize)
    {
        var items = new JsonArray();
        for (var i = (page - 1) * pageSize; i < Math.Min(total, page * pageSize); i++)
        {
            items.Add(AlerceItem(i));
        }
        var hasNext = page * pageSize < total;
        return System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["total"] = total, ["page"] = null, ["next"] = hasNext ? page + 1 : null, ["has_next"] = hasNext,
            ["prev"] = page > 1 ? page - 1 : null, ["has_prev"] = page > 1, ["items"] = items,
        }.ToJsonString());
    }

    public static JsonObject AlerceItem(int i) => new()
    {
        ["oid"] = $"ZTF24bench{i:D7}", ["ndethist"] = "14", ["ncovhist"] = 1180, ["mjdstarthist"] = 60237.48124, ["mjdendhist"] = 60282.29437,
        ["corrected"] = false, ["stellar"] = false, ["ndet"] = 12, ["g_r_max"] = -0.07268143, ["g_r_max_corr"] = null,
        ["g_r_mean"] = -0.0995283, ["g_r_mean_corr"] = null, ["firstmjd"] = 60240.41234, ["lastmjd"] = 60282.29437 + i * 1e-4,
        ["deltajd"] = 41.88, ["meanra"] = i * 0.0359 % 360, ["meandec"] = -89 + i * 0.0179 % 178, ["sigmara"] = 3.07e-05,
        ["sigmadec"] = 4.52e-05, ["class"] = "SNIa", ["classifier"] = "lc_classifier", ["probability"] = 0.5 + i % 50 / 100.0,
        ["step_id_corr"] = "23.10.13a1",
    };

    /// <summary>Starts the background workers (runs, follow-ups, stream consumers), which the other benchmarks do without.</summary>
    public async Task StartWorkersAsync()
    {
        await _host.StartAsync();
        _started = true;
    }

    private bool _started;

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await _host.StopAsync();
        }
        await _fakeAlerce.DisposeAsync();
        _host.Dispose();
        SqliteCleanup();
    }

    private void SqliteCleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_sqliteFile is not null && !Keep)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_sqliteFile + suffix);
            }
        }
    }

    public async Task<long> StartRunAsync(string broker, string parameters)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var query = new TomAlerts.Queries.BrokerQuery { Name = $"bench {Guid.NewGuid():N}", Broker = broker, Parameters = parameters, Created = DateTime.UtcNow, Modified = DateTime.UtcNow };
        db.BrokerQueries.Add(query);
        await db.SaveChangesAsync();
        var run = new TomAlerts.Queries.QueryRun { BrokerQueryId = query.Id, Status = TomAlerts.Queries.RunStatus.Pending, Created = DateTime.UtcNow };
        db.QueryRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    public async Task ExecuteRunAsync(long runId)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RunExecutor>().ExecuteAsync(runId, CancellationToken.None);
    }

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }
}
