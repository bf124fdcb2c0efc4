using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.Exports;

/// <summary>
/// The download buttons of a page (its own export route, browser login) and the equivalent curl command for a script
/// (the API route, a token in $TOMALERTS_TOKEN — never a real token).
/// </summary>
public sealed record DownloadsViewModel(string Label, string PagePath, string ApiPath, string FileStem, IReadOnlyList<(string Key, string? Value)> PageQuery, IReadOnlyList<(string Key, string? Value)> ApiQuery)
{
    public const string Partial = "/Features/Exports/Views/_Downloads.cshtml";

    public static readonly IReadOnlyList<(string Format, string Label)> Formats = [("csv", "CSV"), ("json", "JSON"), ("votable", "VOTable")];

    public static DownloadsViewModel ForRun(long runId) =>
        new("these alerts", $"/alerts/run/{runId}/export", $"/api/v1/runs/{runId}/alerts/export", $"run-{runId}-alerts", [], []);

    public static DownloadsViewModel ForTargets(string? name, string? ra, string? dec, string? radius, TargetSort? sort = null)
    {
        var order = sort is null || sort == TargetSort.Default ? null : sort.ToString();
        return new("this list", "/targets/export", "/api/v1/targets/export", "targets",
            [("name", name), ("ra", ra), ("dec", dec), ("radius", string.IsNullOrWhiteSpace(ra) && string.IsNullOrWhiteSpace(dec) ? null : radius), ("sort", order)],
            [("name", name), ("ra", ra), ("dec", dec), ("radiusArcsec", string.IsNullOrWhiteSpace(ra) && string.IsNullOrWhiteSpace(dec) ? null : radius), ("sort", order)]);
    }

    /// <summary>A target list's own download, in the page's order.</summary>
    public static DownloadsViewModel ForTargetList(int listId, TargetSort sort)
    {
        var order = sort == TargetSort.Default ? null : sort.ToString();
        return new("this list", $"/targets/lists/{listId}/export", $"/api/v1/targetlists/{listId}/export", $"targetlist-{listId}", [("sort", order)], [("sort", order)]);
    }

    public static DownloadsViewModel ForPhotometry(int targetId) =>
        new("this light curve", $"/targets/{targetId}/photometry/export", $"/api/v1/targets/{targetId}/photometry/export", $"target-{targetId}-photometry", [], []);

    public string PageUrl(string format) => Url(PagePath, format, PageQuery);

    public string Curl(string baseUrl, string format = "csv") =>
        $"curl -H \"Authorization: Bearer $TOMALERTS_TOKEN\" '{baseUrl}{Url(ApiPath, format, ApiQuery)}' -o {FileStem}.{(format == "votable" ? "vot.xml" : format)}";

    /// <summary>Every value is percent-encoded, so the URL is safe inside the single quotes of a shell command.</summary>
    private static string Url(string path, string format, IReadOnlyList<(string Key, string? Value)> query) =>
        path + "?format=" + format + string.Concat(query.Where(q => !string.IsNullOrWhiteSpace(q.Value)).Select(q => $"&{q.Key}={Uri.EscapeDataString(q.Value!.Trim())}"));
}
