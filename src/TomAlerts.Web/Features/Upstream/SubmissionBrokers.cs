using TomAlerts.Brokers;

namespace TomAlerts.Web.Features.Upstream;

/// <summary>The brokers a target can be sent to now, and what the others lack.</summary>
public sealed record SubmissionChoices(IReadOnlyList<string> Ready, IReadOnlyList<string> MissingSettings);

public static class SubmissionBrokers
{
    /// <summary>
    /// The configured brokers that take submissions and have their submission settings (<see cref="ISubmitsTargets.SubmissionStatus"/>);
    /// the settings the others miss, for what an administrator must set.
    /// </summary>
    public static SubmissionChoices Of(BrokerRegistry brokers)
    {
        var ready = new List<string>();
        var missing = new List<string>();
        foreach (var name in brokers.NamesOf<ISubmitsTargets>())
        {
            if (!brokers.TryGet(name, out var broker) || broker is not ISubmitsTargets submits || broker.IsStub)
            {
                continue;
            }
            var status = submits.SubmissionStatus;
            if (status.IsConfigured)
            {
                ready.Add(name);
            }
            else
            {
                missing.AddRange(status.MissingSettings);
            }
        }
        return new SubmissionChoices(ready, missing);
    }
}
