using Microsoft.AspNetCore.Identity;
using TomAlerts.Data;

namespace TomAlerts.Web.Hosting;

public static class DatabaseExtensions
{
    /// <summary>Applies migrations and makes sure the admin and user roles exist.</summary>
    public static async Task PrepareDatabaseAsync(this IHost app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>());
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in new[] { IdentityExtensions.AdminRole, IdentityExtensions.UserRole, Features.Account.Registration.PendingRole })
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }
}
