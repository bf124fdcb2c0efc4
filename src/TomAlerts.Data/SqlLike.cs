namespace TomAlerts.Data;

/// <summary>LIKE patterns with the user's text taken literally (its %, _ and \ escaped, with \ as the escape character).</summary>
public static class SqlLike
{
    public const string Escape = "\\";

    /// <summary>"%text%", for a LIKE that finds <paramref name="text"/> anywhere.</summary>
    public static string Containing(string text) =>
        $"%{text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
}
