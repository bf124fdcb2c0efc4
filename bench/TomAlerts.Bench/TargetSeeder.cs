using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TomAlerts.Data;
using TomAlerts.Sky;
using TomAlerts.Targets;

namespace TomAlerts.Bench;

/// <summary>
/// Fills a migrated, empty database with <c>count</c> targets the way the app stores them: Name and NormalizedName
/// (<see cref="TargetNames.Normalize"/>), position through <see cref="Target.SetPosition"/> (DecZone, galactic
/// coordinates), Created spread over six years, one to three aliases each with normalised names, photometry for one
/// target in twenty (20 points) and one target with 1,000 points. Positions: half uniform over the ZTF footprint
/// (dec &gt; −30°), a third in a band around the Galactic plane, the rest uniform over the sphere. Everything is
/// derived from the index <c>i</c> and a fixed seed, so a run is reproducible and the measurements can pick names.
/// <para>
/// Loading: the secondary indexes of the three tables are read from the catalogue, dropped, and re-created with
/// their own definitions after the rows are in (the usual bulk-load order; the schema at the end is the migrated one).
/// SQLite: one prepared INSERT per table in transactions of 100,000 rows; PostgreSQL: binary COPY.
/// </para>
/// </summary>
internal static class TargetSeeder
{
    public static readonly DateTime Start = new(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Span = TimeSpan.FromDays(6 * 365);
    private const long Letters7 = 8_031_810_176; // 26^7
    private const long Letters5 = 11_881_376;    // 26^5
    public const int PhotometryEvery = 20;
    public const int PointsEach = 20;
    public const int LongCurvePoints = 1000;
    private static readonly string[] Tables = ["Targets", "TargetNames", "Photometry"];

    /// <summary>The target with the 1,000-point light curve.</summary>
    public static int LongCurveTarget(int count) => count / 2 + 1;

    public static DateTime CreatedOf(int i, int count) => Start + TimeSpan.FromTicks((long)(Span.Ticks * (i / (double)count)) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond);

    private static int YearOf(int i, int count) => 19 + (int)(6.0 * i / count);

    private static string Base26(long value, int digits)
    {
        Span<char> buffer = stackalloc char[digits];
        for (var k = digits - 1; k >= 0; k--)
        {
            buffer[k] = (char)('a' + value % 26);
            value /= 26;
        }
        return new string(buffer);
    }

    // Bijections of i (multipliers coprime with 26^n), so names look scattered and never repeat.
    public static string NameOf(int i, int count) => $"ZTF{YearOf(i, count)}{Base26((i * 2_654_435_761L + 12_345) % Letters7, 7)}";

    public static int AliasCount(int i) => 1 + i % 3;

    public static string AliasOf(int i, int count, int k) => k switch
    {
        0 => $"AT 20{YearOf(i, count)}{Base26((i * 40_503L + 7) % Letters5, 5)}",
        1 => $"Gaia{YearOf(i, count)}{Base26((i * 69_071L + 11) % Letters5, 5)}", // a multiplier prime to 26, so no two targets share it below 26^5
        _ => $"ATLAS{YearOf(i, count)}{Base26((i * 1_103_515_245L % Letters5 + 13) % Letters5, 5)}",
    };

    /// <summary>Position of target <paramref name="i"/> (deterministic).</summary>
    public static (double Ra, double Dec) PositionOf(int i)
    {
        var random = new Random(unchecked(i * 7919 + 17));
        var region = random.NextDouble();
        if (region < 0.5)
        {
            // uniform over dec > -30 (ZTF's footprint): sin(dec) uniform in [-0.5, 1]
            return (random.NextDouble() * 360, Math.Asin(-0.5 + 1.5 * random.NextDouble()) * 180 / Math.PI);
        }
        if (region < 0.83)
        {
            // Galactic plane: l uniform, b normal with sigma 5 degrees
            var l = random.NextDouble() * 360;
            var gauss = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var b = Math.Clamp(gauss * 5, -89.9, 89.9);
            return FromGalactic(l, b);
        }
        return (random.NextDouble() * 360, Math.Asin(-1 + 2 * random.NextDouble()) * 180 / Math.PI);
    }

    /// <summary>Galactic to equatorial (J2000), the inverse of <see cref="Galactic.FromEquatorial"/>.</summary>
    public static (double Ra, double Dec) FromGalactic(double l, double b)
    {
        const double deg = Math.PI / 180;
        const double poleRa = 192.85948 * deg, poleDec = 27.12825 * deg, node = 122.93192 * deg;
        var lr = l * deg;
        var br = b * deg;
        var sinD = Math.Sin(br) * Math.Sin(poleDec) + Math.Cos(br) * Math.Cos(poleDec) * Math.Cos(node - lr);
        var dec = Math.Asin(Math.Clamp(sinD, -1, 1));
        var y = Math.Cos(br) * Math.Sin(node - lr);
        var x = Math.Sin(br) * Math.Cos(poleDec) - Math.Cos(br) * Math.Sin(poleDec) * Math.Cos(node - lr);
        var ra = (poleRa + Math.Atan2(y, x)) / deg;
        return ((ra % 360 + 360) % 360, dec / deg);
    }

    public static Target TargetOf(int i, int count)
    {
        var created = CreatedOf(i, count);
        var target = new Target { Id = i + 1, Name = NameOf(i, count), Created = created, Modified = created, Epoch = 2000 };
        target.NormalizedName = TargetNames.Normalize(target.Name);
        var (ra, dec) = PositionOf(i);
        target.SetPosition(ra, dec);
        return target;
    }

    public static int PointsOf(int targetId, int count) =>
        targetId == LongCurveTarget(count) ? LongCurvePoints : (targetId - 1) % PhotometryEvery == 0 ? PointsEach : 0;

    private static IEnumerable<Photometry> PhotometryOf(Target target, int points)
    {
        for (var k = 0; k < points; k++)
        {
            var t = target.Created.AddDays(k * 0.73);
            var limit = k % 10 == 9;
            yield return new Photometry
            {
                TargetId = target.Id, Source = "ALeRCE", SourceLocation = target.Name, Bandpass = k % 2 == 0 ? "g" : "r",
                Timestamp = new DateTime(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc),
                Magnitude = limit ? null : 17.5 + Math.Sin(k * 0.05) + k % 7 * 0.05, MagnitudeError = limit ? null : 0.04,
                Limit = limit ? 20.6 : null, Telescope = "ZTF",
            };
        }
    }

    public sealed record SeedReport(int Targets, long Aliases, long Points, TimeSpan Rows, TimeSpan Indexes, TimeSpan Total);

    public static async Task<SeedReport> SeedAsync(AppDbContext db, int count, bool postgres)
    {
        var total = Stopwatch.StartNew();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var indexes = await DropIndexesAsync(connection, postgres);
        if (!postgres)
        {
            await ExecAsync(connection, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA threads=2;");
        }
        var rows = Stopwatch.StartNew();
        var (aliases, points) = postgres ? await CopyAsync((NpgsqlConnection)connection, count) : await InsertSqliteAsync(connection, count);
        rows.Stop();
        var indexWatch = Stopwatch.StartNew();
        foreach (var sql in indexes)
        {
            await ExecAsync(connection, sql);
        }
        if (postgres)
        {
            foreach (var table in Tables)
            {
                await ExecAsync(connection, $"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'Id'), (SELECT COALESCE(MAX(\"Id\"), 1) FROM \"{table}\"))");
            }
            foreach (var table in Tables)
            {
                await ExecAsync(connection, $"VACUUM ANALYZE \"{table}\"");
            }
        }
        else
        {
            await ExecAsync(connection, "ANALYZE; PRAGMA synchronous=NORMAL; PRAGMA wal_checkpoint(TRUNCATE);");
        }
        indexWatch.Stop();
        await connection.CloseAsync();
        return new SeedReport(count, aliases, points, rows.Elapsed, indexWatch.Elapsed, total.Elapsed);
    }

    private static async Task<List<string>> DropIndexesAsync(DbConnection connection, bool postgres)
    {
        var found = new List<(string Name, string Sql)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = postgres
                ? "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('Targets', 'TargetNames', 'Photometry') AND indexname NOT LIKE 'PK_%'"
                : "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('Targets', 'TargetNames', 'Photometry') AND sql IS NOT NULL";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                found.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (name, _) in found)
        {
            await ExecAsync(connection, $"DROP INDEX \"{name}\"");
        }
        return found.Select(f => f.Sql).ToList();
    }

    private static async Task ExecAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Prepared(DbCommand command)
    {
        public DbCommand Command { get; } = command;

        public static Prepared Create(DbConnection connection, DbTransaction transaction, string sql, int parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            for (var k = 0; k < parameters; k++)
            {
                var p = command.CreateParameter();
                p.ParameterName = "@p" + k;
                command.Parameters.Add(p);
            }
            return new Prepared(command);
        }

        public void Run(params object?[] values)
        {
            for (var k = 0; k < values.Length; k++)
            {
                Command.Parameters[k].Value = values[k] ?? DBNull.Value;
            }
            Command.ExecuteNonQuery();
        }
    }

    private const string TargetColumns = "\"Id\", \"Name\", \"NormalizedName\", \"Type\", \"Ra\", \"Dec\", \"DecZone\", \"Epoch\", \"GalacticLng\", \"GalacticLat\", \"Created\", \"Modified\"";
    private const string AliasColumns = "\"Id\", \"TargetId\", \"Name\", \"NormalizedName\", \"Created\"";
    private const string PointColumns = "\"Id\", \"TargetId\", \"Source\", \"SourceLocation\", \"Timestamp\", \"Bandpass\", \"Magnitude\", \"MagnitudeError\", \"Limit\", \"Telescope\"";

    private static async Task<(long Aliases, long Points)> InsertSqliteAsync(DbConnection connection, int count)
    {
        await Task.Yield();
        long aliasId = 0, pointId = 0;
        const int batch = 100_000;
        for (var start = 0; start < count; start += batch)
        {
            using var transaction = connection.BeginTransaction();
            var targets = Prepared.Create(connection, transaction, $"INSERT INTO \"Targets\" ({TargetColumns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11)", 12);
            var aliases = Prepared.Create(connection, transaction, $"INSERT INTO \"TargetNames\" ({AliasColumns}) VALUES (@p0, @p1, @p2, @p3, @p4)", 5);
            var points = Prepared.Create(connection, transaction, $"INSERT INTO \"Photometry\" ({PointColumns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9)", 10);
            for (var i = start; i < Math.Min(count, start + batch); i++)
            {
                var t = TargetOf(i, count);
                targets.Run(t.Id, t.Name, t.NormalizedName, t.Type.ToString(), t.Ra, t.Dec, t.DecZone, t.Epoch, t.GalacticLng, t.GalacticLat, t.Created, t.Modified);
                for (var k = 0; k < AliasCount(i); k++)
                {
                    var name = AliasOf(i, count, k);
                    aliases.Run(++aliasId, t.Id, name, TargetNames.Normalize(name), t.Created);
                }
                foreach (var p in PhotometryOf(t, PointsOf(t.Id, count)))
                {
                    points.Run(++pointId, p.TargetId, p.Source, p.SourceLocation, p.Timestamp, p.Bandpass, p.Magnitude, p.MagnitudeError, p.Limit, p.Telescope);
                }
            }
            transaction.Commit();
            targets.Command.Dispose();
            aliases.Command.Dispose();
            points.Command.Dispose();
        }
        return (aliasId, pointId);
    }

    private static async Task<(long Aliases, long Points)> CopyAsync(NpgsqlConnection connection, int count)
    {
        await using (var importer = await connection.BeginBinaryImportAsync($"COPY \"Targets\" ({TargetColumns}) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                var t = TargetOf(i, count);
                await importer.StartRowAsync();
                await importer.WriteAsync(t.Id, NpgsqlDbType.Integer);
                await importer.WriteAsync(t.Name, NpgsqlDbType.Varchar);
                await importer.WriteAsync(t.NormalizedName, NpgsqlDbType.Varchar);
                await importer.WriteAsync(t.Type.ToString(), NpgsqlDbType.Varchar);
                await importer.WriteAsync(t.Ra!.Value, NpgsqlDbType.Double);
                await importer.WriteAsync(t.Dec!.Value, NpgsqlDbType.Double);
                await importer.WriteAsync(t.DecZone!.Value, NpgsqlDbType.Integer);
                await importer.WriteAsync(t.Epoch!.Value, NpgsqlDbType.Double);
                await importer.WriteAsync(t.GalacticLng!.Value, NpgsqlDbType.Double);
                await importer.WriteAsync(t.GalacticLat!.Value, NpgsqlDbType.Double);
                await importer.WriteAsync(t.Created, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(t.Modified, NpgsqlDbType.TimestampTz);
            }
            await importer.CompleteAsync();
        }
        long aliasId = 0, pointId = 0;
        await using (var importer = await connection.BeginBinaryImportAsync($"COPY \"TargetNames\" ({AliasColumns}) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                for (var k = 0; k < AliasCount(i); k++)
                {
                    var name = AliasOf(i, count, k);
                    await importer.StartRowAsync();
                    await importer.WriteAsync((int)++aliasId, NpgsqlDbType.Integer);
                    await importer.WriteAsync(i + 1, NpgsqlDbType.Integer);
                    await importer.WriteAsync(name, NpgsqlDbType.Varchar);
                    await importer.WriteAsync(TargetNames.Normalize(name), NpgsqlDbType.Varchar);
                    await importer.WriteAsync(CreatedOf(i, count), NpgsqlDbType.TimestampTz);
                }
            }
            await importer.CompleteAsync();
        }
        await using (var importer = await connection.BeginBinaryImportAsync($"COPY \"Photometry\" ({PointColumns}) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                var n = PointsOf(i + 1, count);
                if (n == 0)
                {
                    continue;
                }
                foreach (var p in PhotometryOf(TargetOf(i, count), n))
                {
                    await importer.StartRowAsync();
                    await importer.WriteAsync(++pointId, NpgsqlDbType.Bigint);
                    await importer.WriteAsync(p.TargetId, NpgsqlDbType.Integer);
                    await importer.WriteAsync(p.Source, NpgsqlDbType.Varchar);
                    await importer.WriteAsync(p.SourceLocation, NpgsqlDbType.Varchar);
                    await importer.WriteAsync(p.Timestamp, NpgsqlDbType.TimestampTz);
                    await importer.WriteAsync(p.Bandpass, NpgsqlDbType.Varchar);
                    await WriteNullableAsync(importer, p.Magnitude);
                    await WriteNullableAsync(importer, p.MagnitudeError);
                    await WriteNullableAsync(importer, p.Limit);
                    await importer.WriteAsync(p.Telescope!, NpgsqlDbType.Varchar);
                }
            }
            await importer.CompleteAsync();
        }
        return (aliasId, pointId);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter importer, double? value)
    {
        if (value is { } v)
        {
            await importer.WriteAsync(v, NpgsqlDbType.Double);
        }
        else
        {
            await importer.WriteNullAsync();
        }
    }
}
