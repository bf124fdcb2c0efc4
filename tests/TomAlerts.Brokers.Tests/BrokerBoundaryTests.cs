using System.Reflection;
using System.Runtime.CompilerServices;

namespace TomAlerts.Brokers.Tests;

/// <summary>The web layer asks brokers through IBroker and its capabilities; what one broker needs stays in its folder.</summary>
public class BrokerBoundaryTests
{
    private static readonly Type[] BrokerTypes = typeof(BrokerBase).Assembly.GetTypes()
        .Where(t => typeof(IBroker).IsAssignableFrom(t) && t != typeof(BrokerBase))
        .ToArray();

    [Fact]
    public void WebLayer_NamesNoBrokerClassNorBrokerName()
    {
        var web = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", "..", "src", "TomAlerts.Web"));
        var banned = BrokerTypes.Select(t => t.Name)
            .Concat(BrokerTypes.Select(t => t.GetCustomAttribute<BrokerAttribute>()?.Name).OfType<string>().Select(n => $"\"{n}\""))
            .ToList();

        var files = new[] { "*.cs", "*.cshtml" }
            .SelectMany(pattern => Directory.EnumerateFiles(web, pattern, SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var hits = files.SelectMany(f => banned.Where(b => File.ReadAllText(f).Contains(b, StringComparison.Ordinal)).Select(b => $"{Path.GetFileName(f)}: {b}")).ToList();

        Assert.Contains("StubBroker", banned);
        Assert.Contains("\"ALeRCE\"", banned);
        Assert.NotEmpty(files);
        Assert.Empty(hits);
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
