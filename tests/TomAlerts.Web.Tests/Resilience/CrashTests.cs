using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Resilience;

/// <summary>
/// The built app as a real process over a SQLite file, killed with SIGKILL in the middle of a run and started again:
/// what was committed survives, the run says it was interrupted, and running again duplicates nothing.
/// </summary>
public sealed class CrashTests : IAsyncLifetime
{
    private const int Alerts = 10_000;
    private const int PageSize = 500;

    private readonly string _directory = Directory.CreateTempSubdirectory("tomalerts-crash-").FullName;
    private FakeBrokerServer _alerce = null!;
    private volatile int _pageDelayMs = 150;

    private string DatabaseFile => Path.Combine(_directory, "tomalerts.db");

    public async Task InitializeAsync()
    {
        _alerce = await FakeBrokerServer.StartAsync();
        var template = JsonNode.Parse(Fixtures.Read("alerce/objects_page1.json"))!["items"]![0]!.AsObject();
        _alerce.Map("/alerce/objects/", async context =>
        {
            context.Response.ContentType = "application/json";
            if (context.Request.Path.Value!.EndsWith("/lightcurve", StringComparison.Ordinal))
            {
                await context.Response.WriteAsync(Fixtures.Read("alerce/lightcurve_ZTF23abtfusv.json"));
                return;
            }
            await Task.Delay(_pageDelayMs, context.RequestAborted);
            var page = int.Parse(context.Request.Query["page"].ToString(), CultureInfo.InvariantCulture);
            var items = new JsonArray();
            for (var i = (page - 1) * PageSize; i < Math.Min(Alerts, page * PageSize); i++)
            {
                var item = template.DeepClone().AsObject();
                item["oid"] = $"ZTF24crash{i:D5}";
                item["meanra"] = i * 0.0359 % 360;
                item["meandec"] = -89 + i * 0.0179 % 178;
                items.Add(item);
            }
            var hasNext = page * PageSize < Alerts;
            await context.Response.WriteAsync(new JsonObject { ["total"] = Alerts, ["has_next"] = hasNext, ["next"] = hasNext ? page + 1 : null, ["items"] = items }.ToJsonString());
        });
    }

