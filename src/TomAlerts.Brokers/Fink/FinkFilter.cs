using System.Globalization;
using System.Text.Json.Nodes;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Fink;

/// <summary>
/// Fink's query form applied to one streamed alert: the survey, object ids, the cone and a class (the alert's
/// classification: Fink's, else its cross-match) can be. A date window, a class by date, a tag and a number of alerts
/// describe a search of Fink's archive, not one alert.
/// </summary>
internal static class FinkFilter
{
    public const string WindowMessage =
        "A date window cannot be applied to a stream message: a stream gives each alert as Fink sends it; leave it empty.";

    public const string ClassByDateMessage =
        "Fink's class search by date cannot be applied to a stream message: it asks for the past days' alerts; use the class search by number (its number is ignored) or leave it empty.";

    public const string TagMessage =
        "Fink's tag cannot be applied to a stream message: a Fink LSST topic (fink_<tag>_lsst) is already the output of a tag; leave it empty.";

    public const string CountMessage = "A number of alerts cannot be applied to a stream message: a stream has no end; leave it empty.";

    public static IReadOnlyDictionary<string, string> Check(JsonObject parameters)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        void Refuse(string field, string message)
        {
            if (parameters.GetString(field) is not null)
            {
                problems[field] = message;
            }
        }
        Refuse(FinkForm.StartDate, WindowMessage);
        Refuse(FinkForm.Window, WindowMessage);
        Refuse(FinkForm.ClassSearchDate, ClassByDateMessage);
        Refuse(FinkForm.Tag, TagMessage);
        Refuse(FinkForm.TagCount, CountMessage);
        return problems;
    }

    public static bool Matches(JsonObject parameters, JsonObject alert)
    {
        var lsst = FinkRows.IsLsst(alert);
        if (parameters.GetString(FinkForm.Survey) is { } survey && survey.Trim().ToLowerInvariant() is "ztf" or FinkForm.Lsst
            && FinkForm.IsLsst(parameters) != lsst)
        {
            return false;
        }
        if (parameters.GetString(FinkForm.ObjectId) is { } ids
            && !ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(FinkRows.Id(alert), StringComparer.Ordinal))
        {
            return false;
        }
        if (parameters.GetString(FinkForm.Cone) is { } cone && !InCone(cone, alert))
        {
            return false;
        }
        if (parameters.GetString(FinkForm.ClassSearch) is { } classSearch)
        {
            // "Early SN Ia candidate, 10": the number of alerts means nothing for one alert.
            var comma = classSearch.LastIndexOf(',');
            var name = (comma > 0 && int.TryParse(classSearch[(comma + 1)..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                ? classSearch[..comma]
                : classSearch).Trim();
            if (!string.Equals(FinkRows.Classification(alert), name, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        return true;
    }

    private static bool InCone(string cone, JsonObject alert)
    {
        var parts = cone.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || !Angles.TryParseRa(parts[0], out var ra) || !Angles.TryParseDec(parts[1], out var dec)
            || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var radius))
        {
            // The form refuses such a cone; one saved anyway lets nothing through rather than everything.
            return false;
        }
        var (alertRa, alertDec) = FinkRows.Position(alert);
        return alertRa is not null && alertDec is not null && Angles.Separation(ra, dec, alertRa.Value, alertDec.Value) * 3600 <= radius;
    }
}
