using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TomAlerts.Data;

namespace TomAlerts.Web.Tests.Support;

/// <summary>An app sharing a factory's database but with its own broker addresses and a fresh set of pipelines.</summary>
public sealed record DerivedApp(WebApplicationFactory<Program> App, PageSession Page) : IAsyncDisposable
{
    /// <summary>At once, not with the parent factory: every app watches its settings files, and the system allows few watchers.</summary>
    public async ValueTask DisposeAsync()
    {
        Page.Client.Dispose();
        await App.DisposeAsync();
    }

    public Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> action) => App.WithDbAsync(action);
}

public static class DerivedApps
{
    /// <summary>A new app over the same database with <paramref name="settings"/> on top, and <paramref name="user"/> logged in to it.</summary>
    public static async Task<DerivedApp> DeriveAsync(this TomAlertsFactory factory, TestUser user, params (string Key, string Value)[] settings)
    {
        var app = factory.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        var page = new PageSession(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        using var login = await page.LogInAsync(user.Email);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return new DerivedApp(app, page);
    }
}
