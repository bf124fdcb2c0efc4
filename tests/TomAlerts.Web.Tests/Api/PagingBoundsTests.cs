using System.Net;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Api;

/// <summary>A page number far past the end is an empty page on every numbered list, never a wrapped negative offset.</summary>
public sealed class PagingBoundsTests : AppTest
{
    [Fact]
    public async Task HugePageNumber_GivesAnEmptyPage_OnEveryNumberedList()
    {
        Factory.Brokers.MapAlerce(3);
        var api = await Factory.ApiUserAsync();
        var queryId = await api.Api.CreateQueryAsync("ALeRCE", new { max_pages = "1" });
        using var started = await api.Api.PostAsync($"/api/v1/queries/{queryId}/runs", null);
        var runId = (await started.JsonAsync()).GetProperty("id").GetInt64();
        await api.Api.WaitForRunAsync(runId);

        foreach (var list in new[] { "/api/v1/queries", $"/api/v1/runs/{runId}/alerts" })
        {
            using var response = await api.Api.GetAsync($"{list}?page=2147483647&pageSize=500");
            var body = await response.JsonAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(0, body.GetProperty("items").GetArrayLength());
        }
        foreach (var page in new[] { "/alerts/query/list/", $"/alerts/run/{runId}/" })
        {
            var (status, _) = await api.User.Page.GetAsync($"{page}?page=2147483647&pageSize=500");
            Assert.Equal(HttpStatusCode.OK, status);
        }
    }
}
