using System.Net;
using System.Net.Http.Json;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Queries;

/// <summary>A broker plugin installed only as a stub: its form says so and offers no Submit, and the API refuses its queries.</summary>
public class StubBrokerTests(PluginStubFactory factory) : IClassFixture<PluginStubFactory>
{
    [Fact]
    public async Task Create_StubBroker_SaysInPlainWordsItCannotFetchAlertsAndHasNoSubmit()
    {
        var user = await factory.LoginAsync();

        var (status, html) = await user.Page.GetAsync("/alerts/query/create/?broker=Plugin");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("TomAlerts cannot fetch alerts from Plugin yet", html, StringComparison.Ordinal);
        Assert.DoesNotContain("is a stub", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("github.com/TOMToolkit", html, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"submit\" class=\"btn btn-primary\">Submit", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiCreate_StubBroker_Is400OnTheBroker()
    {
        var api = await factory.ApiUserAsync();

        using var response = await api.Api.PostAsJsonAsync("/api/v1/queries", new { name = "placeholder", broker = "Plugin", parameters = new { } });

        Assert.Equal(["broker"], await response.ErrorFieldsAsync());
    }
}
