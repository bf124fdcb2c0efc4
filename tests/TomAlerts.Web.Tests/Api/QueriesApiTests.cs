using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Api;

public class QueriesApiTests(TomAlertsFactory factory) : IClassFixture<TomAlertsFactory>
{
    [Fact]
    public async Task Brokers_List_HasEveryBrokerWithItsFormFields()
    {
        factory.Brokers.MapAlerce(1);
        var api = await factory.ApiUserAsync();

        var brokers = (await (await api.Api.GetAsync("/api/v1/brokers")).JsonAsync()).EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!);

        Assert.Equal(["ALeRCE", "Gaia", "Lasair", "TNS", "ANTARES", "Fink", "Hermes"], brokers.Keys);
        Assert.All(brokers.Values, b => Assert.False(b.GetProperty("stub").GetBoolean()));
        Assert.True(brokers["Lasair"].GetProperty("configured").GetBoolean());
        Assert.False(brokers["Hermes"].GetProperty("stub").GetBoolean());
        Assert.True(brokers["Hermes"].GetProperty("configured").GetBoolean());
        var fields = brokers["ALeRCE"].GetProperty("formFields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal("rightascension", fields["ra"].GetProperty("type").GetString());
        Assert.Equal("number", fields["radius"].GetProperty("type").GetString());
        Assert.Equal("choice", fields["max_pages"].GetProperty("type").GetString());
        Assert.Contains(fields["max_pages"].GetProperty("choices").EnumerateArray(), c => c.GetProperty("value").GetString() == "5");
        Assert.False(fields["oid"].GetProperty("required").GetBoolean());
        Assert.Equal("Object ID", fields["oid"].GetProperty("label").GetString());
    }

    [Fact]
    public async Task Create_ValidQuery_Is201WithItsIdAndTheCleanedParameters()
    {
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.PostAsJsonAsync("/api/v1/queries",
            new { name = "API Gaia search", broker = "gaia", parameters = new { target_name = "Gaia23", cone = "" } });
        var query = await response.JsonAsync();
        var id = query.GetProperty("id").GetInt32();
        var saved = await factory.WithDbAsync(db => db.BrokerQueries.AsNoTracking().SingleAsync(q => q.Id == id));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/queries/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("Gaia", query.GetProperty("broker").GetString());
        Assert.Equal("shared", query.GetProperty("visibility").GetString());
        Assert.Equal("Gaia23", query.GetProperty("parameters").GetProperty("target_name").GetString());
        Assert.False(query.GetProperty("parameters").TryGetProperty("query_name", out _));
        var stored = JsonNode.Parse(saved.Parameters)!.AsObject();
        Assert.Equal("API Gaia search", (string?)stored["query_name"]);
        Assert.Equal("Gaia", (string?)stored["broker"]);
        Assert.Equal(api.User.Id, saved.OwnerId);
    }

