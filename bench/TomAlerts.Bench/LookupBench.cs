using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Data;
using TomAlerts.Sky;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Bench;

/// <summary>
/// Name, alias and position lookups the way the app runs them (TargetCreator's identity matching, the list's name
/// filter, TargetSearch.ConeAsync), each against the bare indexed SQL query on the same database, alternately.
/// Every app call gets a fresh DI scope (a fresh DbContext), as a request does.
/// </summary>
internal static class LookupBench
{
    /// <summary>The viewer of the list lookups: an admin sees every target (the seeded targets are in no group).</summary>
    private static readonly System.Security.Claims.ClaimsPrincipal Admin = new(new System.Security.Claims.ClaimsIdentity(
        [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, TomAlerts.Web.Hosting.IdentityExtensions.AdminRole)], "bench"));

    private const string Columns = "t.\"Id\", t.\"Name\", t.\"NormalizedName\", t.\"Type\", t.\"Ra\", t.\"Dec\", t.\"DecZone\", t.\"Epoch\", t.\"GalacticLng\", t.\"GalacticLat\", t.\"Created\", t.\"Modified\"";

    public static async Task RunAsync(BenchApp app, int count, int samples)
    {
        var random = new Random(42);
        var picks = Enumerable.Range(0, samples).Select(_ => random.Next(count)).ToList();
        // Targets with three aliases have all kinds; pick the alias kind by sample.
        var aliasPicks = picks.Select((i, k) => (I: i, K: k % AliasCountSafe(i))).ToList();

        await using var bare = await BareConnection.OpenAsync(app);
        Console.WriteLine();
        Console.WriteLine($"### Lookups at {count:N0} targets ({samples} random queries each; app and baseline alternate)");
        Console.WriteLine();
        Console.WriteLine(Samples.Header);

        // 1. identity matching by name (TargetCreator.FindMatchAsync: normalised-name hits on targets and aliases, then the target)
        var exactName = await Samples.PairAsync("name, exact (TargetCreator.FindMatchAsync)", "`WHERE Name = @n`", picks,
            i => MatchAsync(app, TargetSeeder.NameOf(i, count), i + 1),
            i => bare.ExpectAsync($"SELECT {Columns} FROM \"Targets\" t WHERE t.\"Name\" = @n", TargetSeeder.NameOf(i, count), i + 1));
        Console.WriteLine(exactName.App.Row(exactName.Baseline));
        var normName = await Samples.PairAsync("name, normalised (\"ztf 21-abc…\")", "`WHERE NormalizedName = @n`", picks,
            i => MatchAsync(app, Messy(TargetSeeder.NameOf(i, count)), i + 1),
            i => bare.ExpectAsync($"SELECT {Columns} FROM \"Targets\" t WHERE t.\"NormalizedName\" = @n", TargetNames.Normalize(Messy(TargetSeeder.NameOf(i, count))), i + 1));
        Console.WriteLine(normName.App.Row(normName.Baseline));
        var exactAlias = await Samples.PairAsync("alias, exact (TargetCreator.FindMatchAsync)", "alias `WHERE Name = @n` ⋈ Targets", aliasPicks,
            p => MatchAsync(app, TargetSeeder.AliasOf(p.I, count, p.K), p.I + 1),
            p => bare.ExpectAsync($"SELECT {Columns} FROM \"TargetNames\" a JOIN \"Targets\" t ON t.\"Id\" = a.\"TargetId\" WHERE a.\"Name\" = @n", TargetSeeder.AliasOf(p.I, count, p.K), p.I + 1));
        Console.WriteLine(exactAlias.App.Row(exactAlias.Baseline));
        var normAlias = await Samples.PairAsync("alias, normalised (\"at2021abcde\")", "alias `WHERE NormalizedName = @n` ⋈ Targets", aliasPicks,
            p => MatchAsync(app, Messy(TargetSeeder.AliasOf(p.I, count, p.K)), p.I + 1),
            p => bare.ExpectAsync($"SELECT {Columns} FROM \"TargetNames\" a JOIN \"Targets\" t ON t.\"Id\" = a.\"TargetId\" WHERE a.\"NormalizedName\" = @n",
                TargetNames.Normalize(Messy(TargetSeeder.AliasOf(p.I, count, p.K))), p.I + 1));
        Console.WriteLine(normAlias.App.Row(normAlias.Baseline));

        // 1b. what identity matching by name costs as one compiled, untracked EF query (the change proposed in docs/performance.md)
        var compiled = await Samples.PairAsync("↳ proposed: one compiled EF query, name or alias (exact alias)", "alias `WHERE NormalizedName = @n` ⋈ Targets", aliasPicks,
            async p =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var hits = new List<Target>();
                await foreach (var t in MatchByNormalizedName(db, TargetNames.Normalize(TargetSeeder.AliasOf(p.I, count, p.K))))
                {
                    hits.Add(t);
                }
                Check(hits is [var hit] && hit.Id == p.I + 1, "compiled match");
            },
            p => bare.ExpectAsync($"SELECT {Columns} FROM \"TargetNames\" a JOIN \"Targets\" t ON t.\"Id\" = a.\"TargetId\" WHERE a.\"NormalizedName\" = @n",
                TargetNames.Normalize(TargetSeeder.AliasOf(p.I, count, p.K)), p.I + 1));
        Console.WriteLine(compiled.App.Row(compiled.Baseline));

        // 1c. EF's own floor: the cheapest query the app can make (a compiled, untracked primary-key read on a context from a
        // new scope, as every request gets), against the same bare read: no name lookup can be nearer its bare statement than this.
        var floor = await Samples.PairAsync("↳ EF's floor: compiled primary-key read, new scope", "`WHERE Id = @id`", picks,
            async i =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                Check((await ById(db, i + 1))?.Id == i + 1, "EF floor");
            },
            i => bare.ExpectAsync($"SELECT {Columns} FROM \"Targets\" t WHERE t.\"Id\" = @n", (long)(i + 1), i + 1));
        Console.WriteLine(floor.App.Row(floor.Baseline));

        // 2. the target list's name filter (TargetQueries.KeysetPageAsync with a name: count + first page, name or alias prefix range)
        var unionIds = "SELECT \"Id\" FROM \"Targets\" WHERE \"NormalizedName\" >= @n AND \"NormalizedName\" < @hi UNION SELECT \"TargetId\" FROM \"TargetNames\" WHERE \"NormalizedName\" >= @n AND \"NormalizedName\" < @hi";
        var listByName = await Samples.PairAsync("name search, list filter (count + page of 50)", "UNION of the two prefix ranges (count + page)", aliasPicks,
            async p =>
            {
                var name = p.K == 0 && p.I % 2 == 0 ? TargetSeeder.NameOf(p.I, count) : TargetSeeder.AliasOf(p.I, count, p.K);
                await using var scope = app.Services.CreateAsyncScope();
                var targets = scope.ServiceProvider.GetRequiredService<TargetQueries>();
                var page = await targets.KeysetPageAsync(new TargetFilter(name, null, null, null), Admin, null, null, 50, CancellationToken.None);
                Check(page.Total == 1 && page.Rows[0].Target.Id == p.I + 1, $"list search {name}: {page.Total} rows");
            },
            async p =>
            {
                var name = p.K == 0 && p.I % 2 == 0 ? TargetSeeder.NameOf(p.I, count) : TargetSeeder.AliasOf(p.I, count, p.K);
                var (lo, hi) = TargetSearch.PrefixRange(name);
                var total = await bare.ScalarAsync($"SELECT COUNT(*) FROM ({unionIds}) x", lo, hi);
                var ids = await bare.IdsAsync($"SELECT {Columns} FROM \"Targets\" t WHERE t.\"Id\" IN ({unionIds}) ORDER BY t.\"Created\" DESC, t.\"Id\" DESC LIMIT 51", lo, hi);
                Check(total == 1 && ids.Count == 1 && ids[0] == p.I + 1, $"bare list search {name}: {total}");
            });
        Console.WriteLine(listByName.App.Row(listByName.Baseline));

        // 3. cone search, 1 arcminute: half centred on targets, half anywhere
        var centres = Enumerable.Range(0, samples).Select(k => k % 2 == 0 ? TargetSeeder.PositionOf(picks[k]) : TargetSeeder.PositionOf(count + random.Next(count))).ToList();
        var found = 0L;
        var appHits = 0L;
        var cone = await Samples.PairAsync("cone 1′ (TargetSearch.ConeAsync)", "zone+RA range on (DecZone, Ra) + exact distance", centres,
            async c =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var n = (await TargetSearch.ConeAsync(db, c.Ra, c.Dec, 1 / 60.0, CancellationToken.None)).Count;
                found += n;
                appHits += n;
            },
            async c => found -= await bare.ConeAsync(c.Ra, c.Dec, 1 / 60.0));
        Console.WriteLine(cone.App.Row(cone.Baseline));
        Check(found == 0, $"cone: the app and the bare query disagree by {found} rows");

        // 4. identity matching by position: no name matches, then the 2″ cone (TargetCreator.FindMatchAsync)
        var byPosition = await Samples.PairAsync("identity match by position (2 name queries + 2″ cone)", "the same 3 bare queries", centres.Select((c, k) => (c, k)).ToList(),
            async x =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<TargetCreator>().FindMatchAsync([$"ZTF99nomatch{x.k}"], x.c.Ra, x.c.Dec, CancellationToken.None);
            },
            async x =>
            {
                var n = TargetNames.Normalize($"ZTF99nomatch{x.k}");
                await bare.IdsAsync($"SELECT {Columns} FROM \"Targets\" t WHERE t.\"NormalizedName\" = @n", n);
                await bare.IdsAsync($"SELECT {Columns} FROM \"TargetNames\" a JOIN \"Targets\" t ON t.\"Id\" = a.\"TargetId\" WHERE a.\"NormalizedName\" = @n", n);
                await bare.ConeAsync(x.c.Ra, x.c.Dec, 2 / 3600.0);
            });
        Console.WriteLine(byPosition.App.Row(byPosition.Baseline));
        Console.WriteLine();
        Console.WriteLine($"A 1′ cone returned {(double)appHits / (cone.App.Count + Math.Min(20, centres.Count)):0.00} targets on average (half of the cones are centred on a target).");
    }

    /// <summary>Targets whose normalised name or an alias's is <c>n</c>: one statement (a UNION of the two index lookups), compiled once, no tracking.</summary>
    private static readonly Func<AppDbContext, string, IAsyncEnumerable<Target>> MatchByNormalizedName = EF.CompileAsyncQuery((AppDbContext db, string n) =>
        db.Targets.AsNoTracking().Where(t => db.Targets.Where(x => x.NormalizedName == n).Select(x => x.Id)
            .Union(db.TargetNames.Where(a => a.NormalizedName == n).Select(a => a.TargetId)).Contains(t.Id)));

    private static readonly Func<AppDbContext, int, Task<Target?>> ById = EF.CompileAsyncQuery((AppDbContext db, int id) =>
        db.Targets.AsNoTracking().FirstOrDefault(t => t.Id == id));

    private static int AliasCountSafe(int i) => TargetSeeder.AliasCount(i);

    /// <summary>The spelling a person types: lower case, a space after the prefix and a dash in the middle.</summary>
    private static string Messy(string name)
    {
        var digit = name.IndexOfAny("0123456789".ToCharArray());
        var spaced = digit > 0 && name[digit - 1] != ' ' ? name[..digit] + " " + name[digit..] : name;
        return (spaced[..^3] + "-" + spaced[^3..]).ToLowerInvariant();
    }

    private static async Task MatchAsync(BenchApp app, string name, int expectedId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var match = await scope.ServiceProvider.GetRequiredService<TargetCreator>().FindMatchAsync([name], null, null, CancellationToken.None);
        Check(match?.Id == expectedId, $"identity match {name}: {match?.Id} instead of {expectedId}");
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException(what);
        }
    }

    /// <summary>A plain ADO.NET connection from the same provider and pool, with no EF in between.</summary>
    internal sealed class BareConnection : IAsyncDisposable
    {
        private readonly DbConnection _connection;

        private BareConnection(DbConnection connection) => _connection = connection;

        public static async Task<BareConnection> OpenAsync(BenchApp app)
        {
            var connectionString = await app.WithDbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
            var postgres = await app.WithDbAsync(db => Task.FromResult(db.Database.ProviderName!.Contains("Npgsql", StringComparison.Ordinal)));
            DbConnection connection = postgres ? new Npgsql.NpgsqlConnection(connectionString) : new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
            await connection.OpenAsync();
            return new BareConnection(connection);
        }

        private DbCommand Command(string sql, object n, object? hi)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            var p = command.CreateParameter();
            p.ParameterName = "@n";
            p.Value = n;
            command.Parameters.Add(p);
            if (hi is not null)
            {
                var h = command.CreateParameter();
                h.ParameterName = "@hi";
                h.Value = hi;
                command.Parameters.Add(h);
            }
            return command;
        }

        /// <summary>Reads every column of the rows into targets (the same materialisation work EF does) and returns their ids.</summary>
        public async Task<List<int>> IdsAsync(string sql, object n, object? hi = null)
        {
            await using var command = Command(sql, n, hi);
            await using var reader = await command.ExecuteReaderAsync();
            var ids = new List<int>();
            while (await reader.ReadAsync())
            {
                var t = Read(reader);
                ids.Add(t.Id);
            }
            return ids;
        }

        public async Task ExpectAsync(string sql, object n, int expectedId)
        {
            var ids = await IdsAsync(sql, n);
            Check(ids is [var id] && id == expectedId, $"bare {sql} {n}: {string.Join(",", ids)}");
        }

        public async Task<long> ScalarAsync(string sql, object n, object hi)
        {
            await using var command = Command(sql, n, hi);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>The same zones and RA ranges as SkyZones.Bounds, on the (DecZone, Ra) index, then the exact separation.</summary>
        public async Task<int> ConeAsync(double ra, double dec, double radius)
        {
            var bounds = SkyZones.Bounds(ra, dec, radius);
            var hits = 0;
            foreach (var (minRa, maxRa) in bounds.RaRanges)
            {
                await using var command = _connection.CreateCommand();
                // The zones written out (integers), so the index is read as one short RA range per zone.
                var zones = string.Join(", ", bounds.Zones);
                command.CommandText = $"SELECT {Columns} FROM \"Targets\" t WHERE t.\"DecZone\" IN ({zones}) AND t.\"Ra\" >= @r1 AND t.\"Ra\" <= @r2";
                foreach (var (name, value) in new (string, object)[] { ("@r1", minRa), ("@r2", maxRa) })
                {
                    var p = command.CreateParameter();
                    p.ParameterName = name;
                    p.Value = value;
                    command.Parameters.Add(p);
                }
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var t = Read(reader);
                    if (Angles.Separation(ra, dec, t.Ra!.Value, t.Dec!.Value) <= radius)
                    {
                        hits++;
                    }
                }
            }
            return hits;
        }

        private static Target Read(DbDataReader r) => new()
        {
            Id = r.GetInt32(0), Name = r.GetString(1), NormalizedName = r.GetString(2), Type = Enum.Parse<TargetType>(r.GetString(3)),
            Ra = r.IsDBNull(4) ? null : r.GetDouble(4), Dec = r.IsDBNull(5) ? null : r.GetDouble(5), DecZone = r.IsDBNull(6) ? null : r.GetInt32(6),
            Epoch = r.IsDBNull(7) ? null : r.GetDouble(7), GalacticLng = r.IsDBNull(8) ? null : r.GetDouble(8), GalacticLat = r.IsDBNull(9) ? null : r.GetDouble(9),
            Created = r.GetDateTime(10), Modified = r.GetDateTime(11),
        };

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
