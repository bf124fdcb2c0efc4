using System.Text.Json;
using Microsoft.Extensions.Options;
using TomAlerts.Brokers;
using TomAlerts.Brokers.Resilience;
using TomAlerts.Sky;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.ConeSearch;

/// <summary>The "Search" configuration section.</summary>
public sealed class ConeSearchOptions
{
    /// <summary>How long one broker may take; the page answers within the slowest broker's timeout.</summary>
    public TimeSpan BrokerTimeout { get; set; } = TimeSpan.FromSeconds(20);
    public int MaxAlertsPerBroker { get; set; } = 200;
    public double DefaultRadiusArcsec { get; set; } = 10;
    public double MaxRadiusArcsec { get; set; } = 600;
    /// <summary>Alerts this close to each other are one sky object (at least Targets:MatchRadiusArcsec).</summary>
    public double MergeRadiusArcsec { get; set; } = 3;
}

public sealed record ConePosition(double Ra, double Dec, double RadiusArcsec);

public enum BrokerAnswerState
{
    Answered,
    NotConfigured,
    Failed,
    TimedOut,
}

/// <summary>How one broker answered: its alerts, or why there are none.</summary>
public sealed record BrokerAnswer(string Broker, BrokerAnswerState State, string? Message, int Count, bool Capped)
{
    public string StateName => State switch
    {
        BrokerAnswerState.Answered => "ok",
        BrokerAnswerState.NotConfigured => "not configured",
        BrokerAnswerState.TimedOut => "timed out",
        _ => "failed",
    };
}

/// <summary>One broker's alert within a row.</summary>
public sealed record ConeEntry(string Broker, string AlertId, string Name, double? Ra, double? Dec, double? Mag, string? Classification,
    string? Url, DateTime? Timestamp, double? SeparationArcsec);

/// <summary>One sky object: every broker's alerts within the merge radius of each other.</summary>
public sealed record ConeRow(double? Ra, double? Dec, double? SeparationArcsec, IReadOnlyDictionary<string, IReadOnlyList<ConeEntry>> ByBroker)
{
    public IEnumerable<ConeEntry> Entries => ByBroker.Values.SelectMany(e => e);

    public IReadOnlyList<string> Names => Entries.Select(e => e.Name).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>"Broker:alertId" for each alert, the values the create-target form posts back.</summary>
    public IReadOnlyList<string> Keys => Entries.Select(e => $"{e.Broker}:{e.AlertId}").ToList();
}

public sealed record ConeResult(ConePosition Position, double MergeRadiusArcsec, IReadOnlyList<BrokerAnswer> Brokers, IReadOnlyList<ConeRow> Rows);

