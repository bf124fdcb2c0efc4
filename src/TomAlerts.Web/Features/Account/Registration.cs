using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Data;
using TomAlerts.Groups;

namespace TomAlerts.Web.Features.Account;

/// <summary>How people get an account (Account:Registration).</summary>
public enum RegistrationMode
{
    /// <summary>Anyone may register (the default).</summary>
    Open,
    /// <summary>Registering needs a single-use invite code an admin created.</summary>
    Invite,
    /// <summary>Anyone may register, but cannot log in until an admin approves the account.</summary>
    Approval,
}

/// <summary>Section "Account".</summary>
public sealed class AccountOptions
{
    public RegistrationMode Registration { get; set; } = RegistrationMode.Open;

    /// <summary>Slow down a client after a few failed log-ins (<see cref="LoginThrottle"/>).</summary>
    public bool LoginDelays { get; set; } = true;
}

/// <summary>
/// Invite codes and approvals. An account waiting for approval is in the "pending" role; Identity refuses it a log-in
/// (<see cref="PendingApprovalConfirmation"/>) until an admin approves it.
/// </summary>
public sealed class Registration(AppDbContext db, UserManager<IdentityUser> users, IOptions<AccountOptions> options, TimeProvider clock)
{
    public const string PendingRole = "pending";

    public RegistrationMode Mode => options.Value.Registration;

    /// <summary>Claims an unused code for <paramref name="userId"/>; false when it does not exist or was used (then nothing changes).</summary>
    public async Task<bool> ClaimCodeAsync(string? code, string userId, CancellationToken cancellationToken)
    {
        var trimmed = code?.Trim() ?? "";
        var now = clock.GetUtcNow().UtcDateTime;
        return trimmed.Length > 0 && await db.InviteCodes.Where(i => i.Code == trimmed && i.UsedBy == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedBy, userId).SetProperty(i => i.Used, now), cancellationToken) == 1;
    }

    /// <summary>Whether <paramref name="code"/> can still be used to register.</summary>
    public Task<bool> IsUsableAsync(string? code, CancellationToken cancellationToken)
    {
        var trimmed = code?.Trim() ?? "";
        return db.InviteCodes.AnyAsync(i => i.Code == trimmed && i.UsedBy == null, cancellationToken);
    }

    public async Task<InviteCode> CreateCodeAsync(string? adminId, CancellationToken cancellationToken)
    {
        var invite = new InviteCode
        {
            Code = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(), CreatedBy = adminId, Created = clock.GetUtcNow().UtcDateTime,
        };
        db.InviteCodes.Add(invite);
        await db.SaveChangesAsync(cancellationToken);
        return invite;
    }

    /// <summary>The codes, newest first, with the email address of whoever used each.</summary>
    public async Task<IReadOnlyList<(InviteCode Code, string? UsedByEmail)>> CodesAsync(CancellationToken cancellationToken)
    {
        var rows = await (from i in db.InviteCodes.AsNoTracking()
                          join u in db.Users on i.UsedBy equals u.Id into used
                          from u in used.DefaultIfEmpty()
                          orderby i.Created descending, i.Id descending
                          select new { Code = i, Email = u == null ? null : u.Email }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Code, r.Email))];
    }

    public async Task<IReadOnlyList<IdentityUser>> PendingAsync() =>
        [.. (await users.GetUsersInRoleAsync(PendingRole)).OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)];

    /// <summary>Lets the account log in; false when it was not waiting.</summary>
    public async Task<bool> ApproveAsync(string userId)
    {
        var user = await users.FindByIdAsync(userId);
        return user is not null && await users.IsInRoleAsync(user, PendingRole) && (await users.RemoveFromRoleAsync(user, PendingRole)).Succeeded;
    }
}

/// <summary>Identity's "may this account log in": not while it waits for an admin's approval.</summary>
public sealed class PendingApprovalConfirmation : IUserConfirmation<IdentityUser>
{
    public async Task<bool> IsConfirmedAsync(UserManager<IdentityUser> manager, IdentityUser user) =>
        !await manager.IsInRoleAsync(user, Registration.PendingRole);
}
