using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Security;

/// <summary>Every form POST of the portal demands the antiforgery token; found from the app's own endpoints, so a new form is covered too.</summary>
public partial class AntiforgeryTests(TomAlertsFactory factory) : IClassFixture<TomAlertsFactory>
{
    /// <summary>The MVC actions that take a POST; API controllers ([ApiController], token-authenticated) are not forms.</summary>
    private List<RouteEndpoint> FormPosts() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ControllerActionDescriptor>() is { } action
                        && !action.ControllerTypeInfo.IsDefined(typeof(ApiControllerAttribute), inherit: true)
                        && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .ToList();

    [Fact]
    public void EveryFormPost_RequiresTheToken()
    {
        var posts = FormPosts();

        Assert.True(posts.Count >= 8, $"Only {posts.Count} form posts were found; the endpoint scan is broken.");
        // The attribute nearest the action wins, as in MVC's own filter ordering.
        var unprotected = posts.Where(e => e.Metadata.LastOrDefault(m => m is ValidateAntiForgeryTokenAttribute or IgnoreAntiforgeryTokenAttribute)
                is not ValidateAntiForgeryTokenAttribute)
            .Select(e => e.RoutePattern.RawText).ToList();
        Assert.True(unprotected.Count == 0, "Form posts without [ValidateAntiForgeryToken]: " + string.Join(", ", unprotected));
    }

    [Fact]
    public async Task EveryFormPost_WithoutTheToken_IsRejectedAndChangesNothing()
    {
        var user = await factory.LoginAsync();
        var queries = await factory.WithDbAsync(db => Task.FromResult(db.BrokerQueries.Count()));

        foreach (var endpoint in FormPosts())
        {
            var url = "/" + Parameter().Replace(endpoint.RoutePattern.RawText!.TrimStart('/'), "1");
            using var response = await user.Page.Client.PostAsync(url, new FormUrlEncodedContent([new("broker", "Gaia"), new("query_name", "forged"), new("target_name", "x")]));

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {url} without a token answered {(int)response.StatusCode}.");
        }
        Assert.Equal(queries, await factory.WithDbAsync(db => Task.FromResult(db.BrokerQueries.Count())));
        var (status, _) = await user.Page.GetAsync("/alerts/query/list/");
        Assert.Equal(HttpStatusCode.OK, status); // still logged in: the logout form was refused too
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
