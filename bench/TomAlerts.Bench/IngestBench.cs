using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Queries;

namespace TomAlerts.Bench;

/// <summary>
/// Ingest of an ALeRCE run from the loopback fake, through the real broker client and RunExecutor, at several
/// sizes (to show memory stays flat), against a plain batched INSERT of the same rows as the baseline.
/// </summary>
internal static class IngestBench
{
    public static async Task RunAsync(BenchApp app, int alerts)
    {
        var sizes = new[] { alerts / 5, alerts / 2, alerts }.Where(n => n > 0).Distinct().ToList();
        await IngestAsync(app, Math.Min(1000, alerts), print: false); // warm-up: JIT, connection pool, HTTP connections
        Console.WriteLine("| alerts | seconds | alerts/s | peak working set (MiB) | CPU ms (process) | allocated (MiB) | allocated per alert (kB) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            await IngestAsync(app, size, print: true);
        }
        var reader = await ReaderAsync(app, alerts);
        Console.WriteLine($"the app's reader alone (the ALeRCE client over HTTP from the fake, ToGenericAlert and the row built; no database): {reader.TotalSeconds:0.000} s = {alerts / reader.TotalSeconds:N0} alerts/s");
        var writer = await WriterAsync(app, alerts);
        Console.WriteLine($"the app's writer alone (BulkInsert of {alerts} RunAlerts rows and their match keys, built in memory): {writer.TotalSeconds:0.000} s = {alerts / writer.TotalSeconds:N0} rows/s");
        var baseline = await BaselineInsertAsync(app, alerts);
        Console.WriteLine($"baseline: plain batched INSERT of {alerts} rows of the same shape: {baseline.TotalSeconds:0.000} s = {alerts / baseline.TotalSeconds:N0} rows/s");
        if (app.Provider != "postgres")
        {
            foreach (var rowsPerStatement in new[] { 10, 50 })
            {
                var multi = await MultiRowInsertAsync(app, alerts, rowsPerStatement);
                Console.WriteLine($"baseline: multi-row INSERT ({rowsPerStatement} rows a statement, prepared once) of {alerts} rows: {multi.TotalSeconds:0.000} s = {alerts / multi.TotalSeconds:N0} rows/s");
            }
            var limit = await EngineLimitAsync(app, alerts);
            Console.WriteLine($"raw SQLite limit: one INSERT … SELECT generating the same {alerts} rows inside SQLite (no per-row ADO.NET work; same table and indexes): {limit.TotalSeconds:0.000} s = {alerts / limit.TotalSeconds:N0} rows/s");
        }
        if (app.Provider == "postgres")
        {
            var copy = await CopyInsertAsync(app, alerts);
            Console.WriteLine($"PostgreSQL binary COPY of the same {alerts} rows (what BulkInsert could do on PostgreSQL): {copy.TotalSeconds:0.000} s = {alerts / copy.TotalSeconds:N0} rows/s");
        }
    }

    private static async Task IngestAsync(BenchApp app, int size, bool print)
    {
        BenchApp.Prepare(size, 500);
        var runId = await app.StartRunAsync("ALeRCE", """{"query_name":"bench","broker":"ALeRCE","max_pages":20}""");
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var (elapsed, peak) = await BenchCommands.MeasureAsync(() => app.ExecuteRunAsync(runId));
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated; // includes the fake broker serving its pages (pre-serialised bytes)
        process.Refresh();
        var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        var run = await app.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        if (run.Status != RunStatus.Succeeded || run.AlertCount != size)
        {
            throw new InvalidOperationException($"run {runId}: {run.Status}, {run.AlertCount} of {size} alerts: {run.Error}");
        }
        if (print)
        {
            Console.WriteLine($"| {size:N0} | {elapsed.TotalSeconds:0.000} | {size / elapsed.TotalSeconds:N0} | {peak:0} | {cpuMs:N0} | {allocated / 1048576.0:0.0} | {allocated / 1024.0 / size:0.0} |");
        }
    }

