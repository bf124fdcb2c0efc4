using System.Net;
using System.Text.RegularExpressions;
using TomAlerts.Targets;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Targets;

public sealed partial class TargetListTests : AppTest
{
    private async Task SeedAsync(int count)
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await Factory.WithDbAsync(async db =>
        {
            for (var i = 0; i < count; i++)
            {
                var target = new Target { Name = $"ZTF26aa{i:D5}", NormalizedName = $"ztf26aa{i:d5}", Created = start.AddMinutes(i / 3), Modified = start };
                target.SetPosition(i * 0.5 % 360, -60 + i % 120);
                if (i % 10 == 0)
                {
                    target.Aliases.Add(new TargetName { Name = $"SN 2026x{i:D4}", NormalizedName = TargetNames.Normalize($"SN 2026x{i:D4}"), Created = start });
                }
                db.Targets.Add(target);
            }
            var saved = await db.SaveChangesAsync();
            await db.ShareWithTeamAsync();
            return saved;
        });
    }

    private static List<string> Names(string html) => TargetLink().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task List_WalkingNextThenPrevious_VisitsEveryTargetOnceNewestFirst()
    {
        await SeedAsync(130); // creation times repeat, so the Id breaks ties
        var user = await Factory.LoginAsync();

        var seen = new List<string>();
        var pages = new List<string>();
        var url = "/targets/";
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
        var previous = WebUtility.HtmlDecode(PreviousLink().Match(pages[^1]).Groups[1].Value);
        var (_, back) = await user.Page.GetAsync(previous);

        Assert.Equal(3, pages.Count);
        Assert.Equal(130, seen.Count);
        Assert.Equal(130, seen.Distinct().Count());
        Assert.Equal("ZTF26aa00129", seen[0]);
        Assert.Contains("Page 3 of 3", pages[^1], StringComparison.Ordinal);
        Assert.Equal(Names(pages[1]), Names(back));
        Assert.Contains("Page 2 of 3", back, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ztf26aa0012", 10)]        // a prefix: ZTF26aa00120…00129
    [InlineData("ZTF26AA-00042", 1)]       // TOM's normalisation: case and dashes ignored
    [InlineData("SN 2026x0050", 1)]        // an alias
    [InlineData("2026x005", 1)]            // inside an alias, found by the fallback scan
    public async Task List_NameFilter_MatchesNamesAndAliases(string search, int expected)
    {
        await SeedAsync(130);
        var user = await Factory.LoginAsync();

        var (_, html) = await user.Page.GetAsync($"/targets/?name={Uri.EscapeDataString(search)}");

        Assert.Contains(expected == 1 ? "1 target<" : $"{expected} targets", html, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<a href=""/targets/\d+/"">([^<]+)</a>")]
    private static partial Regex TargetLink();

    [GeneratedRegex(@"href=""([^""]+)"" rel=""next""")]
    private static partial Regex NextLink();

    [GeneratedRegex(@"href=""([^""]+)"" rel=""prev""")]
    private static partial Regex PreviousLink();
}