    public async Task DisposeAsync()
    {
        await _alerce.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task KilledMidRun_CommittedRowsSurvive_RunIsInterrupted_AndRunningAgainDuplicatesNothing()
    {
        long firstRun;
        int queryId;
        long storedAtKill;
        await using (var app = await AppProcess.StartAsync(AppSettings()))
        {
            await app.RegisterAsync("crash@example.org");
            queryId = await app.SaveQueryAsync("ALeRCE", "crash test query", new() { ["max_pages"] = "20" });
            firstRun = await app.StartRunAsync(queryId);
            storedAtKill = await WaitForAsync(() => Scalar($"SELECT COUNT(*) FROM RunAlerts WHERE QueryRunId = {firstRun}"), n => n >= 1000);
            app.Kill();
        }

        var afterKill = Scalar($"SELECT COUNT(*) FROM RunAlerts WHERE QueryRunId = {firstRun}");
        var integrity = Text("PRAGMA integrity_check");

        _pageDelayMs = 0;
        await using (var app = await AppProcess.StartAsync(AppSettings()))
        {
            var status = await WaitForAsync(() => Text($"SELECT Status FROM QueryRuns WHERE Id = {firstRun}"), s => s != "Running");
            var error = Text($"SELECT Error FROM QueryRuns WHERE Id = {firstRun}");
            await app.LogInAsync("crash@example.org");
            var (page, html) = await app.Page.GetAsync($"/alerts/run/{firstRun}/");
            var secondRun = await app.StartRunAsync(queryId);
            var secondStatus = await WaitForAsync(() => Text($"SELECT Status FROM QueryRuns WHERE Id = {secondRun}"), s => s is "Succeeded" or "Failed");
            var picked = new[] { "ZTF24crash00000", "ZTF24crash00001", "ZTF24crash00002" };
            using var fromFirst = await app.CreateTargetsAsync(firstRun, picked);
            var targetsAfterFirst = Scalar("SELECT COUNT(*) FROM Targets");
            var pointsAfterFirst = Scalar("SELECT COUNT(*) FROM Photometry");
            using var fromSecond = await app.CreateTargetsAsync(secondRun, picked);

            Assert.Equal("ok", integrity);
            Assert.True(afterKill >= storedAtKill, $"{storedAtKill} alerts were stored before the kill, {afterKill} after it.");
            Assert.True(afterKill < Alerts, "The run finished before it was killed; nothing was tested.");
            Assert.Equal(0, afterKill % 1000); // a batch is committed whole or not at all
            Assert.Equal("Interrupted", status);
            Assert.Contains("interrupted", error, StringComparison.Ordinal);
            Assert.Equal(afterKill, Scalar($"SELECT COUNT(*) FROM RunAlerts WHERE QueryRunId = {firstRun}"));
            Assert.Equal(afterKill, Scalar($"SELECT COUNT(DISTINCT AlertId) FROM RunAlerts WHERE QueryRunId = {firstRun}"));
            Assert.Equal(afterKill - 1, Scalar($"SELECT MAX(Position) FROM RunAlerts WHERE QueryRunId = {firstRun}"));
            Assert.Equal(HttpStatusCode.OK, page);
            Assert.Contains("The run was interrupted.", html, StringComparison.Ordinal);
            Assert.Equal("Succeeded", secondStatus);
            Assert.Equal(Alerts, Scalar($"SELECT COUNT(DISTINCT AlertId) FROM RunAlerts WHERE QueryRunId = {secondRun}"));
            Assert.Equal(Alerts, Scalar($"SELECT AlertCount FROM QueryRuns WHERE Id = {secondRun}"));
            Assert.Equal(1, Scalar("SELECT COUNT(*) FROM BrokerQueries"));
            Assert.Equal(3, targetsAfterFirst);
            Assert.True(pointsAfterFirst > 0);
            Assert.Equal(HttpStatusCode.OK, fromSecond.StatusCode);
            Assert.Contains("0 created, 3 matched", await fromSecond.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(targetsAfterFirst, Scalar("SELECT COUNT(*) FROM Targets"));
            Assert.Equal(pointsAfterFirst, Scalar("SELECT COUNT(*) FROM Photometry"));
            Assert.Equal(6, Scalar("SELECT COUNT(*) FROM TargetProvenance")); // one "created" and one "matched" per target
        }
    }

    [Fact]
    public async Task Database_RunsInWalMode()
    {
        await using var app = await AppProcess.StartAsync(AppSettings());

        Assert.Equal("wal", Text("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task KilledWhileTheDigestIsOnItsWay_AfterTheRestartTheDigestIsDeliveredOnce()
    {
        _pageDelayMs = 0;
        var received = 0;
        var accepted = 0;
        using var firstArrived = new SemaphoreSlim(0);
        _alerce.Map("/hook", async context =>
        {
            if (Interlocked.Increment(ref received) == 1)
            {
                firstArrived.Release();
                await Task.Delay(Timeout.Infinite, context.RequestAborted); // the receiver stalls; the app dies meanwhile
            }
            Interlocked.Increment(ref accepted);
            context.Response.StatusCode = 204;
        });
        var settings = AppSettings();
        settings["Notifications__Webhook__AllowPrivateAddresses"] = "true";
        long runId;
        await using (var app = await AppProcess.StartAsync(settings))
        {
            await app.RegisterAsync("digest-crash@example.org");
            var queryId = await app.SaveQueryAsync("ALeRCE", "digest crash query",
                new() { ["max_pages"] = "1", ["webhook_url"] = _alerce.Url + "/hook", ["webhook_secret"] = "a-secret-of-16-chars" });
            runId = await app.StartRunAsync(queryId);
            Assert.True(await firstArrived.WaitAsync(TimeSpan.FromSeconds(60)), "the digest never left");
            Assert.Equal("Succeeded", Text($"SELECT Status FROM QueryRuns WHERE Id = {runId}"));
            app.Kill();
        }

        await using (var app = await AppProcess.StartAsync(settings))
        {
            await WaitForAsync(() => Scalar($"SELECT COUNT(*) FROM RunFollowUps WHERE QueryRunId = {runId} AND State = 'Done'"),
                n => n == Scalar($"SELECT COUNT(*) FROM RunFollowUps WHERE QueryRunId = {runId}"));
            await Task.Delay(2000); // nothing more arrives
        }

        Assert.Equal(1, accepted);
        Assert.Equal(2, received);
    }

    private Dictionary<string, string> AppSettings() => new()
    {
        ["ConnectionStrings__Default"] = $"Data Source={DatabaseFile}",
        ["BROKERS__ALERCE__base_url"] = _alerce.Url + "/alerce",
        ["BROKERS__ALERCE__lsst_base_url"] = _alerce.Url + "/alerce-lsst",
        ["Serilog__WriteTo__1__Args__path"] = Path.Combine(_directory, "log-.txt"),
    };

    private long Scalar(string sql) => Convert.ToInt64(Query(sql) ?? 0L, CultureInfo.InvariantCulture);

    private string? Text(string sql) => Query(sql)?.ToString();

    private object? Query(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done) =>
        Poll.UntilAsync(() => Task.FromResult(read()), done, value => $"Gave up waiting; last value {value}.");
}
