using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Api;

/// <summary>
/// The whole flow as an outside script runs it: a plain HttpClient over TCP and a token, nothing else — no cookies,
/// no access to the app's services or database.
/// </summary>
public sealed class ScriptFlowTests : AppTest<KestrelFactory>
{
    [Fact]
    public async Task Script_WithOnlyAToken_QueriesRunsPagesCreatesTargetsAndReadsOneBack()
    {
        Factory.Brokers.MapAlerce(130);
        var token = await Factory.CreateTokenAsync(await CreateUserAsync("script@example.org"), "script");
        using var http = new HttpClient { BaseAddress = new Uri(Factory.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // Create a query with the broker's form keys.
        using var created = await http.PostAsJsonAsync("/api/v1/queries",
            new { name = "SN Ia candidates", broker = "ALeRCE", parameters = new { lc_classifier = "SNIa", max_pages = "5" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var queryId = (await Json(created)).GetProperty("id").GetInt32();

        // Run it and poll until it ends.
        using var started = await http.PostAsync($"/api/v1/queries/{queryId}/runs", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runUrl = started.Headers.Location!.OriginalString;
        var run = await http.WaitForRunAsync(runUrl);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(130, run.GetProperty("alertCount").GetInt32());

        // Page through every alert and pick the high-scoring ones.
        var picked = new List<string>();
        var count = 0;
        for (var page = 1; ; page++)
        {
            var body = await Json(await http.GetAsync($"{runUrl}/alerts?page={page}&pageSize=40"));
            var items = body.GetProperty("items").EnumerateArray().ToList();
            count += items.Count;
            picked.AddRange(items.Where(a => a.GetProperty("score").GetDouble() >= 0.98).Select(a => a.GetProperty("alertId").GetString()!));
            if (page * 40 >= body.GetProperty("total").GetInt32())
            {
                break;
            }
        }
        Assert.Equal(130, count);
        Assert.NotEmpty(picked);

        // Create targets from them.
        using var fromAlerts = await http.PostAsJsonAsync("/api/v1/targets/from-alerts", new { runId = run.GetProperty("id").GetInt64(), alertIds = picked });
        var outcomes = (await Json(fromAlerts)).EnumerateArray().ToList();
        Assert.Equal(picked.Count, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal("created", o.GetProperty("outcome").GetString()));

        // Read one back with its light curve.
        var targetId = outcomes[0].GetProperty("targetId").GetInt32();
        var target = await Json(await http.GetAsync($"/api/v1/targets/{targetId}"));
        var photometry = await Json(await http.GetAsync($"/api/v1/targets/{targetId}/photometry"));
        var found = await Json(await http.GetAsync($"/api/v1/targets?name={Uri.EscapeDataString(target.GetProperty("name").GetString()!)}"));
        Assert.Equal(picked[0], target.GetProperty("name").GetString());
        Assert.Equal(run.GetProperty("id").GetInt64(), target.GetProperty("provenance")[0].GetProperty("runId").GetInt64());
        Assert.True(photometry.GetArrayLength() > 0);
        Assert.Equal(targetId, found.GetProperty("items")[0].GetProperty("id").GetInt32());
    }

    private async Task<string> CreateUserAsync(string email)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, TestUser.Password)).Succeeded);
        return user.Id;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
