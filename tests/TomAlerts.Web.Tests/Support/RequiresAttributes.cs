namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// A test that needs PostgreSQL (connection string in TOMALERTS_PG). Skipped on a developer machine without it;
/// in CI (CI=true) it runs and fails loudly if the server is missing, so it is never silently skipped there.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "TOMALERTS_PG";

    public PostgresFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null && Environment.GetEnvironmentVariable("CI") is null)
        {
            Skip = $"{Variable} is not set (CI sets it; see .ci/run).";
        }
    }
}

/// <summary>A test that drives Debian's Chromium; skipped only outside CI when it is not installed.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium) && Environment.GetEnvironmentVariable("CI") is null)
        {
            Skip = $"{Chromium} is not installed (CI installs it; see .ci/run).";
        }
    }
}
