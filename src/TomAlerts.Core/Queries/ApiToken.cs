namespace TomAlerts.Queries;

/// <summary>A personal API token for scripts. Only its SHA-256 hash is stored; the token is shown once.</summary>
public class ApiToken
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    /// <summary>The first characters of the token, so a user can tell tokens apart.</summary>
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    public DateTime Created { get; set; }
    public DateTime? LastUsed { get; set; }
    public DateTime? Revoked { get; set; }
}
