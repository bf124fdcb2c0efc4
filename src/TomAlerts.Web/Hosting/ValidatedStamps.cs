using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace TomAlerts.Web.Hosting;

/// <summary>
/// The security stamps this instance checked against the user's row a moment ago. A cookie whose stamp is here is
/// accepted without reading the database again; any change of the user through <see cref="TomAlertsUserManager"/>
/// (a logout's new stamp, a password or role change, a deletion) forgets the user at once, and another instance
/// sharing the database reads the stamp row again after <see cref="Lifetime"/> at the latest.
/// </summary>
public sealed class ValidatedStamps(TimeProvider clock)
{
    /// <summary>How long a checked stamp is trusted: what another instance may lag behind a logout here.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (string Stamp, DateTimeOffset Until)> _stamps = new(StringComparer.Ordinal);

    private long _changes;

    public bool IsValid(string userId, string stamp) =>
        _stamps.TryGetValue(userId, out var entry) && string.Equals(entry.Stamp, stamp, StringComparison.Ordinal) && entry.Until > clock.GetUtcNow();

    /// <summary>A mark to pass to <see cref="Remember"/>: a stamp read before a change of any user is not remembered.</summary>
    public long Version => Interlocked.Read(ref _changes);

    /// <summary>Remembers a stamp just confirmed by the database, unless a user changed since <paramref name="version"/> was taken.</summary>
    public void Remember(string userId, string stamp, long version)
    {
        if (version != Version)
        {
            return;
        }
        _stamps[userId] = (stamp, clock.GetUtcNow() + Lifetime);
        if (version != Version)
        {
            _stamps.TryRemove(userId, out _);
        }
        if (_stamps.Count > 10_000)
        {
            var now = clock.GetUtcNow();
            foreach (var (id, entry) in _stamps)
            {
                if (entry.Until <= now)
                {
                    _stamps.TryRemove(id, out _);
                }
            }
        }
    }

    public void Forget(string userId)
    {
        Interlocked.Increment(ref _changes);
        _stamps.TryRemove(userId, out _);
    }
}

/// <summary>
/// Identity's per-request stamp check (<see cref="SecurityStampValidatorOptions.ValidationInterval"/> zero), answered
/// from <see cref="ValidatedStamps"/> while the cookie's stamp was confirmed within its lifetime: no user, role and
/// claim reads and no re-issued cookie on every request.
/// </summary>
public sealed class CachedSecurityStampValidator(IOptions<SecurityStampValidatorOptions> options, SignInManager<IdentityUser> signInManager,
    ILoggerFactory logger, ValidatedStamps stamps) : SecurityStampValidator<IdentityUser>(options, signInManager, logger)
{
    public override async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var stampType = SignInManager.Options.ClaimsIdentity.SecurityStampClaimType;
        var userId = context.Principal?.FindFirstValue(SignInManager.Options.ClaimsIdentity.UserIdClaimType);
        var stamp = context.Principal?.FindFirstValue(stampType);
        if (userId is not null && stamp is not null && stamps.IsValid(userId, stamp))
        {
            return;
        }
        var version = stamps.Version;
        await base.ValidateAsync(context);
        if (userId is not null && context.Principal?.FindFirstValue(stampType) is { } confirmed)
        {
            stamps.Remember(userId, confirmed, version);
        }
    }
}

/// <summary>The user manager, forgetting a user's checked stamp whenever the user's row changes or goes.</summary>
public sealed class TomAlertsUserManager(IUserStore<IdentityUser> store, IOptions<IdentityOptions> optionsAccessor, IPasswordHasher<IdentityUser> passwordHasher,
    IEnumerable<IUserValidator<IdentityUser>> userValidators, IEnumerable<IPasswordValidator<IdentityUser>> passwordValidators, ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors, IServiceProvider services, ILogger<UserManager<IdentityUser>> logger, ValidatedStamps stamps)
    : UserManager<IdentityUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    protected override async Task<IdentityResult> UpdateUserAsync(IdentityUser user)
    {
        stamps.Forget(user.Id);
        var result = await base.UpdateUserAsync(user);
        stamps.Forget(user.Id); // a check that read the row before the change must not keep the old stamp
        return result;
    }

    public override async Task<IdentityResult> DeleteAsync(IdentityUser user)
    {
        stamps.Forget(user.Id);
        var result = await base.DeleteAsync(user);
        stamps.Forget(user.Id);
        return result;
    }
}
