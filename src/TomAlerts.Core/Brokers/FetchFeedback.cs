namespace TomAlerts.Brokers;

/// <summary>
/// What a broker tells the user about a fetch besides its alerts: notes for the run page (TOM's
/// broker_feedback) and a live status line such as "waiting for the rate limit".
/// </summary>
public sealed class FetchFeedback
{
    private readonly List<string> _messages = [];
    private readonly Lock _lock = new();

    public event Action<string?>? StatusChanged;

    public void Add(string message)
    {
        lock (_lock)
        {
            _messages.Add(message);
        }
    }

    public void SetStatus(string? status) => StatusChanged?.Invoke(status);

    public string? Text
    {
        get
        {
            lock (_lock)
            {
                return _messages.Count == 0 ? null : string.Join("\n", _messages);
            }
        }
    }
}
