namespace TomAlerts.Web.Features.Runs;

/// <summary>
/// Runs waiting for the background workers, by id. The database is the truth; the queue only wakes the workers and
/// decides the order: fair across users, taking one run of each user with runs waiting in turn (round-robin), so one
/// user's many runs do not hold up another user's one.
/// </summary>
public sealed class RunQueue
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<long>> _byOwner = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _turns = new();
    private readonly SemaphoreSlim _waiting = new(0);

    /// <param name="runId">The run.</param>
    /// <param name="owner">Whose turn the run takes: the user who started it, else the query's owner.</param>
    public void Enqueue(long runId, string? owner)
    {
        lock (_gate)
        {
            var key = owner ?? "";
            if (!_byOwner.TryGetValue(key, out var runs))
            {
                _byOwner[key] = runs = new Queue<long>();
                _turns.AddLast(key);
            }
            runs.Enqueue(runId);
        }
        _waiting.Release();
    }

    public async IAsyncEnumerable<long> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            await _waiting.WaitAsync(cancellationToken);
            yield return Take();
        }
    }

    private long Take()
    {
        lock (_gate)
        {
            var owner = _turns.First!.Value;
            _turns.RemoveFirst();
            var runs = _byOwner[owner];
            var runId = runs.Dequeue();
            if (runs.Count > 0)
            {
                _turns.AddLast(owner);
            }
            else
            {
                _byOwner.Remove(owner);
            }
            return runId;
        }
    }
}