    [Fact]
    public async Task Create_FormRulesBroken_Is400ListingEachField()
    {
        factory.Brokers.MapAlerce(1);
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.PostAsJsonAsync("/api/v1/queries",
            new { name = "", broker = "ALeRCE", parameters = new { ra = 400, dec = "north", max_pages = "7" } });
        var fields = await response.ErrorFieldsAsync();

        // Every error at once: each bad field, and the cone that lacks its radius.
        Assert.Equal(["name", "parameters", "parameters.dec", "parameters.max_pages", "parameters.ra"], fields.Order(StringComparer.Ordinal));
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Contains("0 to 360", errors.GetProperty("parameters.ra")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("Search Radius", errors.GetProperty("parameters")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_PropertyTheApiDoesNotTake_Is400NotSilentlyDropped()
    {
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.PostAsJsonAsync("/api/v1/queries",
            new { name = "scheduled from a script", broker = "Gaia", parameters = new { target_name = "Gaia23" }, scheduleMinutes = 60 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("scheduleMinutes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await factory.WithDbAsync(db => db.BrokerQueries.AnyAsync(q => q.Name == "scheduled from a script")));
    }

    [Fact]
    public async Task Create_CrossFieldRule_IsListedUnderParameters()
    {
        factory.Brokers.MapAlerce(1);
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.PostAsJsonAsync("/api/v1/queries", new { name = "half a cone", broker = "ALeRCE", parameters = new { ra = 10.5 } });

        Assert.NotEmpty(await response.ErrorFieldsAsync());
        Assert.Contains("cone search", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownParameterKeys_Is400ListingThemAndSavesNothing()
    {
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.PostAsJsonAsync("/api/v1/queries",
            new { name = "tampered", broker = "Gaia", parameters = new Dictionary<string, object> { ["target_name"] = "Gaia23", ["sql_injection"] = "1; DROP", ["visibility"] = "private" } });

        Assert.Equal(["parameters.sql_injection", "parameters.visibility"], (await response.ErrorFieldsAsync()).Order(StringComparer.Ordinal));
        Assert.Contains("sql_injection", (await response.JsonAsync()).GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.False(await factory.WithDbAsync(db => db.BrokerQueries.AnyAsync(q => q.Name == "tampered")));
    }

    [Theory]
    [InlineData("MARS", "broker")]
    [InlineData(null, "broker")]
    public async Task Create_UnknownBroker_Is400(string? broker, string field)
    {
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.PostAsJsonAsync("/api/v1/queries", new { name = "nowhere", broker, parameters = new { } });

        Assert.Equal([field], await response.ErrorFieldsAsync());
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"broker\": \"Gaia\", \"parameters\": {\"target_name\": [1, 2]}}", "parameters.target_name")]
    [InlineData("{\"name\": \"x\", \"broker\": \"Gaia\", \"visibility\": \"secret\"}", "visibility")]
    public async Task Create_BadValues_Is400NamingTheField(string json, string field)
    {
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.PostAsync("/api/v1/queries", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal([field], await response.ErrorFieldsAsync());
    }

    [Fact]
    public async Task Create_MalformedJson_Is400Problem()
    {
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.PostAsync("/api/v1/queries", new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json"));

        ApiSupport.AssertProblem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task GetPutDelete_OwnQuery_RoundTrips()
    {
        var api = await factory.ApiUserAsync();
        var id = await api.Api.CreateQueryAsync("Gaia", new { target_name = "Gaia23" }, name: "to edit");
        var shown = await (await api.Api.GetAsync($"/api/v1/queries/{id}")).JsonAsync();

        using var updated = await api.Api.PutAsJsonAsync($"/api/v1/queries/{id}",
            new { name = "edited", parameters = shown.GetProperty("parameters"), visibility = "private" });
        var after = await updated.JsonAsync();
        using var deleted = await api.Api.DeleteAsync($"/api/v1/queries/{id}");
        using var gone = await api.Api.GetAsync($"/api/v1/queries/{id}");

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("edited", after.GetProperty("name").GetString());
        Assert.Equal("private", after.GetProperty("visibility").GetString());
        Assert.Equal("Gaia23", after.GetProperty("parameters").GetProperty("target_name").GetString());
        Assert.True(after.GetProperty("canEdit").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        ApiSupport.AssertProblem(gone, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_AnotherBrokerOrBadValue_Is400AndKeepsTheQuery()
    {
        var api = await factory.ApiUserAsync();
        var id = await api.Api.CreateQueryAsync("Gaia", new { target_name = "Gaia23" }, name: "stays");

        using var otherBroker = await api.Api.PutAsJsonAsync($"/api/v1/queries/{id}", new { name = "stays", broker = "TNS", parameters = new { } });
        using var bad = await api.Api.PutAsJsonAsync($"/api/v1/queries/{id}", new { name = "", parameters = new { target_name = "x" } });

        Assert.Equal(["broker"], await otherBroker.ErrorFieldsAsync());
        Assert.Equal(["name"], await bad.ErrorFieldsAsync());
        Assert.Equal("stays", (await (await api.Api.GetAsync($"/api/v1/queries/{id}")).JsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task AnotherUsersPrivateQuery_Is404Everywhere_ButAnAdminSeesIt()
    {
        var owner = await factory.ApiUserAsync();
        var id = await owner.Api.CreateQueryAsync("Gaia", new { target_name = "Gaia23" }, "private", "owner's secret");
        var other = await factory.ApiUserAsync();
        var admin = await factory.ApiUserAsync(admin: true);

        var responses = new[]
        {
            await other.Api.GetAsync($"/api/v1/queries/{id}"),
            await other.Api.PutAsJsonAsync($"/api/v1/queries/{id}", new { name = "mine now", parameters = new { } }),
            await other.Api.DeleteAsync($"/api/v1/queries/{id}"),
            await other.Api.PostAsync($"/api/v1/queries/{id}/runs", null),
        };
        var list = await (await other.Api.GetAsync("/api/v1/queries?name=owner%27s%20secret")).JsonAsync();
        using var asAdmin = await admin.Api.GetAsync($"/api/v1/queries/{id}");
        var adminList = await (await admin.Api.GetAsync("/api/v1/queries?name=owner%27s%20secret")).JsonAsync();

        Assert.All(responses, r => ApiSupport.AssertProblem(r, HttpStatusCode.NotFound));
        Assert.Equal(0, list.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.True((await asAdmin.JsonAsync()).GetProperty("canEdit").GetBoolean());
        Assert.Equal(1, adminList.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AnotherUsersSharedQuery_CanBeReadAndRunButNotChanged()
    {
        var owner = await factory.ApiUserAsync();
        var id = await owner.Api.CreateQueryAsync("Gaia", new { target_name = "Gaia23" }, "shared", "everyone's");
        var other = await factory.ApiUserAsync();

        using var read = await other.Api.GetAsync($"/api/v1/queries/{id}");
        using var put = await other.Api.PutAsJsonAsync($"/api/v1/queries/{id}", new { name = "mine now", parameters = new { } });
        using var delete = await other.Api.DeleteAsync($"/api/v1/queries/{id}");
        using var run = await other.Api.PostAsync($"/api/v1/queries/{id}/runs", null);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.False((await read.JsonAsync()).GetProperty("canEdit").GetBoolean());
        ApiSupport.AssertProblem(put, HttpStatusCode.Forbidden);
        ApiSupport.AssertProblem(delete, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
    }

    [Fact]
    public async Task List_FiltersAndPages_WithEdges()
    {
        var api = await factory.ApiUserAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 5; i++)
        {
            await api.Api.CreateQueryAsync("Gaia", new { target_name = "Gaia23" }, "private", $"{tag} paging {i}");
        }
        await api.Api.CreateQueryAsync("TNS", new { target_name = "2023vjq" }, "private", $"{tag} tns");

        var page1 = await (await api.Api.GetAsync($"/api/v1/queries?name={tag}%20PAGING&pageSize=2")).JsonAsync();
        var page3 = await (await api.Api.GetAsync($"/api/v1/queries?name={tag}&broker=Gaia&pageSize=2&page=3")).JsonAsync();
        var beyond = await (await api.Api.GetAsync($"/api/v1/queries?name={tag}&page=99")).JsonAsync();
        using var zero = await api.Api.GetAsync("/api/v1/queries?page=0");
        using var tooBig = await api.Api.GetAsync("/api/v1/queries?pageSize=501");
        using var notANumber = await api.Api.GetAsync("/api/v1/queries?page=abc");

        Assert.Equal(5, page1.GetProperty("total").GetInt32());
        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        Assert.Equal($"{tag} paging 4", page1.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal(1, page3.GetProperty("items").GetArrayLength());
        Assert.Equal(3, page3.GetProperty("page").GetInt32());
        Assert.Equal(6, beyond.GetProperty("total").GetInt32());
        Assert.Equal(0, beyond.GetProperty("items").GetArrayLength());
        Assert.Equal(["page"], await zero.ErrorFieldsAsync());
        Assert.Equal(["pageSize"], await tooBig.ErrorFieldsAsync());
        Assert.Equal(["page"], await notANumber.ErrorFieldsAsync());
    }

    [Fact]
    public async Task PageAndApi_SameRules_ApiQueryShowsOnThePageAndPageQueryInTheApi()
    {
        var api = await factory.ApiUserAsync();
        await api.Api.CreateQueryAsync("Gaia", new { target_name = "Gaia23" }, name: "made by API");
        var fromPage = await factory.SaveQueryAsync(api.User, "Gaia", new() { ["target_name"] = "Gaia23" });

        var (_, html) = await api.User.Page.GetAsync("/alerts/query/list/?name=made%20by%20API");
        using var response = await api.Api.GetAsync($"/api/v1/queries/{fromPage}");

        Assert.Contains("made by API", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
