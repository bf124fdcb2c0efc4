using System.Threading.Channels;

namespace TomAlerts.Web.Features.Runs;

/// <summary>Runs waiting for the background worker, by id. The database is the truth; the queue only wakes the worker.</summary>
public sealed class RunQueue
{
    private readonly Channel<long> _channel = Channel.CreateUnbounded<long>();

    public void Enqueue(long runId) => _channel.Writer.TryWrite(runId);

    public IAsyncEnumerable<long> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);
}
