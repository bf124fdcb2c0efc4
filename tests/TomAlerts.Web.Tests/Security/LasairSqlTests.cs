using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Security;

/// <summary>Lasair's SQL conditions are text for Lasair: sent there verbatim, stored as a parameter, never run here.</summary>
public sealed partial class LasairSqlTests : AppTest
{
    private const string Conditions = "gmag < 12; DROP TABLE Targets; DELETE FROM AspNetUsers; --";


    [Fact]
    public async Task SqlConditions_GoOnlyToLasairAndLeaveOurDatabaseAlone()
    {
        string? sent = null;
        Factory.Brokers.Map("/lasair/api/query/", async context =>
        {
            sent = context.Request.Query["conditions"];
            await context.Response.WriteAsync("[]");
        });
        var user = await Factory.LoginAsync();
        await Factory.WithDbAsync(async db =>
        {
            db.Targets.Add(new TomAlerts.Targets.Target { Name = "kept", NormalizedName = "kept", Created = DateTime.UtcNow, Modified = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });

        var queryId = await Factory.SaveQueryAsync(user, "Lasair", new() { ["sqlquery"] = Conditions });
        var runId = await Factory.RunQueryAsync(user, queryId);

        var run = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        Assert.Equal(Conditions, sent);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var parameters = await Factory.WithDbAsync(db => db.BrokerQueries.Where(q => q.Id == queryId).Select(q => q.Parameters).SingleAsync());
        Assert.Equal(Conditions, (string?)System.Text.Json.Nodes.JsonNode.Parse(parameters)!["sqlquery"]);
        Assert.Equal(1, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
        Assert.True(await Factory.WithDbAsync(db => db.Users.AnyAsync()));
    }

    /// <summary>
    /// Raw SQL is where user text could reach our database. These files use it with nothing from a user in the text;
    /// a new use must be reviewed and added here.
    /// </summary>
    private static readonly string[] ReviewedRawSql = ["DatabaseMigrator.cs", "SqlitePragmas.cs", "RunAlertWriter.cs", "BulkInsert.cs", "TargetSearch.cs", "RunAlertList.cs"];

    [Fact]
    public void RawSql_OnlyInReviewedFiles()
    {
        var src = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "..", "..", "src"));
        var users = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => RawSql().IsMatch(File.ReadAllText(f)))
            .Select(Path.GetFileName)
            .ToList();

        Assert.NotEmpty(users);
        Assert.All(users, f => Assert.Contains(f, ReviewedRawSql));
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;

    [GeneratedRegex(@"\b(FromSqlRaw|FromSql|FromSqlInterpolated|SqlQueryRaw|SqlQuery|ExecuteSqlRaw|ExecuteSqlRawAsync|ExecuteSqlInterpolated|ExecuteSqlInterpolatedAsync|ExecuteSql|ExecuteSqlAsync|CommandText)\b")]
    private static partial Regex RawSql();
}
