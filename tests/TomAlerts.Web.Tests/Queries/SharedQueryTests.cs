using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Queries;

/// <summary>A colleague's shared query: listed with its owner, readable on its own page, and copied into one's own queries.</summary>
public class SharedQueryTests(TomAlertsFactory factory) : IClassFixture<TomAlertsFactory>
{
    /// <summary>A Gaia query of <paramref name="owner"/> saved as the form saves one, with a schedule, e-mail and a webhook set.</summary>
    private async Task<BrokerQuery> SeedAsync(TestUser owner, string name, QueryVisibility visibility = QueryVisibility.Shared, bool stream = false)
    {
        var parameters = new JsonObject { ["query_name"] = name, ["broker"] = "Gaia", ["target_name"] = "Gaia23dnw", ["cone"] = null };
        return await factory.WithDbAsync(async db =>
        {
            var query = new BrokerQuery
            {
                Name = name, Broker = "Gaia", Parameters = parameters.ToJsonString(), Created = DateTime.UtcNow, Modified = DateTime.UtcNow,
                OwnerId = owner.Id, Visibility = visibility, IsStream = stream, ScheduleMinutes = 360, NotifyEmail = true, AutoCreateTargets = true,
                WebhookUrl = "https://hooks.example.org/tom", WebhookSecret = "a-long-webhook-secret",
            };
            db.BrokerQueries.Add(query);
            await db.SaveChangesAsync();
            return query;
        });
    }

    private static string Unique(string name) => $"{name} {Guid.NewGuid():N}"[..(name.Length + 9)];

    private Task<List<BrokerQuery>> QueriesOfAsync(TestUser user) =>
        factory.WithDbAsync(db => db.BrokerQueries.AsNoTracking().Where(q => q.OwnerId == user.Id).ToListAsync());

