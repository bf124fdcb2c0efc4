using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Queries;

public class QueryPagesTests(TomAlertsFactory factory) : IClassFixture<TomAlertsFactory>
{
    private static Dictionary<string, string> GaiaQuery(string name, string targetName = "Gaia23", string cone = "") =>
        new() { ["broker"] = "Gaia", ["query_name"] = name, ["target_name"] = targetName, ["cone"] = cone, ["visibility"] = "Shared" };

    private async Task<BrokerQuery?> FindQueryAsync(string name) =>
        await factory.WithDbAsync(db => db.BrokerQueries.AsNoTracking().FirstOrDefaultAsync(q => q.Name == name));

    [Theory]
    [InlineData("ALeRCE")]
    [InlineData("Gaia")]
    [InlineData("Lasair")]
    [InlineData("TNS")]
    public async Task Create_EachRealBroker_RendersItsFormWithSubmit(string broker)
    {
        factory.Brokers.MapAlerce(10);
        var user = await factory.LoginAsync();

        var (status, html) = await user.Page.GetAsync($"/alerts/query/create/?broker={broker}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"{broker} Query Form", html, StringComparison.Ordinal);
        Assert.Contains("type=\"submit\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_IntroWithAnAddress_ShowsItAsALink()
    {
        var user = await factory.LoginAsync();

        var (_, html) = await user.Page.GetAsync("/alerts/query/create/?broker=Gaia");

        Assert.Contains("(<a href=\"https://gsaweb.ast.cam.ac.uk/alerts/tableinfo\"", html, StringComparison.Ordinal);
        Assert.Contains(">https://gsaweb.ast.cam.ac.uk/alerts/tableinfo</a>) for", html, StringComparison.Ordinal);
        Assert.Contains("Gaia Science Alerts ended with the Gaia mission in 2025", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/alerts/query/create/?broker=MARS", "No broker named MARS is configured.")]
    [InlineData("/alerts/query/create/", "No broker was named.")]
    [InlineData("/alerts/query/999999/update/", "There is no saved query 999999")]
    [InlineData("/alerts/query/999999/delete/", "There is no saved query 999999")]
    public async Task Get_MissingBrokerOrQuery_ShowsA404Page(string url, string message)
    {
        var user = await factory.LoginAsync();

        var (status, html) = await user.Page.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(message, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ValidGaiaQuery_SavesTheWholeCleanedFormAndListsIt()
    {
        var user = await factory.LoginAsync();

        using var response = await user.Page.PostFormAsync("/alerts/query/create/?broker=Gaia", "/alerts/query/create/", GaiaQuery("Gaia nova search"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await FindQueryAsync("Gaia nova search");
        Assert.NotNull(saved);
        Assert.Equal("Gaia", saved.Broker);
        Assert.Equal(user.Id, saved.OwnerId);
        var parameters = JsonNode.Parse(saved.Parameters)!.AsObject();
        Assert.Equal("Gaia nova search", (string?)parameters["query_name"]);
        Assert.Equal("Gaia", (string?)parameters["broker"]);
        Assert.Equal("Gaia23", (string?)parameters["target_name"]);
        var (_, list) = await user.Page.GetAsync("/alerts/query/list/");
        Assert.Contains("Gaia nova search", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InvalidInput_ShowsErrorsBesideFieldsAndSavesNothing()
    {
        var user = await factory.LoginAsync();

        using var response = await user.Page.PostFormAsync("/alerts/query/create/?broker=Gaia", "/alerts/query/create/",
            GaiaQuery("", targetName: "", cone: "10,20"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("data-field=\"query_name\">This field is required.", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"cone\">", html, StringComparison.Ordinal);
        Assert.Contains("value=\"10,20\"", html, StringComparison.Ordinal);
        Assert.Equal(0, await factory.WithDbAsync(db => db.BrokerQueries.CountAsync(q => q.Broker == "Gaia" && q.Name == "")));
    }

    [Fact]
    public async Task Create_UnknownParameterKey_Is400AndSavesNothing()
    {
        var user = await factory.LoginAsync();
        var fields = GaiaQuery("tampered query");
        fields["sql_injection"] = "1; DROP TABLE targets";

        using var response = await user.Page.PostFormAsync("/alerts/query/create/?broker=Gaia", "/alerts/query/create/", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no field named sql_injection", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await FindQueryAsync("tampered query"));
    }

    [Fact]
    public async Task Create_WithoutAntiforgeryToken_IsRejected()
    {
        var user = await factory.LoginAsync();

        using var response = await user.Page.PostWithTokenAsync("/alerts/query/create/", GaiaQuery("forged query"), token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await FindQueryAsync("forged query"));
    }

    [Fact]
    public async Task Update_ChangedFields_AreStoredAndTheFormIsPrefilled()
    {
        var user = await factory.LoginAsync();
        await user.Page.PostFormAsync("/alerts/query/create/?broker=Gaia", "/alerts/query/create/", GaiaQuery("editable query"));
        var id = (await FindQueryAsync("editable query"))!.Id;

        var (_, form) = await user.Page.GetAsync($"/alerts/query/{id}/update/");
        using var response = await user.Page.PostFormAsync($"/alerts/query/{id}/update/", $"/alerts/query/{id}/update/",
            GaiaQuery("edited query", targetName: "", cone: "291.61, 13.37, 0.5"));

        Assert.Contains("value=\"editable query\"", form, StringComparison.Ordinal);
        Assert.Contains("value=\"Gaia23\"", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await factory.WithDbAsync(db => db.BrokerQueries.AsNoTracking().FirstAsync(q => q.Id == id));
        Assert.Equal("edited query", saved.Name);
        Assert.Equal("291.61, 13.37, 0.5", (string?)JsonNode.Parse(saved.Parameters)!["cone"]);
    }

    [Fact]
    public async Task Update_InvalidInput_KeepsWhatWasSaved()
    {
        var user = await factory.LoginAsync();
        await user.Page.PostFormAsync("/alerts/query/create/?broker=Gaia", "/alerts/query/create/", GaiaQuery("kept query"));
        var before = (await FindQueryAsync("kept query"))!;

        using var response = await user.Page.PostFormAsync($"/alerts/query/{before.Id}/update/", $"/alerts/query/{before.Id}/update/",
            GaiaQuery("kept query", targetName: "Gaia23", cone: "1,2,3"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Please only enter one of target name or cone search parameters.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before.Parameters, (await FindQueryAsync("kept query"))!.Parameters);
    }

    [Fact]
    public async Task Update_BrokerFieldTampered_Is400()
    {
        var user = await factory.LoginAsync();
        await user.Page.PostFormAsync("/alerts/query/create/?broker=Gaia", "/alerts/query/create/", GaiaQuery("switch broker"));
        var id = (await FindQueryAsync("switch broker"))!.Id;
        var fields = GaiaQuery("switch broker");
        fields["broker"] = "Lasair";

        using var response = await user.Page.PostFormAsync($"/alerts/query/{id}/update/", $"/alerts/query/{id}/update/", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Gaia", (await FindQueryAsync("switch broker"))!.Broker);
    }

    [Fact]
    public async Task List_FilterByNameAndBroker_ShowsOnlyMatches()
    {
        var user = await factory.LoginAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        await user.Page.PostFormAsync("/alerts/query/create/?broker=Gaia", "/alerts/query/create/", GaiaQuery($"Is it dust? {tag}"));
        await user.Page.PostFormAsync("/alerts/query/create/?broker=Gaia", "/alerts/query/create/", GaiaQuery($"find hoth {tag}"));

        var (_, byName) = await user.Page.GetAsync($"/alerts/query/list/?name=DUST%3F+{tag}");
        var (_, byBroker) = await user.Page.GetAsync($"/alerts/query/list/?broker=Lasair&name={tag}");

        Assert.Contains($"Is it dust? {tag}</a>", byName, StringComparison.Ordinal);
        Assert.DoesNotContain($"find hoth {tag}</a>", byName, StringComparison.Ordinal);
        Assert.DoesNotContain(tag + "</a>", byBroker, StringComparison.Ordinal);
        Assert.Contains("No saved queries match this filter.", byBroker, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ManyQueries_IsPaginated()
    {
        var user = await factory.LoginAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        await factory.WithDbAsync(async db =>
        {
            for (var i = 0; i < 30; i++)
            {
                db.BrokerQueries.Add(new BrokerQuery { Name = $"bulk {tag} {i:D2}", Broker = "Gaia", Parameters = "{}", Created = DateTime.UtcNow.AddMinutes(i), Modified = DateTime.UtcNow, OwnerId = user.Id });
            }
            return await db.SaveChangesAsync();
        });

        var (_, first) = await user.Page.GetAsync($"/alerts/query/list/?name={tag}");
        var (_, second) = await user.Page.GetAsync($"/alerts/query/list/?name={tag}&page=2");

        Assert.Contains("Page 1 of 2", first, StringComparison.Ordinal);
        Assert.Contains($"bulk {tag} 29", first, StringComparison.Ordinal);
        Assert.Contains($"bulk {tag} 00", second, StringComparison.Ordinal);
        Assert.DoesNotContain($"bulk {tag} 29", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ConfirmThenPost_RemovesTheQuery()
    {
        var user = await factory.LoginAsync();
        await user.Page.PostFormAsync("/alerts/query/create/?broker=Gaia", "/alerts/query/create/", GaiaQuery("doomed query"));
        var id = (await FindQueryAsync("doomed query"))!.Id;

        var (status, confirm) = await user.Page.GetAsync($"/alerts/query/{id}/delete/");
        using var response = await user.Page.PostFormAsync($"/alerts/query/{id}/delete/", $"/alerts/query/{id}/delete/", []);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Are you sure you want to delete", confirm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(await FindQueryAsync("doomed query"));
    }

    [Fact]
    public async Task PrivateQuery_OtherUser_CannotSeeOrChangeIt()
    {
        var owner = await factory.LoginAsync();
        var other = await factory.LoginAsync();
        var fields = GaiaQuery("owner's private query");
        fields["visibility"] = "Private";
        await owner.Page.PostFormAsync("/alerts/query/create/?broker=Gaia", "/alerts/query/create/", fields);
        var id = (await FindQueryAsync("owner's private query"))!.Id;

        var (_, list) = await other.Page.GetAsync("/alerts/query/list/");
        var (updateStatus, _) = await other.Page.GetAsync($"/alerts/query/{id}/update/");
        var (ownerStatus, _) = await owner.Page.GetAsync($"/alerts/query/{id}/update/");

        Assert.DoesNotContain("owner&#x27;s private query", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, updateStatus);
        Assert.Equal(HttpStatusCode.OK, ownerStatus);
    }
}
