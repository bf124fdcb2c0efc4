namespace TomAlerts.Targets;

public static class TargetNames
{
    /// <summary>TOM's fuzzy name key: lower case, without spaces, dashes, underscores and parentheses.</summary>
    public static string Normalize(string name)
    {
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 256)];
        var length = 0;
        foreach (var c in name)
        {
            if (c is ' ' or '-' or '_' or '(' or ')' || char.IsWhiteSpace(c) || length == buffer.Length)
            {
                continue;
            }
            buffer[length++] = char.ToLowerInvariant(c);
        }
        return new string(buffer[..length]);
    }

    /// <summary>
    /// The normalised names identity matching looks up for <paramref name="name"/>: its own, for a TNS designation every
    /// form of it (<see cref="TransientDesignation.Forms"/>), so "AT2023vjq" finds the target named "SN 2023vjq" or
    /// carrying the alias "2023vjq", and for an LSST object both its diaObjectId and its designation
    /// (<see cref="SurveyIds.LsstForms"/>), so a TNS internal name "LSST-P-DO-…" finds the target a broker named by the id.
    /// </summary>
    public static IReadOnlyList<string> MatchKeys(string name) =>
        [.. TransientDesignation.Forms(name).Concat(SurveyIds.LsstForms(name)).Select(Normalize).Prepend(Normalize(name))
            .Where(n => n.Length > 0).Distinct(StringComparer.Ordinal)];
}
