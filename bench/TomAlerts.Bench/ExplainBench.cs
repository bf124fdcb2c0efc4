using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Sky;
using TomAlerts.Targets;
using TomAlerts.Web.Features.LightCurves;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Bench;

/// <summary>
/// The plans of the app's own queries (the SQL EF generates, with its parameters bound): EXPLAIN QUERY PLAN on SQLite,
/// EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL — to show each one reads an index range and never scans the table.
/// </summary>
internal static class ExplainBench
{
    public static async Task RunAsync(BenchApp app, int count)
    {
        var name = TargetSeeder.NameOf(count / 3, count);
        var alias = TargetSeeder.AliasOf(count / 3, count, 0);
        var (ra, dec) = TargetSeeder.PositionOf(count / 3);
        var bounds = SkyZones.Bounds(ra, dec, 1 / 60.0);
        var (minRa, maxRa) = bounds.RaRanges[0];
        List<int?> zones = [.. bounds.Zones.Select(z => (int?)z)];
        var cursor = TargetSeeder.CreatedOf(count / 2, count);
        var normalized = new List<string> { TargetNames.Normalize(name) };
        var queries = new (string Title, Func<AppDbContext, IQueryable<object>> Query)[]
        {
            ("identity match: targets by normalised name (TargetCreator.NameHitsAsync)", db => db.Targets.Where(t => normalized.Contains(t.NormalizedName)).Select(t => (object)new { t.Id, t.Name })),
            ("identity match: aliases by normalised name (TargetCreator.NameHitsAsync)", db => db.TargetNames.Where(a => normalized.Contains(a.NormalizedName)).Select(a => (object)new { a.Id, a.TargetId })),
            ("list name filter: TargetSearch.ByName (prefix range on names OR aliases), newest 51", db => TargetSearch.ByName(db, alias).OrderByDescending(t => t.Created).ThenByDescending(t => t.Id).Take(51)),
            ("cone: TargetSearch.ConeAsync's zone + RA range", db => db.Targets.Where(t => zones.Contains(t.DecZone) && t.Ra >= minRa && t.Ra <= maxRa)),
            ("list: keyset page after a cursor (TargetQueries.KeysetPageAsync)", db => db.Targets.Where(t => t.Created <= cursor && (t.Created < cursor || t.Id < 1))
                .OrderByDescending(t => t.Created).ThenByDescending(t => t.Id).Take(51)),
            ("API: offset page 1,000 (TargetQueries.PageAsync)", db => db.Targets.OrderByDescending(t => t.Created).ThenByDescending(t => t.Id).Skip(999 * 50).Take(50)),
            ("target page: the light curve (TargetsController.LightCurve)", db => db.Photometry.Where(p => p.TargetId == TargetSeeder.LongCurveTarget(count)).OrderBy(p => p.Timestamp).Select(LightCurvePlot.Columns).Select(p => (object)p)),
        };
        Console.WriteLine();
        Console.WriteLine($"### Query plans at {count:N0} targets");
        foreach (var (title, query) in queries)
        {
            await app.WithDbAsync(async db =>
            {
                var postgres = db.Database.ProviderName!.Contains("Npgsql", StringComparison.Ordinal);
                await using var command = query(db).CreateDbCommand();
                var sql = command.CommandText;
                command.CommandText = (postgres ? "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " : "EXPLAIN QUERY PLAN ") + sql;
                await db.Database.OpenConnectionAsync();
                command.Connection = db.Database.GetDbConnection();
                var lines = new List<string>();
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        lines.Add(postgres ? reader.GetString(0) : Describe(reader));
                    }
                }
                Console.WriteLine();
                Console.WriteLine($"{title}:");
                Console.WriteLine("```");
                Console.WriteLine(sql.Trim());
                Console.WriteLine("--");
                lines.ForEach(Console.WriteLine);
                Console.WriteLine("```");
                return 0;
            });
        }
    }

    private static string Describe(DbDataReader reader) => $"{reader.GetInt32(0)}/{reader.GetInt32(1)}: {reader.GetString(3)}";
}
