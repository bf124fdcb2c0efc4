using System.Text.Json.Nodes;

namespace TomAlerts.Brokers;

/// <summary>
/// A broker whose query-form fields can also be applied to one alert at a time, as a stream subscription's local
/// filter does with each message it receives.
/// </summary>
public interface IFiltersAlerts
{
    /// <summary>
    /// For each field of <paramref name="parameters"/> (saved from the broker's form) that cannot be applied to a single
    /// alert, a message for the user keyed by the field; empty when every field that is filled in can.
    /// </summary>
    IReadOnlyDictionary<string, string> CheckFilter(JsonObject parameters);

    /// <summary>Whether <paramref name="alert"/>, a raw alert in this broker's shape, passes the filter; empty fields pass everything.</summary>
    bool Matches(JsonObject parameters, JsonObject alert);
}
