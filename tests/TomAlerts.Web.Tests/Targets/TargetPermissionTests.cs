using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Web.Features.Targets;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Targets;

/// <summary>
/// TOM's permissions with the product's defaults (no shared default group): a target belongs to its creator's personal
/// group; an outsider gets 404 on every target endpoint, a member of its groups and an admin get the page.
/// </summary>
public sealed class TargetPermissionTests : AppTest
{
    protected override void Arrange()
    {
        TestGroups.Personal(Factory);
        Factory.Brokers.MapAlerce(3).MapHermesSubmit(new ConcurrentQueue<JsonObject>());
    }

    /// <summary>The owner runs a shared ALeRCE query and makes a target of its first alert; an outsider and an admin are there too.</summary>
    private async Task<(ApiUser Owner, ApiUser Outsider, ApiUser Admin, long RunId, int TargetId, string Name)> SetUpAsync()
    {
        var owner = await Factory.ApiUserAsync();
        var run = await owner.Api.RunAsync(await owner.Api.CreateQueryAsync("ALeRCE", new { max_pages = "5" }, "shared"));
        var runId = run.GetProperty("id").GetInt64();
        var outcome = (await (await owner.Api.PostAsJsonAsync("/api/v1/targets/from-alerts", new { runId, alertIds = new[] { FakeAlerce.Oid(0) } })).JsonAsync())[0];
        Assert.Equal("created", outcome.GetProperty("outcome").GetString());
        return (owner, await Factory.ApiUserAsync(), await Factory.ApiUserAsync(admin: true), runId,
            outcome.GetProperty("targetId").GetInt32(), outcome.GetProperty("targetName").GetString()!);
    }

