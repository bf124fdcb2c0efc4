using System.Diagnostics;
using System.Net;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Resilience;

/// <summary>One of the four real brokers, as the fault tests drive it.</summary>
public sealed record BrokerCase(string Name, string Key, string UrlSetting, string Prefix, Dictionary<string, string> Query, bool SpeaksJson)
{
    public static readonly BrokerCase Alerce = new("ALeRCE", "ALERCE", "base_url", "/alerce", [], true);
    public static readonly BrokerCase Gaia = new("Gaia", "GAIA", "base_url", "/gaia", new() { ["target_name"] = "Gaia23" }, false);
    public static readonly BrokerCase Lasair = new("Lasair", "LASAIR", "base_url", "/lasair",
        new() { ["cone_ra"] = "150.3157", ["cone_dec"] = "2.2094", ["cone_radius"] = "20" }, true);
    public static readonly BrokerCase Tns = new("TNS", "TNS", "tns_base_url", "/tns/api", new() { ["target_name"] = "2023vjq" }, true);

    public static readonly IReadOnlyList<BrokerCase> All = [Alerce, Gaia, Lasair, Tns];

    public string UrlKey => $"BROKERS:{Key}:{UrlSetting}";

    public override string ToString() => Name;
}

public static class ResilienceSteps
{
    public const string AttemptTimeout = "00:00:00.400";

    /// <summary>Short timeouts and one quick retry for every broker, so a fault test takes a second or two, not half a minute.</summary>
    public static TomAlertsFactory WithFastBrokers(this TomAlertsFactory factory)
    {
        foreach (var broker in BrokerCase.All)
        {
            var resilience = $"BROKERS:{broker.Key}:resilience";
            factory.Settings[$"{resilience}:AttemptTimeout:Timeout"] = AttemptTimeout;
            factory.Settings[$"{resilience}:TotalRequestTimeout:Timeout"] = "00:00:03";
            factory.Settings[$"{resilience}:Retry:MaxRetryAttempts"] = "1";
            factory.Settings[$"{resilience}:CircuitBreaker:SamplingDuration"] = "00:00:30";
        }
        factory.Settings["BrokerHealth:PageBudget"] = "00:00:00.300";
        return factory;
    }

    /// <summary>Clicks Run and waits for the run to end; returns it.</summary>
    public static async Task<QueryRun> RunAsync(this DerivedApp app, int queryId, TimeSpan? timeout = null)
    {
        var runId = await app.Page.StartRunAsync(queryId);
        return await app.App.WaitForRunAsync(runId, timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Every page answers below 500, and within a second whatever the brokers are doing. The second visit is timed: the
    /// first of a new app also pays for compiling the page's code, which no broker can make faster or slower.
    /// </summary>
    public static async Task AssertPagesUpAsync(this PageSession page, params string[] urls)
    {
        foreach (var url in urls)
        {
            var (first, _) = await page.GetAsync(url);
            var watch = Stopwatch.StartNew();
            var (status, _) = await page.GetAsync(url);
            watch.Stop();
            Assert.True((int)first < 500 && (int)status < 500, $"{url} answered {(int)first}, then {(int)status}.");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"{url} took {watch.ElapsedMilliseconds} ms.");
        }
    }

    /// <summary>The health page's row of <paramref name="broker"/>, as text (tags removed, entities decoded).</summary>
    public static async Task<string> HealthRowAsync(this PageSession page, string broker)
    {
        var (status, html) = await page.GetAsync("/brokers/");
        Assert.Equal(HttpStatusCode.OK, status);
        var start = html.IndexOf($"data-broker=\"{broker}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"The health page has no row for {broker}.");
        var end = html.IndexOf("</tr>", start, StringComparison.Ordinal);
        var row = System.Text.RegularExpressions.Regex.Replace(html[start..end], "<[^>]*>", " ");
        return WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(row, @"\s+", " "));
    }

    /// <summary>Waits until the health row of <paramref name="broker"/> contains <paramref name="text"/> (calls are written in the background).</summary>
    public static Task<string> WaitForHealthAsync(this PageSession page, string broker, string text) =>
        Poll.UntilAsync(() => page.HealthRowAsync(broker), row => row.Contains(text, StringComparison.Ordinal),
            row => $"The health row of {broker} never showed \"{text}\": {row}", TimeSpan.FromSeconds(10));
}
