using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>
/// Work that follows a succeeded run, registered by the feature that owns it (targets for new alerts, digests).
/// Hooks run in the order they were registered. What a hook returns is added to the run's feedback; a hook that
/// throws is logged and noted there, and never turns the succeeded run into a failed one.
/// </summary>
public interface IRunCompletionHook
{
    /// <param name="run">The finished run (or the open stream run), with its <see cref="QueryRun.Query"/>.</param>
    /// <param name="window">The alerts this follow-up covers: all of an ordinary run, one window of a stream run.</param>
    Task<string?> AfterRunAsync(QueryRun run, AlertWindow window, CancellationToken cancellationToken);
}

/// <summary>Run alert positions from <see cref="From"/> to <see cref="To"/> (inclusive; null: to the end).</summary>
public readonly record struct AlertWindow(int From, int? To)
{
    public static AlertWindow WholeRun => new(0, null);

    public bool IsWholeRun => From == 0 && To is null;
}
