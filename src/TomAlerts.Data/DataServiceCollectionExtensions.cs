using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace TomAlerts.Data;

public static class DataServiceCollectionExtensions
{
    public const string DefaultSqlite = "Data Source=App_Data/tomalerts.db";

    public static bool IsPostgres(IConfiguration configuration) =>
        string.Equals(configuration["Database:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The database: SQLite (default, a file under App_Data/ beside the app) or PostgreSQL when
    /// <c>Database:Provider</c> is <c>Postgres</c>. Both are resolved as <see cref="AppDbContext"/>.
    /// </summary>
    public static IServiceCollection AddTomAlertsData(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var provider = configuration["Database:Provider"] ?? "Sqlite";
        var connectionString = configuration.GetConnectionString("Default");
        if (IsPostgres(configuration))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Default is empty.");
            }
            services.AddDbContextPool<AppDbContext, PostgresDbContext>(o => o.UseNpgsql(connectionString));
        }
        else if (string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var sqlite = SqliteConnectionString(connectionString ?? DefaultSqlite, contentRoot, FileMode(configuration["Database:FileMode"]));
            services.AddDbContextPool<AppDbContext>(o => o.UseSqlite(sqlite).AddInterceptors(new SqlitePragmas()));
        }
        else
        {
            throw new InvalidOperationException($"Database:Provider '{provider}' is not supported; use Sqlite or Postgres.");
        }
        return services;
    }

    /// <summary>
    /// A relative SQLite file is placed under the content root, and its folder is created; a new file is created readable
    /// by its owner only (<c>Database:FileMode</c>, octal, 600 by default; SQLite gives its journal files the same mode).
    /// </summary>
    private static string SqliteConnectionString(string connectionString, string contentRoot, UnixFileMode mode)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && !file.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(Path.Combine(contentRoot, file));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!OperatingSystem.IsWindows() && !File.Exists(path))
            {
                try
                {
                    using var created = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode });
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another instance created it first.
                }
            }
            builder.DataSource = path;
        }
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
        return builder.ToString();
    }

    /// <summary>An octal file mode such as "600" or "640"; 600 when empty.</summary>
    private static UnixFileMode FileMode(string? octal)
    {
        if (string.IsNullOrWhiteSpace(octal))
        {
            return UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            var value = Convert.ToInt32(octal.Trim(), 8);
            if (value is < 0 or > 0x1FF)
            {
                throw new FormatException();
            }
            return (UnixFileMode)value;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new InvalidOperationException($"Database:FileMode '{octal}' is not an octal file mode such as 600 or 640.", e);
        }
    }
}
