namespace TomAlerts.Tests;

/// <summary>
/// The recorded broker responses in TomAlerts.Brokers.Tests/Fixtures, copied beside each test assembly that uses them.
/// This one file is compiled into every such test project.
/// </summary>
public static class Fixtures
{
    /// <summary>The text of Fixtures/<paramref name="relativePath"/>, e.g. <c>alerce/objects_page1.json</c>.</summary>
    public static string Read(string relativePath) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath));
}