    private static async Task<TimeSpan> CopyInsertAsync(BenchApp app, int rows)
    {
        var runId = await app.StartRunAsync("ALeRCE", """{"query_name":"copy","broker":"ALeRCE"}""");
        return await app.WithDbAsync(async db =>
        {
            var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
            await connection.OpenAsync();
            var watch = Stopwatch.StartNew();
            await using (var importer = await connection.BeginBinaryImportAsync(
                """COPY "RunAlerts" ("QueryRunId", "Position", "AlertId", "Name", "Ra", "Dec", "Mag", "Score", "Timestamp", "Url", "Classification", "Payload", "IsNew") FROM STDIN (FORMAT BINARY)"""))
            {
                for (var i = 0; i < rows; i++)
                {
                    var item = BenchApp.AlerceItem(i);
                    await importer.StartRowAsync();
                    await importer.WriteAsync(runId, NpgsqlTypes.NpgsqlDbType.Bigint);
                    await importer.WriteAsync(i, NpgsqlTypes.NpgsqlDbType.Integer);
                    await importer.WriteAsync((string)item["oid"]!, NpgsqlTypes.NpgsqlDbType.Varchar);
                    await importer.WriteAsync((string)item["oid"]!, NpgsqlTypes.NpgsqlDbType.Varchar);
                    await importer.WriteAsync((double)item["meanra"]!, NpgsqlTypes.NpgsqlDbType.Double);
                    await importer.WriteAsync((double)item["meandec"]!, NpgsqlTypes.NpgsqlDbType.Double);
                    await importer.WriteNullAsync();
                    await importer.WriteAsync((double)item["probability"]!, NpgsqlTypes.NpgsqlDbType.Double);
                    await importer.WriteAsync(DateTime.UtcNow, NpgsqlTypes.NpgsqlDbType.TimestampTz);
                    await importer.WriteAsync("https://alerce.online/object/" + (string)item["oid"]!, NpgsqlTypes.NpgsqlDbType.Varchar);
                    await importer.WriteAsync("SNIa", NpgsqlTypes.NpgsqlDbType.Varchar);
                    await importer.WriteAsync(item.ToJsonString(), NpgsqlTypes.NpgsqlDbType.Text);
                    await importer.WriteAsync(true, NpgsqlTypes.NpgsqlDbType.Boolean);
                }
                await importer.CompleteAsync();
            }
            return watch.Elapsed;
        });
    }

    private const string Columns = """
        "QueryRunId", "Position", "AlertId", "Name", "Ra", "Dec", "Mag", "Score", "Timestamp", "Url", "Classification", "Payload", "IsNew"
        """;

