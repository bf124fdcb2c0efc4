using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Data;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Bench;

/// <summary>
/// The target list sorted by last magnitude (TargetQueries.KeysetPageAsync, as the list page calls it): page 1 and the
/// page 1,000 reached through the cursor, on the seeded targets with a last magnitude on four in five of them.
/// </summary>
internal static class SortedListBench
{
    public static async Task RunAsync(BenchApp app, int count, int samples)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Database.SetCommandTimeout(0);
            // What the photometry merger keeps on each target; repeated values, so the id breaks ties.
            await db.Database.ExecuteSqlRawAsync("""
                UPDATE "Targets" SET "LastMagnitude" = CASE WHEN "Id" % 5 = 0 THEN NULL ELSE 15 + ("Id" * 7919 % 6000) / 1000.0 END,
                    "LastBand" = CASE WHEN "Id" % 5 = 0 THEN NULL WHEN "Id" % 2 = 0 THEN 'g' ELSE 'r' END
                """);
            await db.Database.ExecuteSqlRawAsync("ANALYZE");
        }
        // An admin sees every target: the seeded targets are in no group.
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, TomAlerts.Web.Hosting.IdentityExtensions.AdminRole)], "bench"));
        foreach (var sort in new[] { new TargetSort("lastMagnitude", false), new TargetSort("lastMagnitude", true) })
        {
            var filter = new TargetFilter(null, null, null, null) { Sort = sort };
            TargetSortCursor? cursor = null;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var queries = Queries(scope);
                for (var page = 1; page < 1000; page++)
                {
                    var rows = await queries.KeysetPageAsync(filter, user, cursor, null, 50, CancellationToken.None);
                    cursor = sort.CursorOf(rows.Rows[^1].Target);
                }
            }
            var deep = cursor;
            var inputs = Enumerable.Range(0, samples).ToList();
            var first = await Samples.TimeAsync($"sort={sort} page 1", inputs, async _ =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                var page = await Queries(scope).KeysetPageAsync(filter, user, null, null, 50, CancellationToken.None);
                Check(page.Rows.Count == 50);
            });
            var thousand = await Samples.TimeAsync($"sort={sort} page 1,000 (after={deep})", inputs, async _ =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                var page = await Queries(scope).KeysetPageAsync(filter, user, deep, null, 50, CancellationToken.None);
                Check(page.Rows.Count == 50);
            });
            Console.WriteLine(first.Row(null));
            Console.WriteLine(thousand.Row(null));
        }
    }

    private static TargetQueries Queries(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<TargetQueries>();

    private static void Check(bool ok)
    {
        if (!ok)
        {
            throw new InvalidOperationException("a sorted page came back short");
        }
    }
}