    [Fact]
    public async Task List_AColleaguesSharedQuery_ShowsItsOwnerAndLinksToItsReadOnlyPage()
    {
        var colleague = await factory.LoginAsync();
        var user = await factory.LoginAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var theirs = await SeedAsync(colleague, $"colleague's novae {tag}");
        var mine = await SeedAsync(user, $"my novae {tag}");

        var (_, html) = await user.Page.GetAsync($"/alerts/query/list/?name={tag}");

        Assert.Contains($"<a href=\"/alerts/query/{theirs.Id}/view/\" title=\"See this query&#x27;s filters\">{theirs.Name.Replace("'", "&#x27;")}</a>", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/alerts/query/{mine.Id}/update/\" title=\"Edit this query\">{mine.Name}</a>", html, StringComparison.Ordinal);
        Assert.Contains("<th class=\"d-none d-md-table-cell\">Owner</th>", html, StringComparison.Ordinal);
        Assert.Contains($"query-owner\">{colleague.Email}</td>", html, StringComparison.Ordinal);
        Assert.Contains("query-owner\">you</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_AsAdmin_LinksEveryonesQueryToItsEditForm()
    {
        var colleague = await factory.LoginAsync();
        var admin = await factory.LoginAsync(admin: true);
        var theirs = await SeedAsync(colleague, Unique("private to them"), QueryVisibility.Private);

        var (_, html) = await admin.Page.GetAsync($"/alerts/query/list/?name={Uri.EscapeDataString(theirs.Name)}");

        Assert.Contains($"<a href=\"/alerts/query/{theirs.Id}/update/\"", html, StringComparison.Ordinal);
        Assert.Contains($"query-owner\">{colleague.Email}</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task View_AColleaguesSharedQuery_ShowsItsFiltersByLabelAndOffersCopyAndRun()
    {
        var colleague = await factory.LoginAsync();
        var user = await factory.LoginAsync();
        var theirs = await SeedAsync(colleague, Unique("colleague's search"));
        await factory.WithDbAsync(db =>
        {
            db.QueryRuns.Add(new QueryRun { BrokerQueryId = theirs.Id, Status = RunStatus.Succeeded, Created = DateTime.UtcNow, AlertCount = 7 });
            return db.SaveChangesAsync();
        });
        var runId = await factory.WithDbAsync(db => db.QueryRuns.Where(r => r.BrokerQueryId == theirs.Id).Select(r => r.Id).SingleAsync());

        var (status, html) = await user.Page.GetAsync($"/alerts/query/{theirs.Id}/view/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<dt class=\"col-sm-3\">Target Name</dt>", html, StringComparison.Ordinal);
        Assert.Contains("<dd class=\"col-sm-9 text-break\">Gaia23dnw</dd>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Cone Search", html, StringComparison.Ordinal);
        Assert.Contains($"id=\"query-owner\">{colleague.Email}</dd>", html, StringComparison.Ordinal);
        Assert.Contains("Shared with all users", html, StringComparison.Ordinal);
        Assert.Contains("every 6 hours", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/alerts/run/{runId}/\">#{runId}</a>", html, StringComparison.Ordinal);
        Assert.Contains($"action=\"/alerts/query/{theirs.Id}/copy/\"", html, StringComparison.Ordinal);
        Assert.Contains($"action=\"/alerts/query/{theirs.Id}/run/\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"/alerts/query/{theirs.Id}/update/", html, StringComparison.Ordinal);
        Assert.DoesNotContain("hooks.example.org", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_AColleaguesSharedQuery_CreatesAPrivateCopyOfMineAndLeavesTheOriginal()
    {
        var colleague = await factory.LoginAsync();
        var user = await factory.LoginAsync();
        var theirs = await SeedAsync(colleague, Unique("colleague's transients"));

        using var response = await user.Page.PostFormAsync($"/alerts/query/{theirs.Id}/view/", $"/alerts/query/{theirs.Id}/copy/", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var copy = Assert.Single(await QueriesOfAsync(user));
        Assert.Equal($"/alerts/query/{copy.Id}/update/", response.Headers.Location!.OriginalString);
        Assert.Equal($"Copy of {theirs.Name}", copy.Name);
        Assert.Equal("Gaia", copy.Broker);
        Assert.Equal(QueryVisibility.Private, copy.Visibility);
        var parameters = JsonNode.Parse(copy.Parameters)!.AsObject();
        Assert.Equal($"Copy of {theirs.Name}", (string?)parameters["query_name"]);
        Assert.Equal("Gaia23dnw", (string?)parameters["target_name"]);
        Assert.True(parameters.ContainsKey("cone"));
        Assert.False(copy.IsScheduled);
        Assert.False(copy.NotifyEmail);
        Assert.False(copy.AutoCreateTargets);
        Assert.Null(copy.WebhookUrl);
        Assert.Null(copy.WebhookSecret);
        var original = await factory.WithDbAsync(db => db.BrokerQueries.AsNoTracking().SingleAsync(q => q.Id == theirs.Id));
        Assert.Equal(theirs.Name, original.Name);
        Assert.Equal(theirs.Parameters, original.Parameters);
        Assert.Equal(colleague.Id, original.OwnerId);
        Assert.Equal(QueryVisibility.Shared, original.Visibility);
        Assert.Equal("https://hooks.example.org/tom", original.WebhookUrl);
        var (formStatus, form) = await user.Page.GetAsync(response.Headers.Location.OriginalString);
        Assert.Equal(HttpStatusCode.OK, formStatus);
        Assert.Contains($"Copied &quot;{theirs.Name.Replace("'", "&#x27;")}&quot; to your queries", form, StringComparison.Ordinal);
        Assert.Contains("value=\"Gaia23dnw\"", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_ALongName_IsCutToTheLongestNameAQueryMayHave()
    {
        var colleague = await factory.LoginAsync();
        var user = await factory.LoginAsync();
        var theirs = await SeedAsync(colleague, new string('n', 495) + Guid.NewGuid().ToString("N")[..5]);

        using var response = await user.Page.PostFormAsync($"/alerts/query/{theirs.Id}/view/", $"/alerts/query/{theirs.Id}/copy/", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var copy = Assert.Single(await QueriesOfAsync(user));
        Assert.Equal(500, copy.Name.Length);
        Assert.StartsWith("Copy of nnn", copy.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_WithoutAntiforgeryToken_IsRejected()
    {
        var colleague = await factory.LoginAsync();
        var user = await factory.LoginAsync();
        var theirs = await SeedAsync(colleague, Unique("not forged"));

        using var response = await user.Page.PostWithTokenAsync($"/alerts/query/{theirs.Id}/copy/", [], token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await QueriesOfAsync(user));
    }

    [Fact]
    public async Task ViewAndCopy_AnotherUsersPrivateQuery_Are404()
    {
        var colleague = await factory.LoginAsync();
        var user = await factory.LoginAsync();
        var theirs = await SeedAsync(colleague, Unique("kept to myself"), QueryVisibility.Private);

        var (viewStatus, view) = await user.Page.GetAsync($"/alerts/query/{theirs.Id}/view/");
        using var copied = await user.Page.PostFormAsync("/alerts/query/list/", $"/alerts/query/{theirs.Id}/copy/", []);
        var (ownerStatus, _) = await colleague.Page.GetAsync($"/alerts/query/{theirs.Id}/view/");

        Assert.Equal(HttpStatusCode.NotFound, viewStatus);
        Assert.DoesNotContain("Gaia23dnw", view, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, copied.StatusCode);
        Assert.Empty(await QueriesOfAsync(user));
        Assert.Equal(HttpStatusCode.OK, ownerStatus);
    }

    [Fact]
    public async Task ViewAndCopy_AStreamSubscriptionsQuery_Are404EvenForItsOwner()
    {
        var owner = await factory.LoginAsync();
        var stream = await SeedAsync(owner, Unique("stream behind a subscription"), stream: true);

        var (viewStatus, _) = await owner.Page.GetAsync($"/alerts/query/{stream.Id}/view/");
        using var copied = await owner.Page.PostFormAsync("/alerts/query/list/", $"/alerts/query/{stream.Id}/copy/", []);

        Assert.Equal(HttpStatusCode.NotFound, viewStatus);
        Assert.Equal(HttpStatusCode.NotFound, copied.StatusCode);
        Assert.Single(await QueriesOfAsync(owner));
    }

    [Fact]
    public async Task ApiCopy_AColleaguesSharedQuery_Is201WithThePrivateCopy()
    {
        var colleague = await factory.LoginAsync();
        var api = await factory.ApiUserAsync();
        var theirs = await SeedAsync(colleague, Unique("shared by API"));

        using var response = await api.Api.PostAsync($"/api/v1/queries/{theirs.Id}/copy", null);
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = body.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/queries/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal($"Copy of {theirs.Name}", body.GetProperty("name").GetString());
        Assert.Equal("private", body.GetProperty("visibility").GetString());
        Assert.True(body.GetProperty("canEdit").GetBoolean());
        Assert.Equal("Gaia23dnw", body.GetProperty("parameters").GetProperty("target_name").GetString());
        Assert.Equal(api.User.Id, (await factory.WithDbAsync(db => db.BrokerQueries.AsNoTracking().SingleAsync(q => q.Id == id))).OwnerId);
    }

    [Fact]
    public async Task ApiCopy_PrivateOrStreamQueryOfAnother_Is404()
    {
        var colleague = await factory.LoginAsync();
        var api = await factory.ApiUserAsync();
        var hidden = await SeedAsync(colleague, Unique("private by API"), QueryVisibility.Private);
        var stream = await SeedAsync(colleague, Unique("stream by API"), stream: true);

        using var privateCopy = await api.Api.PostAsync($"/api/v1/queries/{hidden.Id}/copy", null);
        using var streamCopy = await api.Api.PostAsync($"/api/v1/queries/{stream.Id}/copy", null);

        Assert.Equal(HttpStatusCode.NotFound, privateCopy.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, streamCopy.StatusCode);
        Assert.Empty(await QueriesOfAsync(api.User));
    }
}
