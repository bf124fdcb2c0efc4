using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Data;
using TomAlerts.Groups;

namespace TomAlerts.Web.Features.Groups;

/// <summary>A group as pages and the API show it.</summary>
public sealed record GroupRef(int Id, string Name, bool Personal);

/// <summary>
/// Groups and their members: every user's personal group (created at registration, or on first need for accounts made
/// before groups existed), the shared groups admins manage, and each user's default groups for new targets.
/// </summary>
public sealed class GroupDirectory(AppDbContext db, UserManager<IdentityUser> users, IOptions<GroupOptions> options, TimeProvider clock)
{
    public const int MaxNameLength = 100;

    /// <summary>
    /// Sets up a new account: its personal group, and the configured <see cref="GroupOptions.DefaultGroups"/>
    /// (created when missing) as its defaults beside it. Without configured defaults the personal group is the default.
    /// </summary>
    public async Task SetUpNewUserAsync(string userId, CancellationToken cancellationToken)
    {
        var personal = await EnsurePersonalGroupAsync(userId, cancellationToken);
        var shared = options.Value.DefaultGroups.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (shared.Count == 0)
        {
            await SetDefaultsAsync(userId, [personal.Id], cancellationToken);
            return;
        }
        var ids = new List<int> { personal.Id };
        foreach (var name in shared)
        {
            var group = await db.Groups.FirstOrDefaultAsync(g => !g.Personal && g.Name == name, cancellationToken)
                        ?? await CreateSharedAsync(name, cancellationToken);
            await AddMemberAsync(group.Id, userId, cancellationToken);
            ids.Add(group.Id);
        }
        await SetDefaultsAsync(userId, ids, cancellationToken);
    }

