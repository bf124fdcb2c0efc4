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
}
