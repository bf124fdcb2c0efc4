using System.Globalization;
using System.Text.Json.Nodes;
using TomAlerts.Brokers;

namespace TomAlerts.Web.Features.Queries;

/// <summary>One saved filter of a query as a person reads it: the broker form's label and the value (a choice's label).</summary>
public sealed record QueryFilter(string Label, string Value);

/// <summary>A saved query's parameters restated with its broker form's labels, empty ones left out.</summary>
public static class QueryFilters
{
    /// <summary>How long a page waits for a broker's form (its choices may come from the broker) before showing the saved keys.</summary>
    private static readonly TimeSpan FormWait = TimeSpan.FromSeconds(2);

    public static async Task<IReadOnlyList<QueryFilter>> DescribeAsync(IBroker? broker, JsonObject? parameters, CancellationToken cancellationToken)
    {
        if (parameters is null)
        {
            return [];
        }
        BrokerForm? form = null;
        if (broker is not null)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(FormWait);
            try
            {
                form = await broker.GetFormAsync(wait.Token);
            }
            catch (Exception e) when (e is BrokerException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The saved keys are shown instead of the labels.
            }
        }
        return Describe(form, parameters);
    }

    public static IReadOnlyList<QueryFilter> Describe(BrokerForm? form, JsonObject parameters)
    {
        var filters = new List<QueryFilter>();
        foreach (var (key, node) in parameters)
        {
            if (key is BrokerForm.QueryNameField or BrokerForm.BrokerField)
            {
                continue;
            }
            var value = Text(node);
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }
            var field = form?.Field(key);
            if (field?.Choices.FirstOrDefault(c => c.Value == value) is { } choice)
            {
                value = choice.Label;
            }
            else if (field?.Kind == FieldKind.Boolean)
            {
                value = value is "true" or "True" or "on" ? "yes" : value is "false" or "False" ? "no" : value;
            }
            filters.Add(new QueryFilter(field?.Label is { Length: > 0 } label ? label : key, value));
        }
        return filters;
    }

    private static string? Text(JsonNode? node) =>
        node switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s.Trim(),
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
            JsonValue v when v.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
            JsonArray { Count: 0 } => null,
            JsonArray a => string.Join(", ", a.Select(Text).Where(t => !string.IsNullOrWhiteSpace(t))),
            _ => node.ToJsonString(),
        };
}
