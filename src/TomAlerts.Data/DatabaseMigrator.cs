using Microsoft.EntityFrameworkCore;

namespace TomAlerts.Data;

public static class DatabaseMigrator
{
    /// <summary>Applies pending migrations; SQLite runs in WAL mode so readers never block the run writer.</summary>
    public static async Task MigrateAsync(AppDbContext db, CancellationToken cancellationToken = default)
    {
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
