using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Account;

/// <summary>A token just created: <see cref="Secret"/> exists only here and is shown once; the database keeps its hash.</summary>
public sealed record CreatedApiToken(ApiToken Token, string Secret);

/// <summary>
/// Personal API tokens for scripts: "ta_" and 32 random bytes in base64url, stored as a SHA-256 hash with a short
/// prefix to tell tokens apart. Used by the token page, <c>users token</c> and the Bearer authentication handler.
/// </summary>
public sealed class ApiTokenService(AppDbContext db, TimeProvider clock)
{
    public const string TokenPrefix = "ta_";
    public const int NameMaxLength = 100;
    private const int ShownPrefixLength = 10;
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<CreatedApiToken> CreateAsync(string userId, string name, CancellationToken cancellationToken)
    {
        var secret = TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var token = new ApiToken
        {
            UserId = userId,
            Name = name.Trim() is { Length: > 0 } trimmed ? trimmed[..Math.Min(trimmed.Length, NameMaxLength)] : "token",
            Prefix = secret[..ShownPrefixLength],
            Hash = Hash(secret),
            Created = clock.GetUtcNow().UtcDateTime,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiToken(token, secret);
    }

    public Task<List<ApiToken>> ListAsync(string userId, CancellationToken cancellationToken) =>
        db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.Created).ThenByDescending(t => t.Id).ToListAsync(cancellationToken);

    /// <summary>Revokes one of the user's own tokens; false when the user has no such token.</summary>
    public async Task<bool> RevokeAsync(string userId, int tokenId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, cancellationToken);
        if (token is null)
        {
            return false;
        }
        token.Revoked ??= now;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The live (not revoked) token with this secret, its last use recorded (to the minute, so polling scripts do not write on every call).</summary>
    public async Task<ApiToken?> FindActiveAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(TokenPrefix, StringComparison.Ordinal) || secret.Length > 200)
        {
            return null;
        }
        var hash = Hash(secret);
        var token = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash && t.Revoked == null, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (token is not null && (token.LastUsed is null || now - token.LastUsed.Value >= LastUsedResolution))
        {
            await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsed, now), cancellationToken);
            token.LastUsed = now;
        }
        return token;
    }

    /// <summary>Lower-case hex SHA-256 of the token text.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
