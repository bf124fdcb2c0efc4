using System.Runtime.CompilerServices;

namespace TomAlerts.Web.Tests.Support;

/// <summary>Settings for every app this test process starts, applied before the first one is built.</summary>
internal static class TestProcessSettings
{
    /// <summary>
    /// The suite starts dozens of apps; each one watching its settings files for changes costs inotify instances, of
    /// which Linux allows 128 per user, and running out fails whichever app starts next. Tests never edit settings files.
    /// </summary>
#pragma warning disable CA2255 // The test assembly is the entry point here, and this must run before any test builds a host.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
    }
}
