using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// Following a run until it ends, the one way for each vantage point: the app's database (in-process apps), the run
/// page's status poll (a browser session) or the API (a script with a token). Every one of them waits through <see cref="Poll"/>.
/// </summary>
public static class RunWaits
{
    public static async Task<T> WithDbAsync<T>(this WebApplicationFactory<Program> app, Func<AppDbContext, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>Reads the run from the app's database until it has ended.</summary>
    public static Task<QueryRun> WaitForRunAsync(this WebApplicationFactory<Program> app, long runId, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () => app.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId)),
            run => run.IsFinished,
            run => $"Run {runId} did not finish in time; it is {run.Status}.",
            timeout);

    /// <summary>Follows the run's status as the run page does, until it says finished; <paramref name="seen"/> gets every status read.</summary>
    public static Task<JsonNode> WaitForRunAsync(this PageSession page, long runId, Action<JsonNode>? seen = null, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            async () =>
            {
                var (_, json) = await page.GetAsync($"/alerts/run/{runId}/status");
                var status = JsonNode.Parse(json)!;
                seen?.Invoke(status);
                return status;
            },
            status => (bool?)status["finished"] == true,
            status => $"Run {runId} did not finish: {status.ToJsonString()}",
            timeout);

    /// <summary>Reads the run at <paramref name="runUrl"/> through the API until its status is final; returns it as the API shows it.</summary>
    public static Task<JsonElement> WaitForRunAsync(this HttpClient api, string runUrl) =>
        Poll.UntilAsync(
            async () =>
            {
                using var response = await api.GetAsync(runUrl);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{runUrl} answered {(int)response.StatusCode}: {text}");
                return JsonDocument.Parse(text).RootElement.Clone();
            },
            run => run.GetProperty("status").GetString() is "succeeded" or "failed" or "interrupted",
            run => $"The run at {runUrl} did not end in time: {run}");
}
