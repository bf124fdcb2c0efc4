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
    public static IEnumerable<RunAlertKey> Keys(RunAlert alert) =>
        TargetNames.MatchKeys(alert.Name).Concat(TargetNames.MatchKeys(alert.AlertId)).Select(key => RunExecutor.Truncate(key, 100))
            .Distinct(StringComparer.Ordinal).Select(key => new RunAlertKey { QueryRunId = alert.QueryRunId, AlertId = alert.AlertId, Key = key });
}
