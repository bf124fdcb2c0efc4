using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>A run alert with its details, or why the broker could not give them.</summary>
public sealed record DescribedAlert(RunAlert Alert, string? Problem);

/// <summary>
/// Fills in what a broker's listing row lacks (<see cref="IDescribesAlerts"/>) when someone opens the alert, once:
/// the details are stored on the run alert. A broker failure is a sentence for the panel, never an error page.
/// </summary>
public sealed class AlertDescriber(AppDbContext db, BrokerRegistry brokers, TimeProvider clock, ILogger<AlertDescriber> logger)
{
    /// <summary>The run's alert <paramref name="alertId"/>, described; null when the run has no such alert.</summary>
    public async Task<DescribedAlert?> DescribeAsync(QueryRun run, string alertId, CancellationToken cancellationToken)
    {
        var stored = await db.RunAlerts.FirstOrDefaultAsync(a => a.QueryRunId == run.Id && a.AlertId == alertId, cancellationToken);
        if (stored is null)
        {
            return null;
        }
        var broker = run.Query!.Broker;
        if (stored.DetailsFetched is not null || !brokers.TryGet(broker, out var service) || service is not IDescribesAlerts describes)
        {
            return new DescribedAlert(stored, null);
        }
        var listed = stored.ToGenericAlert();
        if (!describes.LacksDetails(listed))
        {
            return new DescribedAlert(stored, null);
        }
        try
        {
            var raw = JsonNode.Parse(stored.Payload) as JsonObject ?? [];
            var described = await describes.DescribeAsync(listed, raw, cancellationToken);
            stored.Describe(described with { Url = described.Url ?? stored.Url });
            stored.DetailsFetched = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
            return new DescribedAlert(stored, null);
        }
        catch (Exception e) when (e is BrokerException or JsonException or HttpRequestException)
        {
            logger.LogWarning("Details of {AlertId} from {Broker} could not be fetched: {Reason}", alertId, broker, e.Message);
            return new DescribedAlert(stored, $"{broker} did not give the details of {stored.Name} just now ({e.Message}). Open the alert again to retry.");
        }
    }
}