/// <summary>
/// One position asked of every configured broker that can search a cone, at the same time, each within its own
/// timeout; the answers merged into one row per sky object. A broker that fails says so in its own column.
/// </summary>
public sealed class ConeSearcher(BrokerRegistry brokers, IOptions<ConeSearchOptions> options, IOptions<TargetOptions> targets, TimeProvider clock,
    ILogger<ConeSearcher> logger)
{
    public ConeSearchOptions Options => options.Value;

    public double MergeRadiusArcsec => Math.Max(options.Value.MergeRadiusArcsec, targets.Value.MatchRadiusArcsec);

    /// <summary>The installed brokers that can search a cone, in configured order.</summary>
    public IReadOnlyList<string> ConeBrokers => brokers.NamesOf<IConeSearchable>();

    public async Task<ConeResult> SearchAsync(ConePosition position, CancellationToken cancellationToken)
    {
        var asked = await Task.WhenAll(ConeBrokers.Select(name => AskAsync(name, position, cancellationToken)));
        var rows = Merge(asked.SelectMany(a => a.Entries).ToList(), MergeRadiusArcsec);
        return new ConeResult(position, MergeRadiusArcsec, asked.Select(a => a.Answer).ToList(), rows);
    }

    private async Task<(BrokerAnswer Answer, List<ConeEntry> Entries)> AskAsync(string name, ConePosition position, CancellationToken cancellationToken)
    {
        var entries = new List<ConeEntry>();
        if (!brokers.TryGet(name, out var broker) || broker is not IConeSearchable cone)
        {
            return (new BrokerAnswer(name, BrokerAnswerState.NotConfigured, "not installed", 0, false), entries);
        }
        if (!broker.Status.IsConfigured)
        {
            return (new BrokerAnswer(broker.Name, BrokerAnswerState.NotConfigured,
                $"Not configured: needs {string.Join(", ", broker.Status.MissingSettings)}.", 0, false), entries);
        }
        var limit = Math.Max(1, options.Value.MaxAlertsPerBroker);
        var timeout = options.Value.BrokerTimeout;
        var until = clock.GetUtcNow() + timeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        // This page waits on purpose: its own per-broker timeout replaces the short budget other pages give broker calls.
        // The HTTP handler's deadline is a second later, so this token is what ends a slow call (the two timers could
        // otherwise fire in either order, and a handler's timeout first read as the broker failing).
        using var budget = BrokerCallScope.WithDeadline(until + TimeSpan.FromSeconds(1));
        var capped = false;
        try
        {
            await Task.Yield(); // every broker starts before any of them is awaited
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var raw in broker.FetchAlertsAsync(cone.ConeParameters(position.Ra, position.Dec, position.RadiusArcsec), new FetchFeedback(), deadline.Token))
            {
                var alert = broker.ToGenericAlert(raw);
                if (alert.Id.Length == 0 || !seen.Add(alert.Id))
                {
                    continue;
                }
                if (entries.Count == limit)
                {
                    capped = true;
                    break;
                }
                var separation = alert is { Ra: { } ra, Dec: { } dec } ? Angles.Separation(position.Ra, position.Dec, ra, dec) * 3600 : (double?)null;
                entries.Add(new ConeEntry(broker.Name, alert.Id, alert.Name, alert.Ra, alert.Dec, alert.Mag, alert.Classification,
                    SafeUrl(alert.Url), alert.Timestamp, separation));
            }
            return (new BrokerAnswer(broker.Name, BrokerAnswerState.Answered, capped ? $"Only the first {limit} alerts are shown." : null, entries.Count, capped), entries);
        }
        catch (Exception e) when ((deadline.IsCancellationRequested || clock.GetUtcNow() >= until) && !cancellationToken.IsCancellationRequested
                                   && e is OperationCanceledException or BrokerException or HttpRequestException)
        {
            // Brokers word a cancelled call in their own way; past the deadline, any of them means "too slow".
            logger.LogWarning("Cone search of {Broker} timed out after {Timeout}", broker.Name, timeout);
            return (new BrokerAnswer(broker.Name, BrokerAnswerState.TimedOut, $"No answer within {timeout.TotalSeconds:0} s.", 0, false), []);
        }
        catch (BrokerException e)
        {
            logger.LogWarning("Cone search of {Broker} failed: {Reason}", broker.Name, e.Message);
            return (new BrokerAnswer(broker.Name, BrokerAnswerState.Failed, e.Message, 0, false), []);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            logger.LogWarning(e, "Cone search of {Broker} failed", broker.Name);
            return (new BrokerAnswer(broker.Name, BrokerAnswerState.Failed, $"The {broker.Name} answer could not be read ({e.GetType().Name}).", 0, false), []);
        }
    }

    /// <summary>
    /// Groups alerts whose positions lie within <paramref name="mergeRadiusArcsec"/> of each other (union-find, so a chain of
    /// close alerts is one object), nearest to the search position first. Alerts without a position stay rows of their own.
    /// </summary>
    public static IReadOnlyList<ConeRow> Merge(IReadOnlyList<ConeEntry> entries, double mergeRadiusArcsec)
    {
        var parent = Enumerable.Range(0, entries.Count).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        var radiusDeg = mergeRadiusArcsec / 3600;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not { Ra: { } ra1, Dec: { } dec1 })
            {
                continue;
            }
            for (var j = i + 1; j < entries.Count; j++)
            {
                if (entries[j] is { Ra: { } ra2, Dec: { } dec2 } && Math.Abs(dec1 - dec2) <= radiusDeg && Angles.Separation(ra1, dec1, ra2, dec2) <= radiusDeg)
                {
                    parent[Find(j)] = Find(i);
                }
            }
        }
        return entries
            .Select((entry, index) => (entry, root: Find(index)))
            .GroupBy(x => x.root, x => x.entry)
            .Select(group => ToRow(group.ToList()))
            .OrderBy(row => row.SeparationArcsec ?? double.MaxValue)
            .ThenBy(row => row.Names.FirstOrDefault(), StringComparer.Ordinal)
            .ToList();
    }

    private static ConeRow ToRow(List<ConeEntry> entries)
    {
        var placed = entries.Where(e => e.Ra is not null && e.Dec is not null).ToList();
        double? ra = null, dec = null;
        if (placed.Count > 0)
        {
            // The mean of unit vectors, so a group straddling RA 0/360 averages correctly.
            var (x, y, z) = (0.0, 0.0, 0.0);
            foreach (var e in placed)
            {
                var (a, d) = (e.Ra!.Value * Math.PI / 180, e.Dec!.Value * Math.PI / 180);
                x += Math.Cos(d) * Math.Cos(a);
                y += Math.Cos(d) * Math.Sin(a);
                z += Math.Sin(d);
            }
            ra = (Math.Atan2(y, x) * 180 / Math.PI + 360) % 360;
            dec = Math.Atan2(z, Math.Sqrt(x * x + y * y)) * 180 / Math.PI;
        }
        var separation = placed.Count > 0 ? placed.Min(e => e.SeparationArcsec) : null;
        var byBroker = entries.GroupBy(e => e.Broker, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ConeEntry>)g.OrderBy(e => e.SeparationArcsec ?? double.MaxValue).ToList(), StringComparer.OrdinalIgnoreCase);
        return new ConeRow(ra, dec, separation, byBroker);
    }

    private static string? SafeUrl(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.ToString() : null;
}
