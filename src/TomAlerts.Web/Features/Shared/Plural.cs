using System.Globalization;

namespace TomAlerts.Web.Features.Shared;

/// <summary>Counts in words: "1 alert", "2 alerts", "0 targets".</summary>
public static class Plural
{
    public static string Count(long count, string singular, string? plural = null) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {Word(count, singular, plural)}";

    public static string Word(long count, string singular, string? plural = null) =>
        count == 1 ? singular : plural ?? singular + "s";
}