    public static TheoryData<string, bool> Endpoints => new()
    {
        { "/targets/{id}/", false },
        { "/targets/{id}/delete/", false },
        { "/targets/{id}/photometry/", false },
        { "/targets/{id}/photometry/?partial=1", false },
        { "/targets/{id}/lightcurve/", false },
        { "/targets/{id}/photometry/export?format=csv", false },
        { "/alerts/Hermes/submit/?target={id}", false },
        { "/api/v1/targets/{id}", true },
        { "/api/v1/targets/{id}/photometry", true },
        { "/api/v1/targets/{id}/photometry/export?format=json", true },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task TargetEndpoint_OutsiderGets404_OwnerAndAdminGet200(string path, bool api)
    {
        var (owner, outsider, admin, _, id, _) = await SetUpAsync();
        var url = path.Replace("{id}", id.ToString(), StringComparison.Ordinal);

        async Task<HttpStatusCode> StatusAsync(ApiUser user)
        {
            using var response = api ? await user.Api.GetAsync(url) : await user.User.Page.Client.GetAsync(url);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(outsider));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(owner));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin));
    }

    [Fact]
    public async Task Stamps_OfATargetOutsidersCannotSee_Are404WithTheSameMessageAsNoTarget()
    {
        var (_, outsider, _, _, id, _) = await SetUpAsync();

        var (status, html) = await outsider.User.Page.GetAsync($"/targets/{id}/stamps/science");
        var (missingStatus, _) = await outsider.User.Page.GetAsync("/targets/999999/stamps/science");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_AndExports_ShowOnlyWhatTheViewerMaySee()
    {
        var (owner, outsider, admin, _, id, name) = await SetUpAsync();

        var (_, outsiderPage) = await outsider.User.Page.GetAsync("/targets/");
        var (_, ownerPage) = await owner.User.Page.GetAsync("/targets/");
        var outsiderApi = await (await outsider.Api.GetAsync("/api/v1/targets")).JsonAsync();
        var adminApi = await (await admin.Api.GetAsync("/api/v1/targets")).JsonAsync();
        var (_, outsiderCsv) = await outsider.User.Page.GetAsync("/targets/export?format=csv");
        var (_, ownerCsv) = await owner.User.Page.GetAsync("/targets/export?format=csv");

        Assert.DoesNotContain($"href=\"/targets/{id}/\"", outsiderPage, StringComparison.Ordinal);
        Assert.Contains($"href=\"/targets/{id}/\"", ownerPage, StringComparison.Ordinal);
        Assert.Equal(0, outsiderApi.GetProperty("total").GetInt32());
        Assert.Equal([id], adminApi.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
        Assert.DoesNotContain(name, outsiderCsv, StringComparison.Ordinal);
        Assert.Contains(name, ownerCsv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_AsAnOutsider_Is404AndKeepsTheTarget()
    {
        var (_, outsider, _, _, id, _) = await SetUpAsync();

        using var page = await outsider.User.Page.PostFormAsync("/targets/", $"/targets/{id}/delete/", []);
        using var api = await outsider.Api.DeleteAsync($"/api/v1/targets/{id}");
        using var update = await outsider.User.Page.PostFormAsync("/targets/", $"/targets/{id}/update-data/", []);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, update.StatusCode);
        Assert.True(await Factory.WithDbAsync(db => db.Targets.AnyAsync(t => t.Id == id)));
    }

    [Fact]
    public async Task ConeSearchByName_FindsOnlyTargetsTheViewerMaySee()
    {
        var (owner, outsider, _, _, _, name) = await SetUpAsync();

        using var hidden = await outsider.Api.GetAsync($"/api/v1/search/cone?target={Uri.EscapeDataString(name)}");
        var (ownerStatus, ownerPage) = await owner.User.Page.GetAsync($"/search/cone?target={Uri.EscapeDataString(name)}");

        Assert.Equal(HttpStatusCode.BadRequest, hidden.StatusCode);
        Assert.Contains("No target is called", await hidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ownerStatus);
        Assert.DoesNotContain("No target is called", ownerPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunResults_MarkOnlyTargetsTheViewerMaySee()
    {
        var (owner, outsider, _, runId, id, _) = await SetUpAsync();

        var ownerRows = await (await owner.Api.GetAsync($"/api/v1/runs/{runId}/alerts")).JsonAsync();
        var outsiderRows = await (await outsider.Api.GetAsync($"/api/v1/runs/{runId}/alerts")).JsonAsync();

        int? Marked(System.Text.Json.JsonElement rows) => rows.GetProperty("items").EnumerateArray()
            .Where(a => a.GetProperty("alertId").GetString() == FakeAlerce.Oid(0))
            .Select(a => a.GetProperty("targetId").ValueKind == System.Text.Json.JsonValueKind.Number ? a.GetProperty("targetId").GetInt32() : (int?)null).Single();
        Assert.Equal(id, Marked(ownerRows));
        Assert.Null(Marked(outsiderRows));
        // The "no target yet" filter and the target sort see the same: the owner's target, for the outsider, is no target.
        var total = ownerRows.GetProperty("total").GetInt32();
        var ownerNew = await (await owner.Api.GetAsync($"/api/v1/runs/{runId}/alerts?notTarget=true")).JsonAsync();
        var outsiderNew = await (await outsider.Api.GetAsync($"/api/v1/runs/{runId}/alerts?notTarget=true")).JsonAsync();
        var outsiderSorted = await (await outsider.Api.GetAsync($"/api/v1/runs/{runId}/alerts?sort=target&dir=asc")).JsonAsync();
        Assert.Equal(total - 1, ownerNew.GetProperty("total").GetInt32());
        Assert.Equal(total, outsiderNew.GetProperty("total").GetInt32());
        Assert.Equal(FakeAlerce.Oid(0), outsiderSorted.GetProperty("items")[0].GetProperty("alertId").GetString());
    }

    [Fact]
    public async Task CreatingFromAnAlertOfAHiddenTarget_ChangesNothingAndSaysSo()
    {
        var (_, outsider, _, runId, _, _) = await SetUpAsync();

        var outcome = (await (await outsider.Api.PostAsJsonAsync("/api/v1/targets/from-alerts", new { runId, alertIds = new[] { FakeAlerce.Oid(0) } })).JsonAsync())[0];

        Assert.Equal("failed", outcome.GetProperty("outcome").GetString());
        Assert.Equal(TargetCreator.HiddenMatch, outcome.GetProperty("message").GetString());
        Assert.Equal(1, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
        Assert.Equal(1, await Factory.WithDbAsync(db => db.TargetProvenance.CountAsync()));
    }

    [Fact]
    public async Task NewUsersTarget_IsInTheirPersonalGroupOnly()
    {
        var (owner, _, _, _, id, _) = await SetUpAsync();

        var target = await (await owner.Api.GetAsync($"/api/v1/targets/{id}")).JsonAsync();
        var groups = await (await owner.Api.GetAsync("/api/v1/groups")).JsonAsync();

        var group = Assert.Single(target.GetProperty("groups").EnumerateArray());
        Assert.True(group.GetProperty("personal").GetBoolean());
        Assert.Equal(owner.User.Email, group.GetProperty("name").GetString());
        var mine = Assert.Single(groups.EnumerateArray());
        Assert.Equal(group.GetProperty("id").GetInt32(), mine.GetProperty("id").GetInt32());
        Assert.True(mine.GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task SharedGroup_MadeByAnAdmin_SharesATargetUntilTheMemberIsRemoved()
    {
        var (owner, outsider, admin, _, id, _) = await SetUpAsync();

        using var refused = await owner.Api.PostAsJsonAsync("/api/v1/groups", new { name = "Survey" });
        using var created = await admin.Api.PostAsJsonAsync("/api/v1/groups", new { name = "Survey" });
        using var duplicate = await admin.Api.PostAsJsonAsync("/api/v1/groups", new { name = "Survey" });
        var survey = (await created.JsonAsync()).GetProperty("id").GetInt32();
        using var addOwner = await admin.Api.PostAsJsonAsync($"/api/v1/groups/{survey}/members", new { email = owner.User.Email });
        using var addOutsider = await admin.Api.PostAsJsonAsync($"/api/v1/groups/{survey}/members", new { userId = outsider.User.Id });
        using var unknown = await admin.Api.PostAsJsonAsync($"/api/v1/groups/{survey}/members", new { email = "nobody@example.org" });
        var personal = (await (await owner.Api.GetAsync($"/api/v1/targets/{id}")).JsonAsync()).GetProperty("groups")[0].GetProperty("id").GetInt32();
        using var shared = await owner.User.Page.PostFormAsync($"/targets/{id}/", $"/targets/{id}/groups/", []);
        Assert.Equal(HttpStatusCode.Redirect, shared.StatusCode); // no group chosen: refused, the target stays where it was
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Api.GetAsync($"/api/v1/targets/{id}")).StatusCode);
        using var setGroups = await owner.User.Page.PostWithTokenAsync($"/targets/{id}/groups/",
            [new("groups", personal.ToString()), new("groups", survey.ToString())], PageSession.Token((await owner.User.Page.GetAsync($"/targets/{id}/")).Html));

        using var seen = await outsider.Api.GetAsync($"/api/v1/targets/{id}");
        var outsiderGroups = await (await outsider.Api.GetAsync("/api/v1/groups")).JsonAsync();
        using var removed = await admin.Api.DeleteAsync($"/api/v1/groups/{survey}/members/{outsider.User.Id}");
        using var gone = await outsider.Api.GetAsync($"/api/v1/targets/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(["name"], await duplicate.ErrorFieldsAsync());
        Assert.Equal(HttpStatusCode.OK, addOwner.StatusCode);
        Assert.Equal(HttpStatusCode.OK, addOutsider.StatusCode);
        Assert.Equal(["email"], await unknown.ErrorFieldsAsync());
        Assert.Equal(HttpStatusCode.Redirect, setGroups.StatusCode);
        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        Assert.Contains("Survey", (await seen.JsonAsync()).GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Contains(outsiderGroups.EnumerateArray(), g => g.GetProperty("id").GetInt32() == survey && !g.GetProperty("isDefault").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task AssignGroups_ToAGroupTheCreatorIsNotIn_IsRefusedWithAMessage()
    {
        var (owner, outsider, _, _, _, _) = await SetUpAsync();
        var outsiderPersonal = (await (await outsider.Api.GetAsync("/api/v1/groups")).JsonAsync())[0].GetProperty("id").GetInt32();

        await using var scope = Factory.Services.CreateAsyncScope();
        var access = scope.ServiceProvider.GetRequiredService<TargetAccess>();

        var refused = await access.CheckGroupsAsync([outsiderPersonal], owner.User.Id, CancellationToken.None);
        var allowed = await access.CheckGroupsAsync([outsiderPersonal], outsider.User.Id, CancellationToken.None);

        Assert.Contains("groups you belong to", refused, StringComparison.Ordinal);
        Assert.Null(allowed);
    }
}

/// <summary>A team deployment: Groups:DefaultGroups names a group every new user joins and creates targets in.</summary>
public sealed class TeamDefaultGroupTests : AppTest
{
    protected override void Arrange() => Factory.Brokers.MapAlerce(2);

    [Fact]
    public async Task DefaultGroups_NewUsersShareTheirTargetsInTheTeamGroup()
    {
        var owner = await Factory.ApiUserAsync();
        var run = await owner.Api.RunAsync(await owner.Api.CreateQueryAsync("ALeRCE", new { max_pages = "5" }, "private"));
        var outcome = (await (await owner.Api.PostAsJsonAsync("/api/v1/targets/from-alerts",
            new { runId = run.GetProperty("id").GetInt64(), alertIds = new[] { FakeAlerce.Oid(0) } })).JsonAsync())[0];
        var id = outcome.GetProperty("targetId").GetInt32();
        var colleague = await Factory.ApiUserAsync();

        var target = await (await colleague.Api.GetAsync($"/api/v1/targets/{id}")).JsonAsync();

        Assert.Equal(new[] { TestGroups.Team, owner.User.Email }.Order(StringComparer.Ordinal),
            target.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
    }
}
