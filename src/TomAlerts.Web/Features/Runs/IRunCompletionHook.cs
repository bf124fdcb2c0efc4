using TomAlerts.Queries;

namespace TomAlerts.Web.Features.Runs;

/// <summary>
/// Work that follows a succeeded run, registered by the feature that owns it (targets for new alerts, digests).
/// Hooks run in the order they were registered. What a hook returns is added to the run's feedback; a hook that
/// throws is logged and noted there, and never turns the succeeded run into a failed one.
/// </summary>
public interface IRunCompletionHook
{
    /// <param name="run">The finished run, with its <see cref="QueryRun.Query"/>.</param>
    Task<string?> AfterRunAsync(QueryRun run, CancellationToken cancellationToken);
}
