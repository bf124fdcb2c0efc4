using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Api;

public class ApiAuthTests(TomAlertsFactory factory) : IClassFixture<TomAlertsFactory>
{
    [Theory]
    [InlineData("GET", "/api/v1/brokers")]
    [InlineData("GET", "/api/v1/queries")]
    [InlineData("POST", "/api/v1/queries")]
    [InlineData("GET", "/api/v1/queries/1")]
    [InlineData("POST", "/api/v1/queries/1/runs")]
    [InlineData("GET", "/api/v1/runs/1/alerts")]
    [InlineData("POST", "/api/v1/targets/from-alerts")]
    [InlineData("GET", "/api/v1/targets")]
    [InlineData("DELETE", "/api/v1/targets/1")]
    [InlineData("GET", "/api/v1/runs/1/alerts/export?format=csv")]
    public async Task Call_NoCredentials_Is401ProblemNotARedirect(string method, string url)
    {
        using var response = await factory.ApiClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        ApiSupport.AssertProblem(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Authorization: Bearer", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ta_not-a-real-token-0000000000000000000000000")]
    [InlineData("something-else")]
    public async Task Call_UnknownToken_Is401InvalidToken(string token)
    {
        using var response = await factory.ApiClient(token).GetAsync("/api/v1/queries");

        ApiSupport.AssertProblem(response, HttpStatusCode.Unauthorized);
        Assert.Equal("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().Parameter);
    }

    [Fact]
    public async Task Call_ValidToken_ActsAsItsUserAndRecordsTheUse()
    {
        var api = await factory.ApiUserAsync();
        await api.Api.CreateQueryAsync("Gaia", new { target_name = "Gaia23" }, "private", "mine via token");

        using var response = await api.Api.GetAsync("/api/v1/queries?name=mine%20via%20token");
        var token = await factory.WithDbAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(t => t.UserId == api.User.Id));
        var query = await factory.WithDbAsync(db => db.BrokerQueries.AsNoTracking().SingleAsync(q => q.Name == "mine via token"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.JsonAsync()).GetProperty("total").GetInt32());
        Assert.Equal(api.User.Id, query.OwnerId);
        Assert.NotNull(token.LastUsed);
        Assert.Equal(64, token.Hash.Length);
        Assert.DoesNotContain(api.Token, token.Hash, StringComparison.Ordinal);
        Assert.StartsWith("ta_", api.Token, StringComparison.Ordinal);
        Assert.Equal(46, api.Token.Length); // "ta_" and 32 bytes in base64url
        Assert.Equal(api.Token[..10], token.Prefix);
    }

    [Fact]
    public async Task Call_RevokedToken_Is401()
    {
        var api = await factory.ApiUserAsync();
        await factory.WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == api.User.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Revoked, DateTime.UtcNow)));

        using var response = await api.Api.GetAsync("/api/v1/queries");

        ApiSupport.AssertProblem(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Get_BrowserCookie_WorksForSameSiteCalls()
    {
        var user = await factory.LoginAsync();

        using var response = await user.Page.Client.GetAsync("/api/v1/brokers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains((await response.JsonAsync()).EnumerateArray(), b => b.GetProperty("name").GetString() == "Gaia");
    }

    [Fact]
    public async Task Post_BrowserCookieWithoutAntiforgeryToken_IsRefusedAndWithItWorks()
    {
        var user = await factory.LoginAsync();
        var body = new { name = "cookie query", broker = "Gaia", parameters = new { target_name = "Gaia23" } };

        using var refused = await user.Page.Client.PostAsJsonAsync("/api/v1/queries", body);
        var (_, page) = await user.Page.GetAsync("/alerts/query/list/");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/queries") { Content = JsonContent.Create(body) };
        request.Headers.Add("RequestVerificationToken", PageSession.Token(page));
        using var accepted = await user.Page.Client.SendAsync(request);

        ApiSupport.AssertProblem(refused, HttpStatusCode.BadRequest);
        Assert.Contains("RequestVerificationToken", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task Healthz_NoCredentials_Is200WhenTheDatabaseAnswers()
    {
        using var response = await factory.ApiClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (await response.JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnknownApiAddress_Is404ProblemNotAPage()
    {
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.GetAsync("/api/v1/nothing-here");

        ApiSupport.AssertProblem(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Pages_NoCredentials_StillRedirectToLogin()
    {
        using var response = await factory.ApiClient().GetAsync("/targets/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Pages_BearerToken_DoesNotLogIntoPages()
    {
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.GetAsync("/targets/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
