namespace TomAlerts.Queries;

public enum QueryVisibility
{
    Shared,
    Private,
}

/// <summary>A saved broker query. <see cref="Parameters"/> is the whole cleaned form as JSON, TOM-compatible.</summary>
public class BrokerQuery
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Broker { get; set; }
    public required string Parameters { get; set; }
    public DateTime Created { get; set; }
    public DateTime Modified { get; set; }
    public DateTime? LastRun { get; set; }
    public string? OwnerId { get; set; }
    public QueryVisibility Visibility { get; set; } = QueryVisibility.Shared;

    public List<QueryRun> Runs { get; set; } = [];

    public bool IsVisibleTo(string? userId, bool isAdmin) =>
        isAdmin || Visibility == QueryVisibility.Shared || (userId is not null && OwnerId == userId);
}
