using TomAlerts.Brokers;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.ConeSearch;

/// <summary>
/// "Create target" on a cone-search row: each broker's alert is fetched again from that broker by its id (nothing the
/// browser sends is trusted as an alert) and saved in turn through identity matching, so the first creates the target
/// and the rest add their names and photometry to it.
/// </summary>
public sealed class ConeTargetCreator(BrokerRegistry brokers, TargetCreator creator, ILogger<ConeTargetCreator> logger)
{
    public const int MaxAlerts = 20;

    public async Task<IReadOnlyList<AlertOutcome>> CreateAsync(IEnumerable<string> keys, string? userId, CancellationToken cancellationToken)
    {
        var outcomes = new List<AlertOutcome>();
        var wanted = keys.Select(Parse).Where(k => k is not null).Select(k => k!.Value).Distinct().Take(MaxAlerts)
            .OrderBy(k => brokers.Names.ToList().FindIndex(n => string.Equals(n, k.Broker, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        foreach (var (brokerName, alertId) in wanted)
        {
            if (!brokers.TryGet(brokerName, out var broker) || broker is not IConeSearchable)
            {
                outcomes.Add(new AlertOutcome(alertId, alertId, AlertOutcomeKind.Failed, null, null, $"No broker named {brokerName} answers cone searches here."));
                continue;
            }
            try
            {
                var raw = await broker.FetchAlertAsync(alertId, cancellationToken);
                if (raw is null)
                {
                    outcomes.Add(new AlertOutcome(alertId, alertId, AlertOutcomeKind.Failed, null, null, $"{broker.Name} no longer knows {alertId}."));
                    continue;
                }
                var alert = broker.ToGenericAlert(raw);
                outcomes.Add(await creator.SaveAsync(broker, broker.ToTarget(raw), raw, alertId, alert.Name, null, userId, cancellationToken, alert.Classification));
            }
            catch (BrokerException e)
            {
                logger.LogWarning("Fetching {AlertId} from {Broker} for a target failed: {Reason}", alertId, broker.Name, e.Message);
                outcomes.Add(new AlertOutcome(alertId, alertId, AlertOutcomeKind.Failed, null, null, $"{broker.Name}: {e.Message}"));
            }
        }
        return outcomes;
    }

    /// <summary>"Broker:alertId", as the page posts it.</summary>
    public static (string Broker, string AlertId)? Parse(string? key)
    {
        var colon = key?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (key is null || colon <= 0 || colon == key.Length - 1 || key.Length > 250)
        {
            return null;
        }
        return (key[..colon], key[(colon + 1)..]);
    }
}
