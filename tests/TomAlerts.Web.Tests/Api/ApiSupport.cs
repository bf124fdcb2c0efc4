using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Web.Features.Account;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Api;

/// <summary>A registered user with a personal API token, and a client that sends it and nothing else (no cookies).</summary>
public sealed record ApiUser(TestUser User, string Token, HttpClient Api);

public static class ApiSupport
{
    public static async Task<string> CreateTokenAsync(this TomAlertsFactory factory, string userId, string name = "test script")
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userId, name, CancellationToken.None)).Secret;
    }

    public static HttpClient ApiClient(this TomAlertsFactory factory, string? token = null)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public static async Task<ApiUser> ApiUserAsync(this TomAlertsFactory factory, bool admin = false)
    {
        var user = await factory.LoginAsync(admin);
        var token = await factory.CreateTokenAsync(user.Id);
        return new ApiUser(user, token, factory.ApiClient(token));
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Saves a query through the API and returns its id.</summary>
    public static async Task<int> CreateQueryAsync(this HttpClient api, string broker, object? parameters = null, string? visibility = null, string? name = null)
    {
        using var response = await api.PostAsJsonAsync("/api/v1/queries",
            new { name = name ?? $"{broker} {Guid.NewGuid():N}"[..24], broker, parameters = parameters ?? new { }, visibility });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32();
    }

    /// <summary>Starts a run of a saved query and polls it until it ends; returns the run as the API shows it.</summary>
    public static async Task<JsonElement> RunAsync(this HttpClient api, int queryId)
    {
        using var started = await api.PostAsync($"/api/v1/queries/{queryId}/runs", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.JsonAsync()).GetProperty("id").GetInt64();
        return await api.WaitForRunAsync(runId);
    }

    public static Task<JsonElement> WaitForRunAsync(this HttpClient api, long runId) => api.WaitForRunAsync($"/api/v1/runs/{runId}");

    public static void AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The field names a 400 ValidationProblemDetails lists.</summary>
    public static async Task<IReadOnlyList<string>> ErrorFieldsAsync(this HttpResponseMessage response)
    {
        AssertProblem(response, HttpStatusCode.BadRequest);
        return (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
    }
}
