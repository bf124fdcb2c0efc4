using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Browser;

/// <summary>The whole app behind a real Kestrel server on a random 127.0.0.1 port, for a real browser to drive.</summary>
public sealed class BrowserFactory() : TomAlertsFactory(TestDatabase.Sqlite, kestrel: true);
