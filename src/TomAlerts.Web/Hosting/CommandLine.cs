using Microsoft.AspNetCore.Identity;

namespace TomAlerts.Web.Hosting;

/// <summary>
/// TomAlerts' commands, run on the same executable: <c>dotnet run --project src/TomAlerts.Web -- &lt;command&gt;</c>.
/// Bad arguments give a one-line error and exit code 2; a failed command exits 1.
/// </summary>
public static class CommandLine
{
    private const string Usage =
        "usage: migrate | users create --email E --password P [--admin] | users token --email E [--name N] | runbrokerquery <query name> | updatereduceddata [--target-id N]";

    private static readonly string[] Commands = ["migrate", "users", "runbrokerquery", "updatereduceddata", "help", "--help"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    /// <summary>Only "--Key=Value" settings reach the configuration; command words and options do not.</summary>
    public static string[] ConfigurationArgs(string[] args) =>
        IsCommand(args) ? [.. args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal))] : args;

    public static async Task<int> RunAsync(IHost app, string[] args)
    {
        try
        {
            if (args[0] is not ("help" or "--help"))
            {
                await app.PrepareDatabaseAsync();
            }
            return args switch
            {
                ["migrate"] => Print("Database is up to date.", 0),
                ["users", "create", .. var options] => await CreateUserAsync(app, Options(options, "--email", "--password", "--admin")),
                ["users", "token", .. var options] => await CreateTokenAsync(app, Options(options, "--email", "--name")),
                ["runbrokerquery", var name] => await app.Services.GetRequiredService<Features.Runs.RunBrokerQueryCommand>().RunAsync(name, Console.Out),
                ["updatereduceddata", .. var options] => await UpdateReducedDataAsync(app, Options(options, "--target-id")),
                ["help"] or ["--help"] => Print(Usage, 0),
                _ => Print(Usage, 2),
            };
        }
        catch (ArgumentException e)
        {
            return Print(e.Message, 2);
        }
    }

    private static async Task<int> CreateUserAsync(IHost app, Dictionary<string, string?> options)
    {
        var email = options.GetValueOrDefault("--email") ?? throw new ArgumentException("users create: --email is required.");
        var password = options.GetValueOrDefault("--password") ?? throw new ArgumentException("users create: --password is required.");
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return Print($"users create: {string.Join(" ", created.Errors.Select(e => e.Description))}", 1);
        }
        var isAdmin = options.ContainsKey("--admin");
        await users.AddToRoleAsync(user, IdentityExtensions.UserRole);
        await scope.ServiceProvider.GetRequiredService<Features.Groups.GroupDirectory>().SetUpNewUserAsync(user.Id, CancellationToken.None);
        if (isAdmin)
        {
            await users.AddToRoleAsync(user, IdentityExtensions.AdminRole);
        }
        Console.WriteLine($"Created {(isAdmin ? "admin" : "user")} {email}.");
        return 0;
    }

    private static async Task<int> CreateTokenAsync(IHost app, Dictionary<string, string?> options)
    {
        var email = options.GetValueOrDefault("--email") ?? throw new ArgumentException("users token: --email is required.");
        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>().FindByEmailAsync(email);
        if (user is null)
        {
            return Print($"users token: there is no user {email}.", 1);
        }
        var name = options.GetValueOrDefault("--name") ?? $"command line {app.Services.GetRequiredService<TimeProvider>().GetUtcNow():yyyy-MM-dd}";
        var created = await scope.ServiceProvider.GetRequiredService<Features.Account.ApiTokenService>().CreateAsync(user.Id, name, CancellationToken.None);
        Console.WriteLine($"Created API token \"{created.Token.Name}\" for {email}. It is shown only now; send it as 'Authorization: Bearer <token>':");
        Console.WriteLine(created.Secret);
        return 0;
    }

    private static async Task<int> UpdateReducedDataAsync(IHost app, Dictionary<string, string?> options)
    {
        int? targetId = null;
        if (options.GetValueOrDefault("--target-id") is { } text)
        {
            targetId = int.TryParse(text, out var id) ? id : throw new ArgumentException($"updatereduceddata: --target-id must be a whole number, not '{text}'.");
        }
        await using var scope = app.Services.CreateAsyncScope();
        var updater = scope.ServiceProvider.GetRequiredService<Features.LightCurves.ReducedDataUpdater>();
        var report = await updater.UpdateAsync(targetId, CancellationToken.None);
        Console.WriteLine(report.Summary);
        return report.Failed ? 1 : 0;
    }

    /// <summary>Reads "--name value" pairs and bare flags; anything else is a bad argument.</summary>
    private static Dictionary<string, string?> Options(string[] args, params string[] allowed)
    {
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!allowed.Contains(name))
            {
                throw new ArgumentException($"unknown argument '{name}'. {Usage}");
            }
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            options[name] = hasValue ? args[++i] : null;
        }
        return options;
    }

    private static int Print(string message, int exitCode)
    {
        (exitCode == 0 ? Console.Out : Console.Error).WriteLine(message);
        return exitCode;
    }
}
