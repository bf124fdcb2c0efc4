using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Brokers;
using TomAlerts.Targets;
using TomAlerts.Web.Features.LightCurves;
using TomAlerts.Web.Features.Targets;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Targets;

/// <summary>The list's columns kept on the target, sorting on each of them with cursor pages, and the bulk actions.</summary>
public sealed partial class TargetSortTests : AppTest
{
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>130 targets; every fourth has no photometry (nulls), magnitudes and classes repeat so the id breaks ties.</summary>
    private Task<List<Target>> SeedAsync() => Factory.WithDbAsync(async db =>
    {
        var targets = new List<Target>();
        for (var i = 0; i < 130; i++)
        {
            var target = new Target { Name = $"ZTF26sort{i:D4}", NormalizedName = $"ztf26sort{i:d4}", Created = Start.AddMinutes(i / 2), Modified = Start };
            if (i % 7 != 0)
            {
                target.SetPosition(i * 2.5 % 360, -60 + i % 100);
            }
            if (i % 4 != 0)
            {
                target.LastMagnitude = 17 + i % 9 * 0.5;
                target.LastBand = i % 2 == 0 ? "g" : "r";
                target.LastDetection = Start.AddDays(i % 11);
                target.PhotometryCount = i % 13;
            }
            if (i % 3 != 0)
            {
                (target.ClassName, target.ClassSource) = (i % 2 == 0 ? "SN Ia" : "AGN", i % 5 == 0 ? "TNS" : "ALeRCE");
            }
            targets.Add(target);
        }
        db.Targets.AddRange(targets);
        await db.SaveChangesAsync();
        await db.ShareWithTeamAsync();
        return targets;
    });

    private static IEnumerable<string> Expected(List<Target> targets, string column, bool descending)
    {
        Func<Target, IComparable?> key = column switch
        {
            "name" => t => t.Name,
            "ra" => t => t.Ra,
            "dec" => t => t.Dec,
            "lastMagnitude" => t => t.LastMagnitude,
            "lastBand" => t => t.LastBand,
            "lastDetection" => t => t.LastDetection,
            "className" => t => t.ClassName,
            "classSource" => t => t.ClassSource,
            "photometryCount" => t => t.PhotometryCount,
            _ => t => t.Created,
        };
        var valued = targets.Where(t => key(t) is not null);
        var ordered = descending
            ? valued.OrderByDescending(key, Comparer<IComparable?>.Create(Ordinal)).ThenByDescending(t => t.Id)
            : valued.OrderBy(key, Comparer<IComparable?>.Create(Ordinal)).ThenBy(t => t.Id);
        var blank = targets.Where(t => key(t) is null);
        return ordered.Concat(descending ? blank.OrderByDescending(t => t.Id) : blank.OrderBy(t => t.Id)).Select(t => t.Name);
    }

    private static int Ordinal(IComparable? a, IComparable? b) =>
        a is string x && b is string y ? string.CompareOrdinal(x, y) : Comparer<IComparable?>.Default.Compare(a, b);

