using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Groups;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// Groups in tests. The test app makes every user a member of <see cref="Team"/> (Groups:DefaultGroups), so targets a
/// test stores straight into the database are put there too (<see cref="ShareWithTeamAsync"/>) to be seen as the app's
/// own targets are; <see cref="Personal"/> turns the setting off for tests about who sees what.
/// </summary>
public static class TestGroups
{
    public const string Team = "Team";

    /// <summary>The product's default: no shared default group, a new user's targets are theirs alone.</summary>
    public static void Personal(TomAlertsFactory factory) => factory.Settings["Groups:DefaultGroups:0"] = "";

    /// <summary>Puts every target that is in no group into the team group (created when missing); returns how many.</summary>
    public static async Task<int> ShareWithTeamAsync(this AppDbContext db)
    {
        var team = await db.Groups.FirstOrDefaultAsync(g => !g.Personal && g.Name == Team);
        if (team is null)
        {
            team = new Group { Name = Team, Created = DateTime.UtcNow };
            db.Groups.Add(team);
            await db.SaveChangesAsync();
        }
        var loose = await db.Targets.Where(t => !db.TargetGroups.Any(l => l.TargetId == t.Id)).Select(t => t.Id).ToListAsync();
        db.TargetGroups.AddRange(loose.Select(id => new TargetGroup { TargetId = id, GroupId = team.Id }));
        return await db.SaveChangesAsync();
    }
}
