using System.Net;

namespace TomAlerts.Web.Tests.Support;

/// <summary>A user registered over real HTTP, for an app behind Kestrel (where the factory's in-memory clients do not reach).</summary>
public static class HttpSession
{
    public static async Task<TestUser> RegisterOverHttpAsync(this TomAlertsFactory factory, string email)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri(factory.BaseUrl),
        };
        var page = new PageSession(client);
        using var registered = await page.RegisterAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        return new TestUser(email, "", page);
    }
}