    private static List<string> Names(string html) => TargetLink().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [Theory]
    [InlineData("name")]
    [InlineData("ra")]
    [InlineData("dec")]
    [InlineData("lastMagnitude")]
    [InlineData("lastBand")]
    [InlineData("lastDetection")]
    [InlineData("className")]
    [InlineData("classSource")]
    [InlineData("photometryCount")]
    [InlineData("created")]
    public async Task List_SortedByEachColumnBothWays_CursorPagesWalkTheWholeOrderNullsLast(string column)
    {
        var targets = await SeedAsync();
        var user = await Factory.LoginAsync();

        foreach (var descending in new[] { false, true })
        {
            var sort = (descending ? "-" : "") + column;
            var seen = new List<string>();
            var pages = new List<string>();
            var url = $"/targets/?sort={Uri.EscapeDataString(sort)}";
            while (true)
            {
                var (status, html) = await user.Page.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, status);
                pages.Add(html);
                seen.AddRange(Names(html));
                var next = NextLink().Match(html);
                if (!next.Success)
                {
                    break;
                }
                url = WebUtility.HtmlDecode(next.Groups[1].Value);
            }
            var (_, back) = await user.Page.GetAsync(WebUtility.HtmlDecode(PreviousLink().Match(pages[^1]).Groups[1].Value));

            Assert.Equal(3, pages.Count);
            Assert.Equal(Expected(targets, column, descending), seen);
            Assert.Equal(Names(pages[1]), Names(back));
        }
    }

    [Fact]
    public async Task Api_SortParameter_OrdersAndRejectsUnknownColumns()
    {
        var targets = await SeedAsync();
        var api = await Factory.ApiUserAsync();

        var page3 = await (await api.Api.GetAsync("/api/v1/targets?sort=-lastMagnitude&page=3&pageSize=50")).JsonAsync();
        using var bad = await api.Api.GetAsync("/api/v1/targets?sort=colour");

        Assert.Equal(Expected(targets, "lastMagnitude", true).Skip(100), page3.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(JsonNull, page3.GetProperty("items")[29].GetProperty("lastMagnitude").ValueKind);
        Assert.Equal(["sort"], await bad.ErrorFieldsAsync());
    }

    private const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task Columns_AfterPhotometryMerge_FollowTheLatestDetection()
    {
        var id = (await Factory.WithDbAsync(async db =>
        {
            var t = new Target { Name = "ZTF26merge", NormalizedName = "ztf26merge", Created = Start, Modified = Start };
            db.Targets.Add(t);
            await db.SaveChangesAsync();
            await db.ShareWithTeamAsync();
            return new[] { t.Id };
        }))[0];
        await using var scope = Factory.Services.CreateAsyncScope();
        var merger = scope.ServiceProvider.GetRequiredService<PhotometryMerger>();

        await merger.MergeAsync(id, "ALeRCE", "ZTF26merge",
        [
            new PhotometryPoint { Timestamp = Start.AddDays(1), Bandpass = "g", Magnitude = 18.5 },
            new PhotometryPoint { Timestamp = Start.AddDays(3), Bandpass = "r", Magnitude = 18.1 },
            new PhotometryPoint { Timestamp = Start.AddDays(4), Bandpass = "r", Limit = 20.0 },
        ], CancellationToken.None);
        var first = await Factory.WithDbAsync(db => db.Targets.AsNoTracking().SingleAsync(t => t.Id == id));
        await merger.MergeAsync(id, "Lasair", "ZTF26merge", [new PhotometryPoint { Timestamp = Start.AddDays(5), Bandpass = "g", Magnitude = 17.9 }], CancellationToken.None);
        var second = await Factory.WithDbAsync(db => db.Targets.AsNoTracking().SingleAsync(t => t.Id == id));

        Assert.Equal((18.1, "r", Start.AddDays(3), 3), (first.LastMagnitude, first.LastBand, first.LastDetection, first.PhotometryCount));
        Assert.Equal((17.9, "g", Start.AddDays(5), 4), (second.LastMagnitude, second.LastBand, second.LastDetection, second.PhotometryCount));
    }

    [Fact]
    public async Task Class_BrokerThenTnsThenBroker_TnsTypeIsKeptWithItsSource()
    {
        var id = (await Factory.WithDbAsync(async db =>
        {
            var t = new Target { Name = "ZTF26class", NormalizedName = "ztf26class", Created = Start, Modified = Start };
            db.Targets.Add(t);
            await db.SaveChangesAsync();
            await db.ShareWithTeamAsync();
            return new[] { t.Id };
        }))[0];
        await using var scope = Factory.Services.CreateAsyncScope();
        var stats = scope.ServiceProvider.GetRequiredService<TargetStats>();
        async Task<(string?, string?)> ClassAsync() => await Factory.WithDbAsync(db => db.Targets.Where(t => t.Id == id).Select(t => new { t.ClassName, t.ClassSource }).SingleAsync()) is var c ? (c.ClassName, c.ClassSource) : default;

        await stats.SetClassAsync(id, "ALeRCE", "SNIa", CancellationToken.None);
        var fromBroker = await ClassAsync();
        await stats.SetClassAsync(id, "TNS", "SN Ia", CancellationToken.None);
        await stats.SetClassAsync(id, "Fink", "Early SN Ia candidate", CancellationToken.None);
        var afterTns = await ClassAsync();

        Assert.Equal(("SNIa", "ALeRCE"), fromBroker);
        Assert.Equal(("SN Ia", "TNS"), afterTns);
    }

    [Fact]
    public async Task RunTargets_AlertClass_IsOnTheTargetWithTheBrokerAsSource()
    {
        Factory.Brokers.MapAlerce(3);
        var (user, _, runId) = await LogInAndRunAsync("ALeRCE", new() { ["max_pages"] = "1" });
        var classes = await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId).ToDictionaryAsync(a => a.AlertId, a => a.Classification));
        Assert.Contains(classes.Values, c => c is not null);

        using var created = await user.CreateTargetsAsync(runId, [.. classes.Keys]);
        var targets = await Factory.WithDbAsync(db => db.Targets.ToDictionaryAsync(t => t.Name, t => (t.ClassName, t.ClassSource, t.PhotometryCount)));

        foreach (var (alertId, className) in classes)
        {
            Assert.Equal(className, targets[alertId].ClassName);
            Assert.Equal(className is null ? null : "ALeRCE", targets[alertId].ClassSource);
        }
        Assert.Contains(targets.Values, t => t.PhotometryCount > 0);
    }

    [Fact]
    public async Task Bulk_DeleteAndExportSelected_OnlyTheSelectedRows()
    {
        var targets = await SeedAsync();
        var user = await Factory.LoginAsync();
        var (_, page) = await user.Page.GetAsync("/targets/");
        var token = PageSession.Token(page);
        KeyValuePair<string, string> Id(Target t) => new("targetIds", t.Id.ToString(CultureInfo.InvariantCulture));

        using var export = await user.Page.PostWithTokenAsync("/targets/bulk/", [Id(targets[3]), Id(targets[5]), new("action", "export")], token);
        var csv = await export.Content.ReadAsStringAsync();
        using var deleted = await user.Page.PostWithTokenAsync("/targets/bulk/", [Id(targets[3]), Id(targets[5]), new("action", "delete")], token);

        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3, csv.Trim().Split('\n').Length);
        Assert.Contains(targets[3].Name, csv, StringComparison.Ordinal);
        Assert.Contains(targets[5].Name, csv, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(128, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
        Assert.False(await Factory.WithDbAsync(db => db.Targets.AnyAsync(t => t.Id == targets[3].Id || t.Id == targets[5].Id)));
    }

    [GeneratedRegex(@"<a href=""/targets/\d+/"">([^<]+)</a>")]
    private static partial Regex TargetLink();

    [GeneratedRegex(@"href=""([^""]+)"" rel=""next""")]
    private static partial Regex NextLink();

    [GeneratedRegex(@"href=""([^""]+)"" rel=""prev""")]
    private static partial Regex PreviousLink();
}
