using TomAlerts.Brokers;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Web.Features.Queries;

/// <summary>
/// Reads a query form submission (page or API) against a broker's form definition. Keys the form does not
/// have mean the submission was tampered with, and nothing is saved.
/// </summary>
public static class QueryFormInput
{
    public const string VisibilityField = "visibility";

    private static readonly HashSet<string> PageFields =
        ["__RequestVerificationToken", BrokerForm.QueryNameField, BrokerForm.BrokerField, VisibilityField, .. Schedules.ScheduleFields.Names];

    public static IReadOnlyList<string> UnknownKeys(BrokerForm form, IEnumerable<string> keys) =>
        keys.Where(k => !PageFields.Contains(k) && form.Field(k) is null).ToList();

    public static QueryVisibility? ParseVisibility(string? value) =>
        string.IsNullOrEmpty(value) ? QueryVisibility.Shared
        : Enum.TryParse<QueryVisibility>(value, ignoreCase: true, out var visibility) && Enum.IsDefined(visibility) ? visibility
        : null;
}

public sealed class QueryFormViewModel
{
    public required string BrokerName { get; init; }
    public required IBroker Broker { get; init; }
    public required BrokerForm Form { get; init; }
    public IReadOnlyDictionary<string, string?> Values { get; init; } = new Dictionary<string, string?>();
    public FormErrors Errors { get; init; } = new();
    public int? QueryId { get; init; }
    public QueryVisibility Visibility { get; init; } = QueryVisibility.Shared;
    public Schedules.ScheduleFields Schedule { get; init; } = new();

    public string? Value(string field) => Values.GetValueOrDefault(field);

    public string Action => QueryId is { } id ? $"/alerts/query/{id}/update/" : "/alerts/query/create/";
}

public sealed record QueryListRow(int Id, string Name, string Broker, DateTime Created, DateTime? LastRun, QueryVisibility Visibility, bool CanEdit, string? LastStatus,
    string Owner)
{
    /// <summary>The edit form for a query the user may change, otherwise its read-only page.</summary>
    public string Link => CanEdit ? $"/alerts/query/{Id}/update/" : $"/alerts/query/{Id}/view/";
}

/// <summary>A saved query shown read-only: what it asks the broker, whose it is, and its latest runs.</summary>
public sealed class QueryDetailsViewModel
{
    public required BrokerQuery Query { get; init; }
    public required string Owner { get; init; }
    public required IReadOnlyList<QueryFilter> Filters { get; init; }
    public Schedules.ScheduleSummary? Schedule { get; init; }
    public required IReadOnlyList<QueryRun> Runs { get; init; }
    public bool CanEdit { get; init; }
    /// <summary>The broker is configured and fetches alerts (a stub's queries are kept but neither run nor saved anew).</summary>
    public bool BrokerWorks { get; init; }
}

public sealed class QueryListViewModel
{
    public required IReadOnlyList<QueryListRow> Rows { get; init; }
    public required IReadOnlyList<string> Brokers { get; init; }
    public IReadOnlySet<string> Stubs { get; init; } = new HashSet<string>();
    public string? BrokerFilter { get; init; }
    public string? NameFilter { get; init; }
    public required Paging Paging { get; init; }
    public IReadOnlyDictionary<int, TomAlerts.Web.Features.Schedules.ScheduleSummary> Schedules { get; init; } =
        new Dictionary<int, TomAlerts.Web.Features.Schedules.ScheduleSummary>();

    public Pager Pager => Paging.Links("Query pages",
        page => $"/alerts/query/list/?broker={Uri.EscapeDataString(BrokerFilter ?? "")}&name={Uri.EscapeDataString(NameFilter ?? "")}&page={page}");
}

public sealed record FieldViewModel(TomAlerts.Brokers.FormField Field, string? Value, IReadOnlyList<string> Errors);

/// <summary>Splits a broker form's plain-text introduction into text and web links, so addresses become links.</summary>
public static partial class IntroText
{
    /// <summary>The introduction as HTML: the text encoded, each address an anchor opening in a new tab.</summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent ToHtml(string intro)
    {
        var html = new Microsoft.AspNetCore.Html.HtmlContentBuilder();
        foreach (var (text, url) in Split(intro))
        {
            if (url is null)
            {
                html.Append(text);
                continue;
            }
            var link = new Microsoft.AspNetCore.Mvc.Rendering.TagBuilder("a");
            link.Attributes["href"] = url;
            link.Attributes["target"] = "_blank";
            link.Attributes["rel"] = "noopener";
            link.InnerHtml.Append(text);
            html.AppendHtml(link);
        }
        return html;
    }

    public static IEnumerable<(string Text, string? Url)> Split(string intro)
    {
        var position = 0;
        foreach (System.Text.RegularExpressions.Match match in Url().Matches(intro))
        {
            if (match.Index > position)
            {
                yield return (intro[position..match.Index], null);
            }
            yield return (match.Value, match.Value);
            position = match.Index + match.Length;
        }
        if (position < intro.Length)
        {
            yield return (intro[position..], null);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"https?://[^\s()<>""]+[^\s()<>"".,;:!?]")]
    private static partial System.Text.RegularExpressions.Regex Url();
}