    /// <summary>The user's personal group, created (as their default when they have none) if the account predates groups.</summary>
    public async Task<Group> EnsurePersonalGroupAsync(string userId, CancellationToken cancellationToken)
    {
        if (await db.Groups.FirstOrDefaultAsync(g => g.OwnerId == userId, cancellationToken) is { } existing)
        {
            return existing;
        }
        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException($"There is no user {userId}.");
        var hasDefault = await db.GroupMembers.AnyAsync(m => m.UserId == userId && m.IsDefault, cancellationToken);
        var group = new Group
        {
            Name = Truncate(user.Email ?? user.UserName ?? userId), Personal = true, OwnerId = userId, Created = clock.GetUtcNow().UtcDateTime,
            Members = [new GroupMember { UserId = userId, IsDefault = !hasDefault }],
        };
        db.Groups.Add(group);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two first requests of the same old account at once: the other one created it.
            db.Entry(group).State = EntityState.Detached;
            return await db.Groups.FirstAsync(g => g.OwnerId == userId, cancellationToken);
        }
        return group;
    }

    /// <summary>The groups <paramref name="userId"/> belongs to (their personal group first), each with whether it is a default.</summary>
    public async Task<IReadOnlyList<(GroupRef Group, bool IsDefault)>> MembershipsAsync(string userId, CancellationToken cancellationToken)
    {
        await EnsurePersonalGroupAsync(userId, cancellationToken);
        var rows = await (from m in db.GroupMembers
                          join g in db.Groups on m.GroupId equals g.Id
                          where m.UserId == userId
                          orderby g.Personal descending, g.Name
                          select new { g.Id, g.Name, g.Personal, m.IsDefault }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (new GroupRef(r.Id, r.Name, r.Personal), r.IsDefault))];
    }

    /// <summary>Every group, shared ones first (for admins).</summary>
    public async Task<IReadOnlyList<GroupRef>> AllAsync(CancellationToken cancellationToken) =>
        await db.Groups.AsNoTracking().OrderBy(g => g.Personal).ThenBy(g => g.Name)
            .Select(g => new GroupRef(g.Id, g.Name, g.Personal)).ToListAsync(cancellationToken);

    /// <summary>
    /// The groups a new target of <paramref name="userId"/> goes to when none are chosen: their default groups, or their
    /// personal group when they have no default.
    /// </summary>
    public async Task<IReadOnlyList<int>> DefaultGroupIdsAsync(string userId, CancellationToken cancellationToken)
    {
        var personal = await EnsurePersonalGroupAsync(userId, cancellationToken);
        var defaults = await db.GroupMembers.Where(m => m.UserId == userId && m.IsDefault).Select(m => m.GroupId).ToListAsync(cancellationToken);
        return defaults.Count > 0 ? defaults : [personal.Id];
    }

    /// <summary>Makes exactly <paramref name="groupIds"/> (among the user's groups) the user's defaults; false when one is not theirs or none is given.</summary>
    public async Task<bool> SetDefaultsAsync(string userId, IReadOnlyCollection<int> groupIds, CancellationToken cancellationToken)
    {
        var memberships = await db.GroupMembers.Where(m => m.UserId == userId).ToListAsync(cancellationToken);
        if (groupIds.Count == 0 || groupIds.Any(id => memberships.All(m => m.GroupId != id)))
        {
            return false;
        }
        foreach (var membership in memberships)
        {
            membership.IsDefault = groupIds.Contains(membership.GroupId);
        }
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>A new shared group; the caller checks the name (<see cref="CheckNewNameAsync"/>).</summary>
    public async Task<Group> CreateSharedAsync(string name, CancellationToken cancellationToken)
    {
        var group = new Group { Name = Truncate(name.Trim()), Created = clock.GetUtcNow().UtcDateTime };
        db.Groups.Add(group);
        await db.SaveChangesAsync(cancellationToken);
        return group;
    }

    /// <summary>Why <paramref name="name"/> cannot name a new shared group, or null when it can.</summary>
    public async Task<string?> CheckNewNameAsync(string? name, CancellationToken cancellationToken)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return "Give the group a name.";
        }
        if (trimmed.Length > MaxNameLength)
        {
            return $"A group name has at most {MaxNameLength} characters.";
        }
        return await db.Groups.AnyAsync(g => g.Name == trimmed, cancellationToken) ? $"There is a group called {trimmed} already." : null;
    }

    public Task<Group?> FindAsync(int id, CancellationToken cancellationToken) =>
        db.Groups.Include(g => g.Members).FirstOrDefaultAsync(g => g.Id == id, cancellationToken);

    /// <summary>Adds the user to the group (nothing when already a member).</summary>
    public async Task AddMemberAsync(int groupId, string userId, CancellationToken cancellationToken)
    {
        if (!await db.GroupMembers.AnyAsync(m => m.GroupId == groupId && m.UserId == userId, cancellationToken))
        {
            db.GroupMembers.Add(new GroupMember { GroupId = groupId, UserId = userId });
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>Removes the user from the group; false when they were not a member.</summary>
    public async Task<bool> RemoveMemberAsync(int groupId, string userId, CancellationToken cancellationToken) =>
        await db.GroupMembers.Where(m => m.GroupId == groupId && m.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0;

    /// <summary>The members of a group with their email addresses, by address.</summary>
    public async Task<IReadOnlyList<(string UserId, string Email)>> MembersAsync(int groupId, CancellationToken cancellationToken)
    {
        var rows = await (from m in db.GroupMembers
                          join u in db.Users on m.UserId equals u.Id
                          where m.GroupId == groupId
                          orderby u.Email
                          select new { u.Id, u.Email, u.UserName }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Id, r.Email ?? r.UserName ?? r.Id))];
    }

    /// <summary>The user named by id or email address, or null.</summary>
    public async Task<IdentityUser?> FindUserAsync(string? idOrEmail)
    {
        if (string.IsNullOrWhiteSpace(idOrEmail))
        {
            return null;
        }
        return await users.FindByIdAsync(idOrEmail.Trim()) ?? await users.FindByEmailAsync(idOrEmail.Trim());
    }

    /// <summary>Whether the user is an admin (for work done without a signed-in user, such as a scheduled run).</summary>
    public async Task<bool> IsAdminAsync(string userId, CancellationToken cancellationToken) =>
        await (from ur in db.UserRoles
               join r in db.Roles on ur.RoleId equals r.Id
               where ur.UserId == userId && r.Name == Hosting.IdentityExtensions.AdminRole
               select ur).AnyAsync(cancellationToken);

    private static string Truncate(string text) => text.Length <= MaxNameLength ? text : text[..MaxNameLength];
}
