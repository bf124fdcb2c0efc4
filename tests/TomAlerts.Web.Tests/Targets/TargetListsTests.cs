using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Targets;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Targets;

/// <summary>Target lists through their pages and the API: create, rename, delete, membership, the list's page and export.</summary>
public sealed class TargetListsTests : AppTest
{
    private Task<List<int>> SeedAsync(params string[] names) => Factory.WithDbAsync(async db =>
    {
        var now = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var targets = names.Select((n, i) => new Target { Name = n, NormalizedName = TargetNames.Normalize(n), Created = now.AddMinutes(i), Modified = now }).ToList();
        db.Targets.AddRange(targets);
        await db.SaveChangesAsync();
        await db.ShareWithTeamAsync();
        return targets.Select(t => t.Id).ToList();
    });

    private static async Task<int> CreateListAsync(ApiUser api, string name, string? visibility = null)
    {
        using var response = await api.Api.PostAsJsonAsync("/api/v1/targetlists", new { name, visibility });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetInt32();
    }

    [Fact]
    public async Task Api_CreateAddRenameRemoveDelete_ListFollows()
    {
        var ids = await SeedAsync("SN 2026aaa", "SN 2026bbb", "SN 2026ccc");
        var api = await Factory.ApiUserAsync();
        var listId = await CreateListAsync(api, "Spectroscopy");

        var added = await (await api.Api.PostAsJsonAsync($"/api/v1/targetlists/{listId}/targets", new { targetIds = new[] { ids[0], ids[1], ids[1], 999999 } })).JsonAsync();
        var again = await (await api.Api.PostAsJsonAsync($"/api/v1/targetlists/{listId}/targets", new { targetIds = new[] { ids[0] } })).JsonAsync();
        using var renamed = await api.Api.PatchAsJsonAsync($"/api/v1/targetlists/{listId}", new { name = "Spectroscopy tonight" });
        using var removed = await api.Api.DeleteAsync($"/api/v1/targetlists/{listId}/targets/{ids[0]}");
        using var removedAgain = await api.Api.DeleteAsync($"/api/v1/targetlists/{listId}/targets/{ids[0]}");
        var detail = await (await api.Api.GetAsync($"/api/v1/targetlists/{listId}")).JsonAsync();

        Assert.Equal([ids[0], ids[1]], added.GetProperty("added").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([999999], added.GetProperty("notFound").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([ids[0]], again.GetProperty("alreadyIn").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        ApiSupport.AssertProblem(removedAgain, HttpStatusCode.NotFound);
        Assert.Equal("Spectroscopy tonight", detail.GetProperty("list").GetProperty("name").GetString());
        Assert.Equal(1, detail.GetProperty("list").GetProperty("count").GetInt32());
        Assert.Equal(["SN 2026bbb"], detail.GetProperty("targets").GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));

        using var deleted = await api.Api.DeleteAsync($"/api/v1/targetlists/{listId}");
        using var gone = await api.Api.GetAsync($"/api/v1/targetlists/{listId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        ApiSupport.AssertProblem(gone, HttpStatusCode.NotFound);
        Assert.Equal(3, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
    }

    [Fact]
    public async Task Api_OthersList_PrivateIs404SharedIsReadOnly403()
    {
        var ids = await SeedAsync("SN 2026aaa");
        var owner = await Factory.ApiUserAsync();
        var other = await Factory.ApiUserAsync();
        var shared = await CreateListAsync(owner, "Team picks", "shared");
        var byDefault = await CreateListAsync(owner, "Unsaid");
        var hidden = await CreateListAsync(owner, "Mine", "private");

        using var readShared = await other.Api.GetAsync($"/api/v1/targetlists/{shared}");
        using var addShared = await other.Api.PostAsJsonAsync($"/api/v1/targetlists/{shared}/targets", new { targetIds = new[] { ids[0] } });
        using var deleteShared = await other.Api.DeleteAsync($"/api/v1/targetlists/{shared}");
        using var readHidden = await other.Api.GetAsync($"/api/v1/targetlists/{hidden}");
        using var readDefault = await other.Api.GetAsync($"/api/v1/targetlists/{byDefault}"); // a list is private unless shared
        using var renameHidden = await other.Api.PatchAsJsonAsync($"/api/v1/targetlists/{hidden}", new { name = "x" });
        var seen = await (await other.Api.GetAsync("/api/v1/targetlists")).JsonAsync();
        using var badName = await owner.Api.PostAsJsonAsync("/api/v1/targetlists", new { name = " " });

        Assert.Equal(HttpStatusCode.OK, readShared.StatusCode);
        ApiSupport.AssertProblem(addShared, HttpStatusCode.Forbidden);
        ApiSupport.AssertProblem(deleteShared, HttpStatusCode.Forbidden);
        ApiSupport.AssertProblem(readHidden, HttpStatusCode.NotFound);
        ApiSupport.AssertProblem(readDefault, HttpStatusCode.NotFound);
        ApiSupport.AssertProblem(renameHidden, HttpStatusCode.NotFound);
        Assert.Equal(["Team picks"], seen.EnumerateArray().Select(l => l.GetProperty("name").GetString()));
        Assert.Equal(["name"], await badName.ErrorFieldsAsync());
    }

    [Fact]
    public async Task Pages_CreateBulkAddShowExportRemoveRenameDelete()
    {
        var ids = await SeedAsync("SN 2026aaa", "SN 2026bbb", "SN 2026ccc");
        var user = await Factory.LoginAsync();

        using var created = await user.Page.PostFormAsync("/targets/lists/", "/targets/lists/", new() { ["name"] = "Follow <up>", ["visibility"] = "shared" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var listUrl = created.Headers.Location!.OriginalString;
        var listId = int.Parse(listUrl.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1], CultureInfo.InvariantCulture);

        var (_, listPage) = await user.Page.GetAsync("/targets/");
        var add = ids.Take(2).Select(id => new KeyValuePair<string, string>("targetIds", id.ToString(CultureInfo.InvariantCulture)))
            .Append(new("action", "add")).Append(new("list", listId.ToString(CultureInfo.InvariantCulture))).Append(new("back", "/targets/"));
        using var bulk = await user.Page.PostWithTokenAsync("/targets/bulk/", add, PageSession.Token(listPage));
        var (status, show) = await user.Page.GetAsync(listUrl);
        using var export = await user.Page.Client.GetAsync($"/targets/lists/{listId}/export?format=csv&sort=name");
        var csv = await export.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, bulk.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Follow &lt;up&gt;", show, StringComparison.Ordinal);
        Assert.DoesNotContain("Follow <up>", show, StringComparison.Ordinal);
        Assert.Contains(">SN 2026aaa</a>", show, StringComparison.Ordinal);
        Assert.DoesNotContain(">SN 2026ccc</a>", show, StringComparison.Ordinal);
        var lines = csv.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(3, lines.Count);
        Assert.StartsWith($"{ids[0]},SN 2026aaa,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{ids[1]},SN 2026bbb,", lines[2], StringComparison.Ordinal);

        var remove = new[] { new KeyValuePair<string, string>("targetIds", ids[0].ToString(CultureInfo.InvariantCulture)), new("action", "remove"), new("fromList", listId.ToString(CultureInfo.InvariantCulture)) };
        using var removed = await user.Page.PostWithTokenAsync("/targets/bulk/", remove, PageSession.Token(show));
        using var renamed = await user.Page.PostFormAsync(listUrl, $"/targets/lists/{listId}/rename/", new() { ["name"] = "Tonight" });
        Assert.Equal(["SN 2026bbb"], await Factory.WithDbAsync(db =>
            db.TargetListMembers.Where(m => m.TargetListId == listId).Join(db.Targets, m => m.TargetId, t => t.Id, (m, t) => t.Name).ToListAsync()));
        Assert.Equal("Tonight", await Factory.WithDbAsync(db => db.TargetLists.Where(l => l.Id == listId).Select(l => l.Name).SingleAsync()));

        var other = await Factory.LoginAsync();
        using var notYours = await other.Page.PostFormAsync(listUrl, $"/targets/lists/{listId}/delete/", []);
        using var deleted = await user.Page.PostFormAsync(listUrl, $"/targets/lists/{listId}/delete/", []);
        Assert.Equal(HttpStatusCode.Forbidden, notYours.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(0, await Factory.WithDbAsync(db => db.TargetLists.CountAsync()));
        Assert.Equal(3, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
    }

    [Fact]
    public async Task TargetTable_ShowsEachRowsListsTheReaderSees_AndOffersOnlyTheirOwnToAddTo()
    {
        var ids = await SeedAsync("SN 2026aaa", "SN 2026bbb");
        var owner = await Factory.LoginAsync();
        var reader = await Factory.LoginAsync();
        var (teamPicks, ownerOnly, tonight) = await Factory.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var lists = new[]
            {
                new TargetList { Name = "Team picks", OwnerId = owner.Id, Visibility = TomAlerts.Queries.QueryVisibility.Shared, Created = now, Modified = now },
                new TargetList { Name = "Owner only", OwnerId = owner.Id, Created = now, Modified = now },
                new TargetList { Name = "B tonight", OwnerId = reader.Id, Created = now, Modified = now },
            };
            db.TargetLists.AddRange(lists);
            await db.SaveChangesAsync();
            db.TargetListMembers.AddRange(
                new TargetListMember { TargetListId = lists[0].Id, TargetId = ids[0], Added = now },
                new TargetListMember { TargetListId = lists[1].Id, TargetId = ids[0], Added = now },
                new TargetListMember { TargetListId = lists[2].Id, TargetId = ids[0], Added = now },
                new TargetListMember { TargetListId = lists[2].Id, TargetId = ids[1], Added = now });
            await db.SaveChangesAsync();
            return (lists[0].Id, lists[1].Id, lists[2].Id);
        });

        var (status, page) = await reader.Page.GetAsync("/targets/?sort=name");

        Assert.Equal(HttpStatusCode.OK, status);
        string ListsOf(int id) => System.Text.RegularExpressions.Regex.Match(page,
            $"data-target-id=\"{id}\".*?<td class=\"lists[^\"]*\">(.*?)</td>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        var rowA = ListsOf(ids[0]);
        Assert.Contains($"href=\"/targets/lists/{tonight}/\"", rowA, StringComparison.Ordinal);
        Assert.Contains($"href=\"/targets/lists/{teamPicks}/\"", rowA, StringComparison.Ordinal);
        Assert.True(rowA.IndexOf(">B tonight<", StringComparison.Ordinal) < rowA.IndexOf(">Team picks<", StringComparison.Ordinal), rowA);
        Assert.DoesNotContain($"/targets/lists/{ownerOnly}/", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Owner only", page, StringComparison.Ordinal);
        Assert.Contains(">B tonight<", ListsOf(ids[1]), StringComparison.Ordinal);
        Assert.DoesNotContain("Team picks", ListsOf(ids[1]), StringComparison.Ordinal);
        var offered = System.Text.RegularExpressions.Regex.Match(page, "<select id=\"bulk-list\".*?</select>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Equal([$"{tonight}"], System.Text.RegularExpressions.Regex.Matches(offered, "<option value=\"(\\d+)\"").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task TargetPage_AddToList_ShowsTheListOnThePage()
    {
        var ids = await SeedAsync("SN 2026aaa");
        var user = await Factory.LoginAsync();
        var listId = await Factory.WithDbAsync(async db =>
        {
            var list = new TargetList { Name = "Photometry", OwnerId = user.Id, Created = DateTime.UtcNow, Modified = DateTime.UtcNow };
            db.TargetLists.Add(list);
            await db.SaveChangesAsync();
            return list.Id;
        });

        using var added = await user.Page.PostFormAsync($"/targets/{ids[0]}/", "/targets/bulk/",
            new() { ["action"] = "add", ["list"] = listId.ToString(CultureInfo.InvariantCulture), ["targetIds"] = ids[0].ToString(CultureInfo.InvariantCulture), ["back"] = $"/targets/{ids[0]}/" });
        var (_, page) = await user.Page.GetAsync($"/targets/{ids[0]}/");

        Assert.Equal($"/targets/{ids[0]}/", added.Headers.Location?.OriginalString);
        Assert.Contains($"href=\"/targets/lists/{listId}/\" class=\"badge text-bg-light border target-list\">Photometry</a>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCreateTargets_WithAList_PutsCreatedAndMatchedTargetsInIt()
    {
        Factory.Brokers.MapAlerce(3);
        var (user, _, runId) = await LogInAndRunAsync("ALeRCE", new() { ["max_pages"] = "1" });
        var listId = await Factory.WithDbAsync(async db =>
        {
            var list = new TargetList { Name = "From runs", OwnerId = user.Id, Created = DateTime.UtcNow, Modified = DateTime.UtcNow };
            db.TargetLists.Add(list);
            await db.SaveChangesAsync();
            return list.Id;
        });
        var (_, runPage) = await user.Page.GetAsync($"/alerts/run/{runId}/");
        Assert.Contains("id=\"create-targets-list\"", runPage, StringComparison.Ordinal);

        using var first = await user.CreateTargetsAsync(runId, FakeAlerce.Oid(0));
        var fields = new[] { FakeAlerce.Oid(0), FakeAlerce.Oid(1) }.Select(a => new KeyValuePair<string, string>("alerts", a))
            .Append(new("runId", runId.ToString(CultureInfo.InvariantCulture))).Append(new("list", listId.ToString(CultureInfo.InvariantCulture)));
        using var second = await user.Page.PostWithTokenAsync("/alerts/alert/create/", fields, PageSession.Token(runPage));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var members = await Factory.WithDbAsync(db =>
            db.TargetListMembers.Where(m => m.TargetListId == listId).Join(db.Targets, m => m.TargetId, t => t.Id, (m, t) => t.Name).OrderBy(n => n).ToListAsync());
        Assert.Equal(new[] { FakeAlerce.Oid(0), FakeAlerce.Oid(1) }.Order(StringComparer.Ordinal), members.Order(StringComparer.Ordinal));
    }
}
