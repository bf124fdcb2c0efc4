using System.Net;
using System.Text.RegularExpressions;

namespace TomAlerts.Web.Tests.Support;

/// <summary>A browser-like session over HttpClient: cookies, and forms posted with the antiforgery token of the page they are on.</summary>
public sealed partial class PageSession(HttpClient client)
{
    public HttpClient Client { get; } = client;

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string url)
    {
        using var response = await Client.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Loads <paramref name="pageUrl"/>, takes its antiforgery token, and posts <paramref name="fields"/> to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pageUrl, string action, Dictionary<string, string> fields)
    {
        var (_, html) = await GetAsync(pageUrl);
        return await PostWithTokenAsync(action, fields, Token(html));
    }

    public async Task<HttpResponseMessage> PostWithTokenAsync(string action, IEnumerable<KeyValuePair<string, string>> fields, string? token)
    {
        var all = fields.ToList();
        if (token is not null)
        {
            all.Add(new("__RequestVerificationToken", token));
        }
        return await Client.PostAsync(action, new FormUrlEncodedContent(all));
    }

    /// <summary>Registers <paramref name="email"/> with the test password through the form (which also logs in).</summary>
    public Task<HttpResponseMessage> RegisterAsync(string email) =>
        PostFormAsync("/account/register", "/account/register",
            new() { ["Email"] = email, ["Password"] = TestUser.Password, ["ConfirmPassword"] = TestUser.Password });

    /// <summary>Logs in as <paramref name="email"/> with the test password through the form.</summary>
    public Task<HttpResponseMessage> LogInAsync(string email) =>
        PostFormAsync("/account/login", "/account/login", new() { ["Email"] = email, ["Password"] = TestUser.Password });

    public static string Token(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "The page has no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
