using System.Text.Json.Nodes;

namespace TomAlerts.Brokers;

/// <summary>The three cutouts of an alert: the new image, the reference it was compared with, and their difference.</summary>
public enum StampKind
{
    Science,
    Template,
    Difference,
}

/// <summary>A cutout as the broker sent it: FITS (possibly gzipped), PNG or JPEG bytes.</summary>
public sealed record Stamp(byte[] Data, string ContentType);

/// <summary>
/// A broker that serves cutout stamps of its alerts. Fetched on demand, through the broker's own client (so its
/// resilience, rate limits and health accounting apply); the portal renders and caches them.
/// </summary>
public interface IServesStamps
{
    /// <summary>
    /// The <paramref name="kind"/> cutout of the broker's alert <paramref name="alertId"/>, whose stored payload is
    /// <paramref name="alert"/>; null when the broker has none for it.
    /// </summary>
    Task<Stamp?> FetchStampAsync(string alertId, JsonObject alert, StampKind kind, CancellationToken cancellationToken);
}
