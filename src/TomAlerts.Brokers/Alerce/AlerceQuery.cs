using System.Globalization;
using System.Text.Json.Nodes;

namespace TomAlerts.Brokers.Alerce;

/// <summary>Maps a saved ALeRCE query to the query string of <c>GET /objects/</c>, as TOM does minus its bugs.</summary>
internal static class AlerceQuery
{
    /// <summary>
    /// Objects per page. The server has no upper cap (TOM asked for 20); 500 lets the largest choice of
    /// Maximum pages (20) reach 10,000 objects.
    /// </summary>
    public const int PageSize = 500;

    public static readonly IReadOnlyList<string> MaxPagesChoices = ["1", "5", "10", "20"];

    private static readonly int MaxPagesLimit = MaxPagesChoices.Max(int.Parse);

    /// <summary>The filter pairs, without paging. Keys repeat for ranges (firstmjd=a&amp;firstmjd=b).</summary>
    public static List<KeyValuePair<string, string>> Filters(JsonObject parameters)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                pairs.Add(new(key, value));
            }
        }

        // Every classifier sends its class and probability (TOM dropped them for beta, BHRF and ATAT).
        var classifier = AlerceClassifiers.Fields.OrderBy(c => c.Priority).FirstOrDefault(c => AlerceForm.IsUsed(parameters, c));
        if (classifier is not null)
        {
            Add("classifier", classifier.ApiName);
            Add("class", Text(parameters, classifier.Key));
            Add("probability", Number(parameters, classifier.ProbabilityKey));
        }

        if (Cone(parameters) is { } cone)
        {
            // The server skips the cone when ra, dec or radius is falsy ("if ra and dec and radius"), and then answers
            // with every object. A zero coordinate goes out as NudgedZero degrees instead: the server sees a cone, and
            // the position moves by 3.6 microarcseconds. The broker also keeps only objects inside the true cone.
            Add("ra", Format(cone.Ra == 0 ? NudgedZero : cone.Ra));
            Add("dec", Format(cone.Dec == 0 ? NudgedZero : cone.Dec));
            Add("radius", Format(cone.RadiusArcsec));
        }

        // One value is a minimum for the server (">= a"), two a range ("[a, b]"): an upper bound alone must go out as a
        // range, or "first detected before X" would answer the objects first detected after X. MJD 0 is in 1858.
        foreach (var field in new[] { "firstmjd", "lastmjd" })
        {
            var after = Number(parameters, field + "__gt");
            var before = Number(parameters, field + "__lt");
            Add(field, before is null ? after : after ?? "0");
            Add(field, before);
        }

        Add("oid", Text(parameters, "oid"));
        Add("ndet", Whole(parameters, "ndet"));
        Add("ranking", Whole(parameters, "ranking"));
        // "deltamjd" came from TOM's form; the server only knows "deltajd".
        var orderBy = Text(parameters, "order_by");
        Add("order_by", orderBy == "deltamjd" ? "deltajd" : orderBy);
        Add("order_mode", Text(parameters, "order_mode")?.ToUpperInvariant());
        return pairs;
    }

    /// <summary>A coordinate of 0 sent as this many degrees, so that the server does not drop the cone.</summary>
    public const double NudgedZero = 1e-9;

    /// <summary>The saved cone (degrees, arcseconds), when all three values are set; 0 is a value (TOM tested truthiness).</summary>
    public static (double Ra, double Dec, double RadiusArcsec)? Cone(JsonObject parameters) =>
        parameters.GetDouble("ra") is { } ra && parameters.GetDouble("dec") is { } dec && parameters.GetDouble("radius") is { } radius
            ? (ra, dec, radius)
            : null;

    public static string PageUrl(IEnumerable<KeyValuePair<string, string>> filters, int page)
    {
        var paging = new KeyValuePair<string, string>[]
        {
            new("page", page.ToString(CultureInfo.InvariantCulture)),
            new("page_size", PageSize.ToString(CultureInfo.InvariantCulture)),
            // Without count the server always says has_next=false.
            new("count", "true"),
        };
        return "objects/?" + string.Join("&", filters.Concat(paging).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
    }

    /// <summary>Blank means 1, as TOM's clean_max_pages; a stored value beyond the form's choices is capped.</summary>
    public static int MaxPages(JsonObject parameters) =>
        parameters.GetLong("max_pages") is { } pages and > 0 ? (int)Math.Min(pages, MaxPagesLimit) : 1;

    /// <summary>A stored text value; TOM stored an unset choice as None.</summary>
    public static string? Text(JsonObject parameters, string key) =>
        parameters.GetString(key) is { } text and not "None" ? text : null;

    private static string? Number(JsonObject parameters, string key) =>
        parameters.GetDouble(key) is { } value ? Format(value) : null;

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string? Whole(JsonObject parameters, string key) =>
        parameters.GetLong(key)?.ToString(CultureInfo.InvariantCulture);
}
