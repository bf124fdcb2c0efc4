using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Streams;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Streams;

/// <summary>Changing a saved subscription on its edit page and through PUT /api/v1/streams/{id}: the rules of a new one, secrets kept unless replaced.</summary>
public class StreamEditTests(TomAlertsFactory factory) : IClassFixture<TomAlertsFactory>
{
    private static string Unique(string name) => $"{name} {Guid.NewGuid():N}"[..(name.Length + 9)];

    /// <summary>An ANTARES subscription (it needs credentials) with the user's own stream key and a webhook, not started.</summary>
    private static async Task<int> CreateAsync(TomAlertsFactory factory, TestUser user, string name)
    {
        using (var response = await user.Page.PostFormAsync("/streams/create/?source=Antares", "/streams/create/", new()
        {
            ["source"] = "Antares", ["name"] = name, ["topics"] = "lsst_scimma_quality_transient", ["visibility"] = "Private",
            ["credentials.username"] = "my-stream-key", ["credentials.password"] = "my-stream-secret-123",
            ["webhookUrl"] = "https://example.org/hook", ["webhookSecret"] = "hook-secret-0123",
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }
        return await factory.WithDbAsync(db => db.StreamSubscriptions.Where(s => s.Name == name).Select(s => s.Id).SingleAsync());
    }

    private Task<StreamSubscription> SavedAsync(int id) =>
        factory.WithDbAsync(db => db.StreamSubscriptions.AsNoTracking().Include(s => s.Query).SingleAsync(s => s.Id == id));

    [Fact]
    public async Task EditPage_ShowsTheSavedValues_NeverTheSecrets()
    {
        var user = await factory.LoginAsync();
        var name = Unique("Edit page");
        var id = await CreateAsync(factory, user, name);

        var (status, html) = await user.Page.GetAsync($"/streams/{id}/update/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"action=\"/streams/{id}/update/\"", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{name}\"", html, StringComparison.Ordinal);
        Assert.Contains("lsst_scimma_quality_transient</textarea>", html, StringComparison.Ordinal);
        Assert.Matches("<option value=\"Private\" selected", html);
        Assert.Contains("value=\"https://example.org/hook\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"credentials-saved\"", html, StringComparison.Ordinal);
        Assert.Contains("placeholder=\"saved — leave empty to keep\"", html.Replace("&#x2014;", "—", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("id=\"field-forgetCredentials\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("my-stream-key", html, StringComparison.Ordinal);
        Assert.DoesNotContain("my-stream-secret-123", html, StringComparison.Ordinal);
        Assert.DoesNotContain("hook-secret-0123", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"field-start\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditPage_NewNameAndTopics_SavedWithTheSameConsumerGroup_SecretsKept_ThenCredentialsForgotten()
    {
        var user = await factory.LoginAsync();
        var name = Unique("Before");
        var id = await CreateAsync(factory, user, name);
        var before = await SavedAsync(id);
        var renamed = Unique("After");

        using var saved = await user.Page.PostFormAsync($"/streams/{id}/update/", $"/streams/{id}/update/", new()
        {
            ["name"] = renamed, ["topics"] = "lsst_scimma_quality_transient\nlsst_sn_candidates", ["visibility"] = "Shared",
            ["webhookUrl"] = "https://example.org/hook", ["autoCreateTargets"] = "true",
        });
        var after = await SavedAsync(id);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/streams/{id}/", saved.Headers.Location!.OriginalString);
        Assert.Equal(renamed, after.Name);
        Assert.Equal(renamed, after.Query!.Name);
        Assert.Equal(["lsst_scimma_quality_transient", "lsst_sn_candidates"], after.TopicList);
        Assert.Equal(QueryVisibility.Shared, after.Visibility);
        Assert.Equal(QueryVisibility.Shared, after.Query.Visibility);
        Assert.True(after.Query.AutoCreateTargets);
        Assert.Equal(before.GroupId, after.GroupId); // the committed offsets stay with it
        Assert.Equal(before.ProtectedCredentials, after.ProtectedCredentials);
        Assert.Equal("hook-secret-0123", after.Query.WebhookSecret);
        Assert.True(after.Modified > before.Modified, "the worker restarts an edited subscription's consumer when Modified changes");

        using var forgotten = await user.Page.PostFormAsync($"/streams/{id}/update/", $"/streams/{id}/update/", new()
        {
            ["name"] = renamed, ["topics"] = "lsst_sn_candidates", ["forgetCredentials"] = "true",
        });
        var (_, details) = await user.Page.GetAsync($"/streams/{id}/");
        var last = await SavedAsync(id);

        Assert.Equal(HttpStatusCode.Redirect, forgotten.StatusCode);
        Assert.Null(last.ProtectedCredentials);
        Assert.Null(last.Query!.WebhookUrl);
        Assert.Null(last.Query.WebhookSecret);
        Assert.Contains("ANTARES stream key and secret", details, StringComparison.Ordinal); // the configured ones are missing here
    }

    [Fact]
    public async Task EditPage_BadInput_MessagesBesideTheFields_NothingChanged()
    {
        var user = await factory.LoginAsync();
        var name = Unique("Keep me");
        var id = await CreateAsync(factory, user, name);

        using var response = await user.Page.PostFormAsync($"/streams/{id}/update/", $"/streams/{id}/update/", new()
        {
            ["name"] = "", ["topics"] = "bad topic!", ["webhookUrl"] = "not a url", ["credentials.username"] = "only-the-key",
        });
        var html = await response.Content.ReadAsStringAsync();
        var after = await SavedAsync(id);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"action=\"/streams/{id}/update/\"", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"name\">Give the subscription a name.", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"topics\">&quot;bad topic!&quot; is not a Kafka topic name", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"webhookUrl\">Enter a web address", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"credentials.password\">Give the user name and the password together", html, StringComparison.Ordinal);
        Assert.Equal(name, after.Name);
        Assert.Equal(["lsst_scimma_quality_transient"], after.TopicList);
    }

    [Fact]
    public async Task EditPage_SomeoneElsesSubscription_NotFound()
    {
        var owner = await factory.LoginAsync();
        var id = await CreateAsync(factory, owner, Unique("Not yours"));
        var other = await factory.LoginAsync();

        var (status, _) = await other.Page.GetAsync($"/streams/{id}/update/");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Put_SameBodyAsPost_ChangesTopics_BadInputIs400_SourceCannotChange()
    {
        var api = await factory.ApiUserAsync();
        var name = Unique("Put stream");
        using var created = await api.Api.PostAsJsonAsync("/api/v1/streams", new { name, source = "antares", topics = new[] { "lsst_a" }, start = false });
        var id = (await created.JsonAsync()).GetProperty("id").GetInt32();

        using var changed = await api.Api.PutAsJsonAsync($"/api/v1/streams/{id}", new { name, source = "antares", topics = new[] { "lsst_a", "lsst_b" }, visibility = "private" });
        var body = await changed.JsonAsync();
        using var bad = await api.Api.PutAsJsonAsync($"/api/v1/streams/{id}", new { name = "", source = "antares", topics = new[] { "bad topic!" } });
        var badFields = await bad.ErrorFieldsAsync();
        using var moved = await api.Api.PutAsJsonAsync($"/api/v1/streams/{id}", new { name, source = "fink", topics = new[] { "lsst_a" } });
        var movedFields = await moved.ErrorFieldsAsync();
        var saved = await SavedAsync(id);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(["lsst_a", "lsst_b"], body.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("private", body.GetProperty("visibility").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["name", "topics"], badFields.Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.Equal(["source"], movedFields);
        Assert.Equal(StreamSource.Antares, saved.Source);
        Assert.Equal(["lsst_a", "lsst_b"], saved.TopicList);
        Assert.False(saved.Enabled);
    }
}
