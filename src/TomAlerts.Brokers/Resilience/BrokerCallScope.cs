namespace TomAlerts.Brokers.Resilience;

/// <summary>
/// What the code calling a broker wants its HTTP calls to know, carried along the async flow: the run's
/// <see cref="FetchFeedback"/> (so a rate-limit wait shows on the run page) and a deadline (so a page never waits
/// on a slow broker longer than its time budget).
/// </summary>
public sealed class BrokerCallScope : IDisposable
{
    private static readonly AsyncLocal<BrokerCallScope?> CurrentScope = new();

    private readonly BrokerCallScope? _outer;

    private BrokerCallScope(FetchFeedback? feedback, DateTimeOffset? deadline)
    {
        _outer = CurrentScope.Value;
        Feedback = feedback ?? _outer?.Feedback;
        Deadline = deadline ?? _outer?.Deadline;
        CurrentScope.Value = this;
    }

    public static BrokerCallScope? Current => CurrentScope.Value;

    public FetchFeedback? Feedback { get; }

    public DateTimeOffset? Deadline { get; }

    /// <summary>Set while a retry waits for a rate limit, so the next answer can clear the run's status line.</summary>
    internal bool WaitingForRateLimit { get; set; }

    /// <summary>Broker calls made until disposal report rate-limit waits to <paramref name="feedback"/>.</summary>
    public static BrokerCallScope ForRun(FetchFeedback feedback) => new(feedback, null);

    /// <summary>Broker calls made until disposal give up at <paramref name="deadline"/>.</summary>
    public static BrokerCallScope WithDeadline(DateTimeOffset deadline) => new(null, deadline);

    public void Dispose()
    {
        if (CurrentScope.Value == this)
        {
            CurrentScope.Value = _outer;
        }
    }
}
