using System.Net;
using System.Text.RegularExpressions;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Api;

public partial class OpenApiTests(TomAlertsFactory factory) : IClassFixture<TomAlertsFactory>
{
    [Theory]
    [InlineData("/api/v1/brokers", "get")]
    [InlineData("/api/v1/queries", "get")]
    [InlineData("/api/v1/queries", "post")]
    [InlineData("/api/v1/queries/{id}", "get")]
    [InlineData("/api/v1/queries/{id}", "put")]
    [InlineData("/api/v1/queries/{id}", "delete")]
    [InlineData("/api/v1/queries/{id}/runs", "post")]
    [InlineData("/api/v1/queries/{id}/copy", "post")]
    [InlineData("/api/v1/runs/{id}", "get")]
    [InlineData("/api/v1/runs/{id}/alerts", "get")]
    [InlineData("/api/v1/runs/{id}/alerts/export", "get")]
    [InlineData("/api/v1/targets/from-alerts", "post")]
    [InlineData("/api/v1/targets", "get")]
    [InlineData("/api/v1/targets/export", "get")]
    [InlineData("/api/v1/targets/{id}", "get")]
    [InlineData("/api/v1/targets/{id}", "delete")]
    [InlineData("/api/v1/targets/{id}/photometry", "get")]
    [InlineData("/api/v1/targets/{id}/photometry/export", "get")]
    [InlineData("/healthz", "get")]
    public async Task OpenApiDocument_NoCredentials_DescribesTheEndpoint(string path, string method)
    {
        using var response = await factory.ApiClient().GetAsync("/openapi/v1.json");
        var document = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()));
    }

    [Fact]
    public async Task OpenApiDocument_HasOnlyTheApi_AndTheBearerScheme()
    {
        var document = await (await factory.ApiClient().GetAsync("/openapi/v1.json")).JsonAsync();

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.All(paths, p => Assert.True(p.StartsWith("/api/v1/", StringComparison.Ordinal) || p == "/healthz", p));
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var alert = document.GetProperty("components").GetProperty("schemas").GetProperty("AlertDto").GetProperty("properties");
        Assert.All(new[] { "alertId", "name", "ra", "dec", "mag", "score", "timestamp", "url", "classification" }, p => Assert.True(alert.TryGetProperty(p, out _), p));
    }

    [Fact]
    public async Task ReferencePage_NoCredentials_IsServedWithoutInlineScript()
    {
        var client = factory.ApiClient();

        using var response = await client.GetAsync("/api/docs/index.html");
        var html = await response.Content.ReadAsStringAsync();
        using var config = await client.GetAsync("/api/docs/index.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Empty(InlineScript().Matches(html));
        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
        Assert.Contains("/openapi/v1.json", await config.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Navigation_LinksTheApiReferenceAndTheTokens()
    {
        var user = await factory.LoginAsync();

        var (_, html) = await user.Page.GetAsync("/targets/");

        Assert.Contains("href=\"/api/docs/\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/account/tokens\"", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
