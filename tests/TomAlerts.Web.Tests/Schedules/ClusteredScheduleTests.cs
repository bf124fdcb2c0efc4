using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Schedules;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Schedules;

/// <summary>Two app instances sharing one PostgreSQL database run each firing of a schedule once, between them.</summary>
public sealed class ClusteredScheduleTests
{
    [PostgresFact]
    public async Task TwoInstances_OneIntervalSchedule_FireOnceBetweenThem()
    {
        await using var cluster = await Cluster.StartAsync(minimumIntervalMinutes: 5);
        var user = await cluster.First.LoginAsync();
        var queryId = await cluster.First.SaveAlerceQueryAsync(user, new() { ["schedule_mode"] = "minutes", ["schedule_every"] = "5" });
        await cluster.StartSecondAsync();

        var runs = await cluster.First.WaitForScheduledRunsAsync(queryId, 1);
        await Task.Delay(TimeSpan.FromSeconds(8)); // a second, duplicate firing would have started by now
        var all = await cluster.First.WithDbAsync(db => db.QueryRuns.AsNoTracking().Where(r => r.BrokerQueryId == queryId).ToListAsync());
        var nodes = await cluster.SchedulerNodesAsync();

        Assert.Equal(RunStatus.Succeeded, Assert.Single(runs).Status);
        Assert.Single(all);
        Assert.Equal(1, cluster.AlerceListCalls);
        Assert.Equal(2, nodes.Count);
    }

    [PostgresFact]
    public async Task TwoInstances_CronEveryTwoSeconds_NoFiringRunsTwice()
    {
        await using var cluster = await Cluster.StartAsync(minimumIntervalMinutes: 0);
        var user = await cluster.First.LoginAsync();
        var queryId = await cluster.First.SaveAlerceQueryAsync(user, new() { ["schedule_mode"] = "cron", ["schedule_cron"] = "0/2 * * * * ?" });
        await cluster.StartSecondAsync();

        var runs = await cluster.First.WaitForScheduledRunsAsync(queryId, 5);
        var created = runs.Select(r => r.Created).Order().ToList();
        var gaps = created.Zip(created.Skip(1), (a, b) => b - a).ToList();

        Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.All(gaps, gap => Assert.True(gap > TimeSpan.FromSeconds(1), $"Two runs started {gap.TotalMilliseconds} ms apart: one firing ran twice."));
        Assert.Equal([2, 0, 0, 0, 0], runs.Take(5).Select(r => r.NewAlertCount));
    }

    private sealed class Cluster : IAsyncDisposable
    {
        private ClusterNodeFactory? _second;

        private Cluster(ClusterNodeFactory first) => First = first;

        public ClusterNodeFactory First { get; }

        public int AlerceListCalls =>
            new[] { First, _second }.Where(f => f is not null).Sum(f => f!.Brokers.Requests.Count(r => r.StartsWith("GET /alerce/objects/?", StringComparison.Ordinal)));

        public static async Task<Cluster> StartAsync(int minimumIntervalMinutes)
        {
            var first = new ClusterNodeFactory();
            await ((IAsyncLifetime)first).InitializeAsync();
            first.Brokers.MapAlerce(2);
            first.Settings["Schedules:MinimumIntervalMinutes"] = minimumIntervalMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new Cluster(first);
        }

        /// <summary>Starts the second instance on the first one's database; its start-up reconciliation sees the saved schedule.</summary>
        public async Task StartSecondAsync()
        {
            _second = new ClusterNodeFactory();
            await ((IAsyncLifetime)_second).InitializeAsync();
            _second.Brokers.MapAlerce(2);
            _second.Settings["ConnectionStrings:Default"] = First.ConnectionString;
            _second.Settings["Schedules:MinimumIntervalMinutes"] = First.Settings["Schedules:MinimumIntervalMinutes"];
            Assert.Equal(First.ConnectionString, _second.ConnectionString); // starts the app
        }

        public async Task<IReadOnlyList<string>> SchedulerNodesAsync()
        {
            var ids = new List<string>();
            foreach (var factory in new[] { First, _second! })
            {
                var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
                Assert.Equal("TomAlerts", scheduler.SchedulerName);
                ids.Add(await scheduler.GetSchedulerInstanceId());
            }
            return ids.Distinct().ToList();
        }

        public async ValueTask DisposeAsync()
        {
            var database = new NpgsqlConnectionStringBuilder(First.ConnectionString).Database;
            // Both apps stop before their shared database goes: a clustered scheduler keeps checking in until it stops.
            foreach (var node in new[] { _second, First })
            {
                if (node is not null)
                {
                    await node.DisposeAsync();
                    await node.Brokers.DisposeAsync();
                }
            }
            NpgsqlConnection.ClearAllPools();
            var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)) { Database = "postgres" };
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
