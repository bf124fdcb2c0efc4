using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Security;

/// <summary>Sessions that end, addresses nobody can make up, keys and files that survive and stay private.</summary>
public sealed class HardeningTests : AppTest
{
    [Fact]
    public async Task Logout_EndsTheSession_ACopiedCookieStopsWorking()
    {
        var user = await Factory.LoginAsync();
        using var before = await user.Page.Client.GetAsync("/targets/");
        var cookie = string.Join("; ", before.RequestMessage!.Headers.GetValues("Cookie"));
        using var copy = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        using var withCopyBefore = await copy.GetAsync("/targets/");

        using var logout = await user.Page.PostFormAsync("/targets/", "/account/logout", []);
        using var withCopyAfter = await copy.GetAsync("/targets/");

        Assert.Equal(HttpStatusCode.OK, withCopyBefore.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, withCopyAfter.StatusCode);
        Assert.StartsWith("/account/login", withCopyAfter.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StampChangedByAnotherInstance_EndsTheSessionHereWithinTheStampLifetime()
    {
        var user = await Factory.LoginAsync();
        using var before = await user.Page.Client.GetAsync("/targets/");

        // Another instance on the same database logged the user out: only the stamp row changed, nothing in this process.
        await Factory.WithDbAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString("N"))));
        await Task.Delay(TomAlerts.Web.Hosting.ValidatedStamps.Lifetime + TimeSpan.FromMilliseconds(500));
        using var after = await user.Page.Client.GetAsync("/targets/");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostHeader_NeverBecomesALocationOrACurlLine()
    {
        Factory.Settings["Notifications:PublicUrl"] = "https://tom.example.org/";
        Factory.Brokers.MapAlerce(1);
        var (user, _, runId) = await LogInAndRunAsync("ALeRCE", []);
        using var anonymous = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/targets/");
        request.Headers.Host = "evil.example";

        using var toLogin = await anonymous.SendAsync(request);
        using var page = new HttpRequestMessage(HttpMethod.Get, $"/alerts/run/{runId}/");
        page.Headers.Host = "evil.example";
        using var list = await user.Page.Client.SendAsync(page);
        var html = await list.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        Assert.StartsWith("/account/login?ReturnUrl=", toLogin.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains($"https://tom.example.org/api/v1/runs/{runId}/alerts/export", html, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", html, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task DataProtectionKeys_AreKeptInTheDatabase_AndTheSqliteFileIsTheOwnersAlone()
    {
        await Factory.LoginAsync();

        Assert.True(await Factory.WithDbAsync(db => db.DataProtectionKeys.CountAsync()) >= 1);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Factory.SqlitePath));
    }
}

/// <summary>Behind a TLS-terminating proxy, only a configured proxy's forwarded scheme counts (real Kestrel: a real client address).</summary>
public sealed class ForwardedHeadersTests(KestrelFactory factory) : IClassFixture<KestrelFactory>
{
    [Fact]
    public async Task ForwardedHttps_FromTheConfiguredProxy_GivesSecureCookiesAndHsts_FromAnyoneElseNothing()
    {
        factory.Settings["Proxy:KnownProxies:0"] = "127.0.0.1";
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(factory.BaseUrl) };

        async Task<HttpResponseMessage> LoginPage(string? proto)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
            request.Headers.Host = "tom.example.org";
            if (proto is not null)
            {
                request.Headers.Add("X-Forwarded-Proto", proto);
            }
            return await client.SendAsync(request);
        }

        using var viaProxy = await LoginPage("https");
        using var plain = await LoginPage(null);

        Assert.Contains(viaProxy.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("max-age=", viaProxy.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain(plain.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }
}
