using System.Text.RegularExpressions;

namespace TomAlerts.Targets;

/// <summary>
/// Which survey a name belongs to, from its shape alone (SkyPortal's rule): <c>ZTF</c> + 2 digits + 7 lower-case letters is
/// ZTF; all digits (a diaObjectId) or <c>LSST-P-DO-</c> + digits is LSST; <c>ANT</c> + year + base-36 tail is an ANTARES
/// locus; <c>Gaia</c> + 2 digits + letters is a Gaia alert; a year + letters (with or without AT/SN) is a TNS name.
/// Anything else is unknown (null), never a guess.
/// </summary>
public static partial class SurveyIds
{
    public const string Ztf = "ZTF";
    public const string Lsst = "LSST";
    public const string Antares = "ANTARES";
    public const string Gaia = "Gaia";
    public const string Tns = "TNS";

    public static string? SurveyOf(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }
        return trimmed switch
        {
            _ when ZtfName().IsMatch(trimmed) => Ztf,
            _ when LsstName().IsMatch(trimmed) => Lsst,
            _ when AntaresName().IsMatch(trimmed) => Antares,
            _ when GaiaName().IsMatch(trimmed) => Gaia,
            _ when TnsName().IsMatch(trimmed) => Tns,
            _ => null,
        };
    }

    /// <summary>The IAU designation prefix of an LSST diaObject ("LSST-P-DO-169298433216610349"), as TNS internal names carry it.</summary>
    public const string LsstObjectPrefix = "LSST-P-DO-";

    /// <summary>
    /// Both ways an LSST object is named — the bare diaObjectId and its IAU designation — for a name that is either;
    /// empty for any other name. The id stays text: it is above 2^53.
    /// </summary>
    public static IReadOnlyList<string> LsstForms(string name)
    {
        var trimmed = name.Trim();
        if (!LsstName().IsMatch(trimmed))
        {
            return [];
        }
        var id = trimmed.StartsWith(LsstObjectPrefix, StringComparison.Ordinal) ? trimmed[LsstObjectPrefix.Length..] : trimmed;
        return [id, LsstObjectPrefix + id];
    }

    [GeneratedRegex(@"^ZTF\d{2}[a-z]{7}$", RegexOptions.CultureInvariant)]
    private static partial Regex ZtfName();

    [GeneratedRegex(@"^(?:LSST-P-DO-)?\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex LsstName();

    [GeneratedRegex(@"^ANT\d{4}[a-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex AntaresName();

    [GeneratedRegex(@"^Gaia\d{2}[a-z]{1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex GaiaName();

    [GeneratedRegex(@"^(?:(?:AT|SN) ?)?\d{4}[a-z]{1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex TnsName();
}
