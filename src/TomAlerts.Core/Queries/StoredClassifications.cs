using System.Text.Json;
using TomAlerts.Brokers;

namespace TomAlerts.Queries;

/// <summary>The JSON form of <see cref="RunAlert.ClassificationsJson"/>.</summary>
public static class StoredClassifications
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string? Write(IReadOnlyList<AlertClassification> classes) =>
        classes.Count == 0 ? null : JsonSerializer.Serialize(classes, Json);

    /// <summary>The stored list; empty when there is none or it cannot be read.</summary>
    public static IReadOnlyList<AlertClassification> Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }
        try
        {
            return JsonSerializer.Deserialize<List<AlertClassification>>(json, Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
