using TomAlerts.Brokers;
using TomAlerts.Queries;
using TomAlerts.Targets;

namespace TomAlerts.Web.Features.Runs;

/// <summary>What a stored run alert keeps of a broker's <see cref="GenericAlert"/>.</summary>
public static class RunAlertDetails
{
    /// <summary>Copies the display fields of <paramref name="alert"/> onto the stored row.</summary>
    public static RunAlert Describe(this RunAlert stored, GenericAlert alert)
    {
        stored.Mag = alert.Mag;
        stored.Band = alert.Band is { } band ? RunExecutor.Truncate(band, 16) : null;
        stored.Score = alert.Score;
        stored.Timestamp = alert.Timestamp;
        stored.Url = alert.Url;
        stored.Classification = alert.Classification;
        stored.FirstDetection = alert.FirstDetection;
        stored.LastDetection = alert.LastDetection;
        stored.Detections = alert.Detections;
        stored.ClassificationsJson = StoredClassifications.Write(alert.Classifications);
        return stored;
    }

    /// <summary>The broker's alert as far as the stored row tells (for a broker that adds details to it).</summary>
    public static GenericAlert ToGenericAlert(this RunAlert stored) => new()
    {
        Id = stored.AlertId, Name = stored.Name, Ra = stored.Ra, Dec = stored.Dec, Mag = stored.Mag, Band = stored.Band, Score = stored.Score,
        Timestamp = stored.Timestamp, Url = stored.Url, Classification = stored.Classification, FirstDetection = stored.FirstDetection,
        LastDetection = stored.LastDetection, Detections = stored.Detections, Classifications = StoredClassifications.Read(stored.ClassificationsJson),
    };

    /// <summary>The normalised names identity matching would look the alert's object up by.</summary>
    public static IEnumerable<RunAlertKey> Keys(RunAlert alert)
    {
        var keys = new List<RunAlertKey>(4);
        AddKeys(keys, alert, alert.Name);
        if (!string.Equals(alert.Name, alert.AlertId, StringComparison.Ordinal))
        {
            AddKeys(keys, alert, alert.AlertId);
        }
        return keys;
    }

    /// <summary>Appends the run alert's keys for one of its names, each once (a handful per alert, so a linear check).</summary>
    private static void AddKeys(List<RunAlertKey> keys, RunAlert alert, string name)
    {
        foreach (var match in TargetNames.MatchKeys(name))
        {
            var key = RunExecutor.Truncate(match, 100);
            if (!keys.Exists(k => string.Equals(k.Key, key, StringComparison.Ordinal)))
            {
                keys.Add(new RunAlertKey { QueryRunId = alert.QueryRunId, AlertId = alert.AlertId, Key = key });
            }
        }
    }
}
