using System.Text.Json.Nodes;

namespace TomAlerts.Brokers;

/// <summary>
/// A broker whose listing rows lack part of what a scanner needs (every model's class probabilities, the last magnitude
/// and its band): it fetches them for one object when someone opens it.
/// </summary>
public interface IDescribesAlerts
{
    /// <summary>Whether <paramref name="alert"/> as listed lacks details that <see cref="DescribeAsync"/> can add.</summary>
    bool LacksDetails(GenericAlert alert);

    /// <summary><paramref name="alert"/> with the details filled from the broker's further calls for the object.</summary>
    Task<GenericAlert> DescribeAsync(GenericAlert alert, JsonObject raw, CancellationToken cancellationToken);
}
