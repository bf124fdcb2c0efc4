using System.Diagnostics;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Data;

/// <summary>Runs the built app as a process, the way a person starts it, and reads what it prints.</summary>
public class StartupTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAppAsync(IDictionary<string, string> environment, params string[] args)
    {
        var app = Path.Combine(AppContext.BaseDirectory, "TomAlerts.Web.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        info.ArgumentList.Add(app);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Serilog__MinimumLevel__Default"] = "Fatal";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static Dictionary<string, string> TempDatabase() =>
        new() { ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"tomalerts-startup-{Guid.NewGuid():N}.db")}" };

    [Fact]
    public async Task Start_BadBrokerClass_RefusesWithOneLineNamingIt()
    {
        var environment = TempDatabase();
        environment["TOM_ALERT_CLASSES__0"] = "TomAlerts.Brokers.Gaia.GaiaBroker";
        environment["TOM_ALERT_CLASSES__1"] = "tom_alerts.brokers.mars.MarsBroker";

        var (exitCode, _, error) = await RunAppAsync(environment);

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'tom_alerts.brokers.mars.MarsBroker'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DatabaseThatCannotBeOpened_StopsWithOneClearLine()
    {
        var environment = new Dictionary<string, string> { ["ConnectionStrings__Default"] = "Data Source=/proc/tomalerts/cannot/be/here.db" };

        var (exitCode, _, error) = await RunAppAsync(environment);

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("TomAlerts cannot start:", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersCreate_MissingPassword_IsAOneLineErrorAndNonZeroExit()
    {
        var (exitCode, _, error) = await RunAppAsync(TempDatabase(), "users", "create", "--email", "a@example.org");

        Assert.Equal(2, exitCode);
        Assert.Equal("users create: --password is required.", error.Trim());
    }

    [Fact]
    public async Task UsersCreate_ThenMigrate_CreatesAnAdmin()
    {
        var environment = TempDatabase();

        var created = await RunAppAsync(environment, "users", "create", "--email", "boss@example.org", "--password", TestUser.Password, "--admin");
        var migrated = await RunAppAsync(environment, "migrate");

        Assert.Equal(0, created.ExitCode);
        Assert.Contains("Created admin boss@example.org.", created.Output, StringComparison.Ordinal);
        Assert.Equal(0, migrated.ExitCode);
    }

    [Fact]
    public async Task UnknownCommandArgument_IsRejected()
    {
        var (exitCode, _, error) = await RunAppAsync(TempDatabase(), "users", "create", "--email", "a@example.org", "--password", "x", "--colour", "blue");

        Assert.Equal(2, exitCode);
        Assert.Contains("unknown argument '--colour'", error, StringComparison.Ordinal);
    }
}
