using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Targets;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Targets;

/// <summary>Comments on targets and on run alerts: plain text, encoded, changed only by their author or an admin.</summary>
public sealed class TargetCommentsTests : AppTest
{
    private Task<int> SeedAsync(string name) => Factory.WithDbAsync(async db =>
    {
        var target = new Target { Name = name, NormalizedName = TargetNames.Normalize(name), Created = DateTime.UtcNow, Modified = DateTime.UtcNow };
        db.Targets.Add(target);
        await db.SaveChangesAsync();
        await db.ShareWithTeamAsync();
        return target.Id;
    });

    [Fact]
    public async Task Api_PostListEditDelete_OnlyAuthorOrAdminChanges()
    {
        var id = await SeedAsync("SN 2026abc");
        var author = await Factory.ApiUserAsync();
        var other = await Factory.ApiUserAsync();
        var admin = await Factory.ApiUserAsync(admin: true);

        using var posted = await author.Api.PostAsJsonAsync($"/api/v1/targets/{id}/comments", new { text = "Spectrum <b>tonight</b>" });
        var commentId = (await posted.JsonAsync()).GetProperty("id").GetInt64();
        using var empty = await author.Api.PostAsJsonAsync($"/api/v1/targets/{id}/comments", new { text = "  " });
        using var otherEdit = await other.Api.PatchAsJsonAsync($"/api/v1/targets/{id}/comments/{commentId}", new { text = "mine now" });
        using var otherDelete = await other.Api.DeleteAsync($"/api/v1/targets/{id}/comments/{commentId}");
        using var wrongTarget = await author.Api.DeleteAsync($"/api/v1/targets/{id + 1}/comments/{commentId}");
        using var edited = await author.Api.PatchAsJsonAsync($"/api/v1/targets/{id}/comments/{commentId}", new { text = "Spectrum taken" });
        var listed = await (await other.Api.GetAsync($"/api/v1/targets/{id}/comments")).JsonAsync();
        using var adminDelete = await admin.Api.DeleteAsync($"/api/v1/targets/{id}/comments/{commentId}");
        var after = await (await author.Api.GetAsync($"/api/v1/targets/{id}/comments")).JsonAsync();

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(["text"], await empty.ErrorFieldsAsync());
        ApiSupport.AssertProblem(otherEdit, HttpStatusCode.Forbidden);
        ApiSupport.AssertProblem(otherDelete, HttpStatusCode.Forbidden);
        ApiSupport.AssertProblem(wrongTarget, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var comment = Assert.Single(listed.EnumerateArray());
        Assert.Equal("Spectrum taken", comment.GetProperty("text").GetString());
        Assert.Equal(author.User.Email, comment.GetProperty("author").GetString());
        Assert.False(comment.GetProperty("canChange").GetBoolean());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, comment.GetProperty("edited").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, adminDelete.StatusCode);
        Assert.Empty(after.EnumerateArray());
    }

    [Fact]
    public async Task Page_Comment_IsShownEncodedWithItsAuthor()
    {
        var id = await SeedAsync("SN 2026abc");
        var user = await Factory.LoginAsync();

        using var posted = await user.Page.PostFormAsync($"/targets/{id}/", $"/targets/{id}/comments/", new() { ["text"] = "<script>alert(1)</script> bright" });
        var (_, page) = await user.Page.GetAsync($"/targets/{id}/");

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; bright", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", page, StringComparison.Ordinal);
        Assert.Contains(user.Email, page, StringComparison.Ordinal);

        var commentId = await Factory.WithDbAsync(db => db.Comments.Select(c => c.Id).SingleAsync());
        var other = await Factory.LoginAsync();
        using var notYours = await other.Page.PostFormAsync($"/targets/{id}/", $"/targets/{id}/comments/{commentId}/delete/", []);
        using var deleted = await user.Page.PostFormAsync($"/targets/{id}/", $"/targets/{id}/comments/{commentId}/delete/", []);
        Assert.Equal(HttpStatusCode.Forbidden, notYours.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(0, await Factory.WithDbAsync(db => db.Comments.CountAsync()));
    }

    [Fact]
    public async Task RunAlertComment_IsInThePanelAndOnTheTargetOnceCreated()
    {
        Factory.Brokers.MapAlerce(2);
        var (user, _, runId) = await LogInAndRunAsync("ALeRCE", new() { ["max_pages"] = "1" });
        var alertId = FakeAlerce.Oid(1);

        using var posted = await user.Page.PostFormAsync($"/alerts/run/{runId}/", $"/alerts/run/{runId}/alerts/{alertId}/comments/",
            new() { ["text"] = "Looks like a nuclear transient", ["back"] = $"/alerts/run/{runId}/" });
        var (_, panel) = await user.Page.GetAsync($"/alerts/run/{runId}/alerts/{alertId}/details?partial=1");
        using var created = await user.CreateTargetsAsync(runId, alertId);
        var targetId = await Factory.WithDbAsync(db => db.Targets.Where(t => t.Name == alertId).Select(t => t.Id).SingleAsync());
        var (_, targetPage) = await user.Page.GetAsync($"/targets/{targetId}/");
        var api = await Factory.ApiUserAsync();
        var listed = await (await api.Api.GetAsync($"/api/v1/targets/{targetId}/comments")).JsonAsync();

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Contains("Looks like a nuclear transient", panel, StringComparison.Ordinal);
        Assert.Contains("Looks like a nuclear transient", targetPage, StringComparison.Ordinal);
        Assert.Equal(alertId, Assert.Single(listed.EnumerateArray()).GetProperty("alertId").GetString());
    }
}
