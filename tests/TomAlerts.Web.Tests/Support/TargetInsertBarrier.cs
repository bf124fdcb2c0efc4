using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TomAlerts.Targets;

namespace TomAlerts.Web.Tests.Support;

/// <summary>
/// Holds every save that inserts a new target until <paramref name="parties"/> of them are waiting, so each creator has
/// looked for an existing target (and found none) before any of them inserts: the race, made to happen every time.
/// Saves that insert no target, and those after the first <paramref name="parties"/>, pass straight through.
/// </summary>
public sealed class TargetInsertBarrier(int parties) : SaveChangesInterceptor
{
    private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context!.ChangeTracker.Entries<Target>().Any(e => e.State == EntityState.Added))
        {
            var arrived = Interlocked.Increment(ref _arrived);
            if (arrived == parties)
            {
                _allArrived.SetResult();
            }
            if (arrived <= parties)
            {
                try
                {
                    await _allArrived.Task.WaitAsync(TimeSpan.FromSeconds(15), cancellationToken);
                }
                catch (TimeoutException)
                {
                    throw new InvalidOperationException($"Only {_arrived} of {parties} target creators reached their insert: something serialises them.");
                }
            }
        }
        return result;
    }
}