    /// <summary>The same rows as <see cref="BaselineInsertAsync"/>, several a statement: one prepared multi-row INSERT per full chunk.</summary>
    private static async Task<TimeSpan> MultiRowInsertAsync(BenchApp app, int rows, int perStatement)
    {
        var runId = await app.StartRunAsync("ALeRCE", $$"""{"query_name":"multi{{perStatement}}","broker":"ALeRCE"}""");
        return await app.WithDbAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            var watch = Stopwatch.StartNew();
            for (var start = 0; start < rows; start += 1000)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                var end = Math.Min(rows, start + 1000);
                for (var first = start; first < end; first += perStatement)
                {
                    var count = Math.Min(perStatement, end - first);
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = $"INSERT INTO \"RunAlerts\" ({Columns}) VALUES "
                                          + string.Join(", ", Enumerable.Range(0, count).Select(r => $"(@run, @pos{r}, @id{r}, @id{r}, @ra{r}, @dec{r}, NULL, @score{r}, @ts{r}, @url{r}, 'SNIa', @payload{r}, TRUE)"));
                    Add(command, "@run", runId);
                    for (var r = 0; r < count; r++)
                    {
                        var i = first + r;
                        var item = BenchApp.AlerceItem(i);
                        Add(command, $"@pos{r}", i);
                        Add(command, $"@id{r}", (string)item["oid"]!);
                        Add(command, $"@ra{r}", (double)item["meanra"]!);
                        Add(command, $"@dec{r}", (double)item["meandec"]!);
                        Add(command, $"@score{r}", (double)item["probability"]!);
                        Add(command, $"@ts{r}", DateTime.UtcNow);
                        Add(command, $"@url{r}", "https://alerce.online/object/" + (string)item["oid"]!);
                        Add(command, $"@payload{r}", item.ToJsonString());
                    }
                    await command.ExecuteNonQueryAsync();
                }
                await transaction.CommitAsync();
            }
            return watch.Elapsed;
        });
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// What SQLite itself can store: the same number of rows of the same size, generated by a recursive CTE inside one
    /// INSERT … SELECT in one transaction, so no row crosses the ADO.NET boundary.
    /// </summary>
    private static async Task<TimeSpan> EngineLimitAsync(BenchApp app, int rows)
    {
        var runId = await app.StartRunAsync("ALeRCE", """{"query_name":"engine","broker":"ALeRCE"}""");
        var payload = BenchApp.AlerceItem(1234567).ToJsonString();
        return await app.WithDbAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            var watch = Stopwatch.StartNew();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < @rows - 1)
                INSERT INTO "RunAlerts" ({Columns})
                SELECT @run, i, printf('ZTF24bench%07d', i), printf('ZTF24bench%07d', i), i * 0.0359 % 360, -89 + i * 0.0179 % 178, NULL,
                       0.5 + i % 50 / 100.0, @ts, printf('https://alerce.online/object/ZTF24bench%07d', i), 'SNIa',
                       replace(@payload, '1234567', printf('%07d', i)), TRUE
                FROM n
                """;
            Add(command, "@rows", rows);
            Add(command, "@run", runId);
            Add(command, "@ts", DateTime.UtcNow);
            Add(command, "@payload", payload);
            await command.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
            return watch.Elapsed;
        });
    }

    /// <summary>What the run costs without the database: the broker's pages fetched, parsed and turned into rows, as a run does.</summary>
    private static async Task<TimeSpan> ReaderAsync(BenchApp app, int alerts)
    {
        BenchApp.Prepare(alerts, 500);
        await using var scope = app.Services.CreateAsyncScope();
        var broker = scope.ServiceProvider.GetRequiredService<TomAlerts.Brokers.BrokerRegistry>().GetServiceClass("ALeRCE");
        var parameters = System.Text.Json.Nodes.JsonNode.Parse("""{"query_name":"bench","broker":"ALeRCE","max_pages":20}""")!.AsObject();
        var watch = Stopwatch.StartNew();
        var position = 0;
        var bytes = 0L;
        await foreach (var (raw, json) in ((TomAlerts.Brokers.IStreamsRawAlerts)broker).FetchRawAlertsAsync(parameters, new TomAlerts.Brokers.FetchFeedback(), CancellationToken.None))
        {
            var row = TomAlerts.Web.Features.Runs.RunAlertRows.Create(1, position++, broker.ToGenericAlert(raw), json);
            bytes += row.Payload.Length;
        }
        if (position != alerts)
        {
            throw new InvalidOperationException($"the reader got {position} of {alerts} alerts ({bytes} characters)");
        }
        return watch.Elapsed;
    }

    /// <summary>What the run's writer costs without the broker: the same rows, already built, through <see cref="TomAlerts.Web.Features.Runs.RunAlertRows.InsertAsync"/>.</summary>
    private static async Task<TimeSpan> WriterAsync(BenchApp app, int rows)
    {
        var runId = await app.StartRunAsync("ALeRCE", """{"query_name":"writer","broker":"ALeRCE"}""");
        var batch = Enumerable.Range(0, rows).Select(i =>
        {
            var item = BenchApp.AlerceItem(i);
            return new RunAlert
            {
                QueryRunId = runId, Position = i, AlertId = (string)item["oid"]!, Name = (string)item["oid"]!,
                Ra = (double)item["meanra"]!, Dec = (double)item["meandec"]!, Score = (double)item["probability"]!,
                Timestamp = DateTime.UtcNow, Url = "https://alerce.online/object/" + (string)item["oid"]!, Classification = "SNIa",
                Payload = item.ToJsonString(), IsNew = true,
            };
        }).ToList();
        return await app.WithDbAsync(async db =>
        {
            var watch = Stopwatch.StartNew();
            foreach (var chunk in batch.Chunk(1000))
            {
                await TomAlerts.Web.Features.Runs.RunAlertRows.InsertAsync(db, "ALeRCE", chunk, CancellationToken.None);
            }
            return watch.Elapsed;
        });
    }

    private static async Task<TimeSpan> BaselineInsertAsync(BenchApp app, int rows)
    {
        var runId = await app.StartRunAsync("ALeRCE", """{"query_name":"baseline","broker":"ALeRCE"}""");
        return await app.WithDbAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            var watch = Stopwatch.StartNew();
            for (var start = 0; start < rows; start += 1000)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO "RunAlerts" ("QueryRunId", "Position", "AlertId", "Name", "Ra", "Dec", "Mag", "Score", "Timestamp", "Url", "Classification", "Payload", "IsNew")
                    VALUES (@run, @pos, @id, @id, @ra, @dec, NULL, @score, @ts, @url, 'SNIa', @payload, TRUE)
                    """;
                var p = new Dictionary<string, DbParameter>();
                foreach (var name in new[] { "run", "pos", "id", "ra", "dec", "score", "ts", "url", "payload" })
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "@" + name;
                    command.Parameters.Add(parameter);
                    p[name] = parameter;
                }
                for (var i = start; i < Math.Min(rows, start + 1000); i++)
                {
                    var item = BenchApp.AlerceItem(i);
                    p["run"].Value = runId;
                    p["pos"].Value = i;
                    p["id"].Value = (string)item["oid"]!;
                    p["ra"].Value = (double)item["meanra"]!;
                    p["dec"].Value = (double)item["meandec"]!;
                    p["score"].Value = (double)item["probability"]!;
                    p["ts"].Value = DateTime.UtcNow;
                    p["url"].Value = "https://alerce.online/object/" + (string)item["oid"]!;
                    p["payload"].Value = item.ToJsonString();
                    await command.ExecuteNonQueryAsync();
                }
                await transaction.CommitAsync();
            }
            return watch.Elapsed;
        });
    }
}
