using System.Text.RegularExpressions;

namespace TomAlerts.Targets;

/// <summary>
/// IAU transient designations as the Transient Name Server gives them: a prefix, an optional space, then the object
/// name TNS keeps apart from the prefix ("SN 2023vjq" = prefix SN, objname 2023vjq). The prefix follows the
/// classification (AT until classified, then SN, TDE …) while the objname stays, so every form names one object.
/// FRBs have their own objnames: the burst date and a letter ("FRB 20190520B").
/// </summary>
public static partial class TransientDesignation
{
    /// <summary>The prefixes TNS gives objects whose objname is a year and letters.</summary>
    public static readonly IReadOnlyList<string> YearPrefixes = ["AT", "SN", "TDE"];

    /// <summary>The prefix of fast radio bursts, whose objname is a date and letters.</summary>
    public const string FrbPrefix = "FRB";

    public static IReadOnlyList<string> Prefixes { get; } = [.. YearPrefixes, FrbPrefix];

    /// <summary>
    /// "SN2023vjq", "sn 2023vjq", "AT2023vjq" and "2023vjq" → (SN/SN/AT/null, "2023vjq"); "FRB 20190520B" → (FRB,
    /// "20190520B"); anything else (e.g. "ZTF23abtfusv", "Gaia23dnw") → null. Case-insensitive, as TNS is.
    /// </summary>
    public static (string? Prefix, string ObjName)? Parse(string? name)
    {
        if (name is null)
        {
            return null;
        }
        var match = Designation().Match(name);
        if (!match.Success)
        {
            return null;
        }
        var prefix = match.Groups["prefix"].Success ? match.Groups["prefix"].Value.ToUpperInvariant() : null;
        return (prefix, match.Groups["year"].Success ? match.Groups["year"].Value : match.Groups["date"].Value);
    }

    /// <summary>
    /// The name without a leading TNS prefix, for TNS searches and object calls, which take the bare objname; a
    /// partial name ("SN 2023") loses its prefix too, and a name that is no designation comes back trimmed.
    /// </summary>
    public static string WithoutPrefix(string name) => LeadingPrefix().Replace(name.Trim(), "");

    /// <summary>Whether two names are one TNS object: the same objname, whatever prefix, space or case.</summary>
    public static bool SameObject(string? a, string? b) =>
        Parse(a) is { } x && Parse(b) is { } y && string.Equals(x.ObjName, y.ObjName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every way TNS writes the object a designation names, without spaces: the bare objname and each prefix it can carry.</summary>
    public static IReadOnlyList<string> Forms(string name)
    {
        if (Parse(name) is not { } designation)
        {
            return [];
        }
        IReadOnlyList<string> prefixes = Designation().Match(name).Groups["date"].Success ? [FrbPrefix] : YearPrefixes;
        return [designation.ObjName, .. prefixes.Select(p => p + designation.ObjName)];
    }

    // A year and 1–4 lower-case letters (AT/SN/TDE), or an FRB's date and 1–3 letters; TNS matches either case.
    [GeneratedRegex(@"^\s*(?:(?:(?<prefix>AT|SN|TDE)\s?)?(?<year>(?:1[0-9]|20)\d{2}[a-z]{1,4})|(?:(?<prefix>FRB)\s?)?(?<date>(?:19|20)\d{6}[a-z]{1,3}))\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Designation();

    [GeneratedRegex(@"^(?:AT|SN|TDE|FRB)\s*(?=\d)", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingPrefix();
}
