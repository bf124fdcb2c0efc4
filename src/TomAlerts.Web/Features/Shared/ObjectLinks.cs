using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace TomAlerts.Web.Features.Shared;

/// <summary>One link out from an alert or a target to another service's page (nothing is fetched from it).</summary>
public sealed record ObjectLink(string Label, string Url, string Title);

/// <summary>
/// Where an object can be looked at outside TomAlerts: its broker's own page, and the TNS, SIMBAD and NED searches at
/// its position (a cone of <see cref="RadiusArcsec"/>).
/// </summary>
public static class ObjectLinks
{
    public const double RadiusArcsec = 5;

    public static IReadOnlyList<ObjectLink> For(string? brokerUrl, string? broker, double? ra, double? dec)
    {
        var links = new List<ObjectLink>();
        if (brokerUrl is not null && Uri.TryCreate(brokerUrl, UriKind.Absolute, out var page) && (page.Scheme == Uri.UriSchemeHttps || page.Scheme == Uri.UriSchemeHttp))
        {
            links.Add(new ObjectLink(broker ?? "broker", page.AbsoluteUri, $"The object on {broker ?? "its broker"}'s own page"));
        }
        if (ra is { } r && dec is { } d && r is >= 0 and < 360 && d is >= -90 and <= 90)
        {
            var raText = r.ToString("0.######", CultureInfo.InvariantCulture);
            var decText = d.ToString("+0.######;-0.######", CultureInfo.InvariantCulture);
            var radius = RadiusArcsec.ToString(CultureInfo.InvariantCulture);
            links.Add(new ObjectLink("TNS search", $"https://www.wis-tns.org/search?ra={raText}&decl={Uri.EscapeDataString(decText)}&radius={radius}&coords_unit=arcsec",
                "Transient Name Server objects within 5″"));
            links.Add(new ObjectLink("SIMBAD", $"https://simbad.cds.unistra.fr/simbad/sim-coo?Coord={Uri.EscapeDataString(raText + " " + decText)}&CooFrame=ICRS&Radius={radius}&Radius.unit=arcsec",
                "SIMBAD objects within 5″"));
            links.Add(new ObjectLink("NED", $"https://ned.ipac.caltech.edu/conesearch?search_type=Near%20Position%20Search&in_csys=Equatorial&in_equinox=J2000&ra={raText}&dec={Uri.EscapeDataString(decText)}&radius={(RadiusArcsec / 60).ToString("0.####", CultureInfo.InvariantCulture)}",
                "NED objects within 5″"));
        }
        return links;
    }

    /// <summary>The links as the pages show them (a results row, a target's page): each opens in a new tab; nothing when there are none.</summary>
    public static IHtmlContent Html(IReadOnlyList<ObjectLink> links)
    {
        if (links.Count == 0)
        {
            return HtmlString.Empty;
        }
        var span = new TagBuilder("span");
        span.AddCssClass("object-links small");
        foreach (var link in links)
        {
            var a = new TagBuilder("a");
            a.MergeAttribute("href", link.Url);
            a.MergeAttribute("target", "_blank");
            a.MergeAttribute("rel", "noopener noreferrer");
            a.MergeAttribute("title", link.Title);
            a.AddCssClass("object-link me-1");
            a.InnerHtml.Append(link.Label);
            span.InnerHtml.AppendHtml(a);
        }
        return span;
    }
}
