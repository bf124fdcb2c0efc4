using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Security;

/// <summary>The whole app behind real Kestrel, so its request limits apply as in production.</summary>
/// <summary>Security headers, cookie flags and redirects that stay local.</summary>
public sealed class HeadersAndCookiesTests(TomAlertsFactory factory) : IClassFixture<TomAlertsFactory>
{
    private HttpClient Anonymous() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/account/register")]
    [InlineData("/no/such/page")]
    [InlineData("/css/site.css")]
    [InlineData("/alerts/query/list/")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string url)
    {
        using var response = await Anonymous().GetAsync(url);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var scriptSrc = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.Equal("script-src 'self'", scriptSrc);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Cookies_AreHttpOnlyAndSameSite_AndSecureUnderHttps()
    {
        var user = await factory.LoginAsync();
        var https = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost") });
        var http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("http://localhost") });

        var secure = await LoginCookiesAsync(https, user.Email);
        var plain = await LoginCookiesAsync(http, user.Email);

        foreach (var name in new[] { "TomAlerts.Auth", "TomAlerts.Antiforgery" })
        {
            var cookie = secure.Single(c => c.StartsWith(name + "=", StringComparison.Ordinal)).ToLowerInvariant();
            Assert.Contains("; httponly", cookie, StringComparison.Ordinal);
            Assert.Contains("; secure", cookie, StringComparison.Ordinal);
            Assert.Matches("; samesite=(lax|strict)", cookie);
            Assert.DoesNotContain("; secure", plain.Single(c => c.StartsWith(name + "=", StringComparison.Ordinal)).ToLowerInvariant(), StringComparison.Ordinal);
        }
    }

    /// <summary>Logs in without a cookie jar and returns every Set-Cookie header the login page and the login gave.</summary>
    private static async Task<List<string>> LoginCookiesAsync(HttpClient client, string email)
    {
        using var page = await client.GetAsync("/account/login");
        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent([
                new("Email", email), new("Password", TestUser.Password),
                new("__RequestVerificationToken", PageSession.Token(await page.Content.ReadAsStringAsync()))]),
        };
        request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        using var login = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        cookies.AddRange(login.Headers.GetValues("Set-Cookie"));
        return cookies;
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("https:/evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task Login_ReturnUrlOrRedirectUrlOffSite_GoesHomeInstead(string target)
    {
        var user = await factory.LoginAsync();
        var page = new PageSession(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

        using var response = await page.PostFormAsync("/account/login", $"/account/login?redirect_url={Uri.EscapeDataString(target)}",
            new() { ["Email"] = user.Email, ["Password"] = TestUser.Password, ["ReturnUrl"] = target });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_LocalReturnUrl_IsFollowed()
    {
        var user = await factory.LoginAsync();
        var page = new PageSession(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

        using var response = await page.PostFormAsync("/account/login?returnUrl=%2Ftargets%2F", "/account/login",
            new() { ["Email"] = user.Email, ["Password"] = TestUser.Password, ["ReturnUrl"] = "/targets/" });

        Assert.Equal("/targets/", response.Headers.Location!.OriginalString);
    }
}

/// <summary>Request size limits and Location header rules, which only a real server enforces.</summary>
public sealed class RequestLimitTests(KestrelFactory factory) : IClassFixture<KestrelFactory>
{
    [Fact]
    public async Task Request_LargerThanTheLimit_IsRefusedWith413NotAServerError()
    {
        using var client = new HttpClient { BaseAddress = new Uri(factory.BaseUrl) };
        var body = new string('a', 5 * 1024 * 1024);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new StringContent($"Email={body}", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        // As curl does for large bodies: the server can refuse before the body is sent.
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("413", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal); // the friendly status page
    }

    [Fact]
    public async Task ChunkedApiBody_LargerThanTheLimit_Is413ProblemDetailsNotAServerError()
    {
        using var client = new HttpClient { BaseAddress = new Uri(factory.BaseUrl) };
        var email = $"limits-{Guid.NewGuid():N}@example.org";
        var user = new IdentityUser { UserName = email, Email = email };
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().CreateAsync(user, TestUser.Password)).Succeeded);
        }
        client.DefaultRequestHeaders.Authorization = new("Bearer", await factory.CreateTokenAsync(user.Id));
        // A body of unknown length (no Content-Length: Transfer-Encoding: chunked), over the 4 MB limit.
        using var content = new StreamContent(new ChunkedJson(5 * 1024 * 1024));
        content.Headers.ContentType = new("application/json");

        using var response = await client.PostAsync("/api/v1/queries", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Null(response.RequestMessage!.Content!.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("413", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/targets/?name=Gaïa", "/targets/?name=Ga%C3%AFa")]
    [InlineData("/targets/?name=SN 2023vjq", "/targets/?name=SN%202023vjq")]
    [InlineData("/xé/🔭", "/x%C3%A9/%F0%9F%94%AD")]
    public async Task LocalReturnUrl_WithCharactersAHeaderCannotCarry_IsFollowedEncoded(string returnUrl, string location)
    {
        var email = $"return-{Guid.NewGuid():N}@example.org";
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>()
                .CreateAsync(new IdentityUser { UserName = email, Email = email }, TestUser.Password)).Succeeded);
        }
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        var page = new PageSession(new HttpClient(handler) { BaseAddress = new Uri(factory.BaseUrl) });

        using var login = await page.PostFormAsync("/account/login", "/account/login",
            new() { ["Email"] = email, ["Password"] = TestUser.Password, ["ReturnUrl"] = returnUrl });
        using var back = await page.PostFormAsync("/targets/", "/alerts/TNS/submit/", new() { ["redirect_url"] = returnUrl });

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(location, login.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal(location, back.Headers.Location!.OriginalString);
    }

    /// <summary>A JSON string value of <c>length</c> bytes, read in pieces, whose length the stream does not tell.</summary>
    private sealed class ChunkedJson(int length) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                var at = _position + i;
                buffer[offset + i] = (byte)(at == 0 ? '"' : at == length - 1 ? '"' : 'a');
            }
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
