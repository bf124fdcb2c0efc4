using System.Globalization;
using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Shared;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.Runs;

/// <summary>Which triage decisions a listing keeps.</summary>
public enum DecisionFilter
{
    Any,
    Undecided,
    Interesting,
    Rejected,
    NotRejected,
}

/// <summary>
/// How a run's alerts are listed: a sort column (<see cref="RunAlertFilter.SortColumns"/>; otherwise the broker's order,
/// which also breaks ties) and the filters inside a run.
/// </summary>
public sealed record RunAlertFilter(string? Sort = null, bool Descending = false, bool NewOnly = false, string? ClassName = null,
    double? MinProbability = null, double? MinMag = null, double? MaxMag = null, int? MinDetections = null, bool NotTarget = false,
    DecisionFilter Decision = DecisionFilter.Any)
{
    /// <summary>The columns a run's alerts sort on, by the names the page and the API use.</summary>
    public static readonly IReadOnlyList<string> SortColumns =
        ["time", "name", "ra", "dec", "mag", "first", "last", "detections", "score", "class", "decision", "new", "target"];

    /// <summary>The decision filter values: undecided, interesting, rejected, not-rejected.</summary>
    public static readonly IReadOnlyList<string> DecisionValues = ["undecided", "interesting", "rejected", "not-rejected"];

    public bool IsFiltered => NewOnly || ClassName is not null || MinProbability is not null || MinMag is not null || MaxMag is not null
                              || MinDetections is not null || NotTarget || Decision != DecisionFilter.Any;

    public static string DecisionName(DecisionFilter filter) => filter switch
    {
        DecisionFilter.Undecided => "undecided",
        DecisionFilter.Interesting => "interesting",
        DecisionFilter.Rejected => "rejected",
        DecisionFilter.NotRejected => "not-rejected",
        _ => "",
    };
}

/// <summary>The filter and sort parameters of a run's alerts as a page or script sends them (query string); <see cref="Read"/> checks them.</summary>
public sealed class RunAlertQuery
{
    public string? Sort { get; set; }
    public string? Dir { get; set; }
    public string? New { get; set; }
    public string? ClassName { get; set; }
    public string? MinProbability { get; set; }
    public string? MinMag { get; set; }
    public string? MaxMag { get; set; }
    public string? MinDetections { get; set; }
    public string? NotTarget { get; set; }
    public string? Decision { get; set; }

    /// <summary>The filter, and a message per bad parameter (keyed by its query-string name).</summary>
    public (RunAlertFilter Filter, Dictionary<string, string[]> Errors) Read()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var sort = string.IsNullOrWhiteSpace(Sort) ? null : Sort.Trim().ToLowerInvariant();
        if (sort is not null && !RunAlertFilter.SortColumns.Contains(sort))
        {
            errors["sort"] = [$"sort must be one of {string.Join(", ", RunAlertFilter.SortColumns)}."];
            sort = null;
        }
        var dir = Dir?.Trim().ToLowerInvariant();
        if (dir is not (null or "" or "asc" or "desc"))
        {
            errors["dir"] = ["dir must be asc or desc."];
        }
        var decision = Decision?.Trim().ToLowerInvariant() switch
        {
            null or "" or "any" => DecisionFilter.Any,
            "undecided" => DecisionFilter.Undecided,
            "interesting" => DecisionFilter.Interesting,
            "rejected" => DecisionFilter.Rejected,
            "not-rejected" or "notrejected" => DecisionFilter.NotRejected,
            _ => (DecisionFilter?)null,
        };
        if (decision is null)
        {
            errors["decision"] = ["decision must be undecided, interesting, rejected or not-rejected."];
        }
        var minProbability = Number("minProbability", MinProbability, errors);
        if (minProbability is < 0 or > 1)
        {
            errors["minProbability"] = ["minProbability must be between 0 and 1."];
        }
        var minMag = Number("minMag", MinMag, errors);
        var maxMag = Number("maxMag", MaxMag, errors);
        if (minMag is { } lo && maxMag is { } hi && lo > hi)
        {
            errors["maxMag"] = ["maxMag must not be below minMag."];
        }
        int? minDetections = null;
        if (!string.IsNullOrWhiteSpace(MinDetections))
        {
            if (int.TryParse(MinDetections, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0)
            {
                minDetections = n;
            }
            else
            {
                errors["minDetections"] = ["minDetections must be a whole number, 0 or more."];
            }
        }
        var className = string.IsNullOrWhiteSpace(ClassName) ? null : ClassName.Trim();
        if (className is { Length: > 200 })
        {
            errors["className"] = ["className is at most 200 characters."];
        }
        var filter = new RunAlertFilter(sort, dir == "desc", Flag("new", New, errors), className, minProbability, minMag, maxMag, minDetections,
            Flag("notTarget", NotTarget, errors), decision ?? DecisionFilter.Any);
        return (filter, errors);
    }

    private static double? Number(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }
        errors[name] = [$"{name} must be a number, such as 0.5."];
        return null;
    }

    private static bool Flag(string name, string? text, Dictionary<string, string[]> errors)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "false" or "0":
                return false;
            case "true" or "1" or "on":
                return true;
            default:
                errors[name] = [$"{name} must be true or false."];
                return false;
        }
    }
}

/// <summary>A run alert with its object's triage decision and the target it already is.</summary>
public sealed record RunAlertRow(RunAlert Alert, DecisionView? Decision, int? TargetId);

/// <summary>A page of a run's stored alerts, for the results page and the API alike.</summary>
public sealed class RunAlertList(AppDbContext db, KnownTargets knownTargets, TriageDecisions decisions)
{
    /// <summary>The page's alerts with their decisions and targets (those <paramref name="viewer"/> sees): three queries whatever the page size.</summary>
    public async Task<(IReadOnlyList<RunAlertRow> Rows, Paging Paging)> RowsAsync(QueryRun run, RunAlertFilter filter, ClaimsPrincipal viewer, int page, int pageSize, bool clamp,
        CancellationToken cancellationToken)
    {
        var (alerts, paging) = await PageAsync(run, filter, viewer, page, pageSize, clamp, cancellationToken);
        return (await WithTriageAsync(run, alerts, viewer, cancellationToken), paging);
    }

    public async Task<IReadOnlyList<RunAlertRow>> WithTriageAsync(QueryRun run, IReadOnlyList<RunAlert> alerts, ClaimsPrincipal viewer, CancellationToken cancellationToken)
    {
        var decided = await decisions.ForAsync(run.Query!.Broker, [.. alerts.Select(a => a.AlertId)], cancellationToken);
        var targets = await knownTargets.FindAsync([.. alerts.Select(a => (IEnumerable<string>)[a.Name, a.AlertId])], viewer, cancellationToken);
        return [.. alerts.Select((a, i) => new RunAlertRow(a, decided.GetValueOrDefault(a.AlertId), targets[i]))];
    }

    /// <summary>One of the run's alerts, without its raw payload; null when the run has none of that id.</summary>
    public async Task<RunAlert?> FindAsync(long runId, string alertId, CancellationToken cancellationToken) =>
        await Projected(db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == runId && a.AlertId == alertId)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The page's alerts, without their raw payloads, in the filter's order.</summary>
    public async Task<(IReadOnlyList<RunAlert> Rows, Paging Paging)> PageAsync(QueryRun run, RunAlertFilter filter, ClaimsPrincipal viewer, int page, int pageSize, bool clamp,
        CancellationToken cancellationToken)
    {
        // Every filter but "no target yet" is a column of the rows; that one is "not among the positions of targets".
        var candidates = Filtered(db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == run.Id), filter, await ClassSpellingsAsync(run.Id, filter.ClassName, cancellationToken));
        var targets = knownTargets.PositionsOfTargets(run.Id, viewer);
        var alerts = filter.NotTarget ? candidates.Where(a => !targets.Contains(a.Position)) : candidates;
        // A finished run's rows were counted when it finished (QueryRun.AlertCount): only a filter, or a run that may still
        // be storing rows, is counted per page; "no target yet" is counted as the rows less the targets among them.
        var finished = run.Status is RunStatus.Succeeded or RunStatus.Failed;
        var total = (filter with { NotTarget = false }).IsFiltered || !finished ? await candidates.CountAsync(cancellationToken) : run.AlertCount;
        if (filter.NotTarget)
        {
            total -= await candidates.CountAsync(a => targets.Contains(a.Position), cancellationToken);
        }
        var paging = new Paging(page, pageSize, total);
        paging = clamp ? paging.Clamped() : paging;
        // The page is found on positions alone, which the sort and filter columns' indexes cover (no row is read to be
        // skipped or sorted), then its rows are read by position: a deep page or a filtered page costs an index scan.
        var positions = filter switch
        {
            { Sort: "target" } => await TargetsFirstOrLastAsync(alerts, targets, filter.Descending, paging.Total, paging.Skip, pageSize, cancellationToken),
            { Sort: "class", Descending: true } => await DescendingByGroupsAsync(alerts, a => a.Classification, paging.Skip, pageSize, cancellationToken),
            { Sort: "decision", Descending: true } => await DescendingByGroupsAsync(alerts, a => a.Decision, paging.Skip, pageSize, cancellationToken),
            { Sort: "new", Descending: true } => await DescendingByGroupsAsync(alerts, a => a.IsNew, paging.Skip, pageSize, cancellationToken),
            _ => await Sorted(alerts, filter).Skip(paging.Skip).Take(pageSize).Select(a => a.Position).ToListAsync(cancellationToken),
        };
        var byPosition = await Projected(db.RunAlerts.AsNoTracking().Where(a => a.QueryRunId == run.Id && EF.Parameter(positions).Contains(a.Position)))
            .ToDictionaryAsync(a => a.Position, cancellationToken);
        return ([.. positions.Where(byPosition.ContainsKey).Select(p => byPosition[p])], paging);
    }

    private static IQueryable<RunAlert> Projected(IQueryable<RunAlert> alerts) =>
        alerts.Select(a => new RunAlert
            {
                Id = a.Id, QueryRunId = a.QueryRunId, Position = a.Position, AlertId = a.AlertId, Name = a.Name, Ra = a.Ra, Dec = a.Dec, Mag = a.Mag,
                Band = a.Band, Score = a.Score, Timestamp = a.Timestamp, Url = a.Url, Classification = a.Classification, FirstDetection = a.FirstDetection,
                LastDetection = a.LastDetection, Detections = a.Detections, ClassificationsJson = a.ClassificationsJson, DetailsFetched = a.DetailsFetched,
                IsNew = a.IsNew, Decision = a.Decision, Payload = "",
            });

    /// <summary>
    /// A page of the alerts sorted by whether their object is a target the viewer sees (targets last, or first when
    /// descending), ties in the broker's order: the two groups are read one after the other, each in position order,
    /// so no query sorts the run.
    /// </summary>
    private static async Task<List<int>> TargetsFirstOrLastAsync(IQueryable<RunAlert> alerts, IQueryable<int> targets, bool targetsFirst, int total, int skip, int take,
        CancellationToken cancellationToken)
    {
        var areTargets = alerts.Where(a => targets.Contains(a.Position));
        var others = alerts.Where(a => !targets.Contains(a.Position));
        var targetCount = await areTargets.CountAsync(cancellationToken);
        var (head, tail, headCount) = targetsFirst ? (areTargets, others, targetCount) : (others, areTargets, total - targetCount);
        var positions = skip < headCount
            ? await head.OrderBy(a => a.Position).Skip(skip).Take(take).Select(a => a.Position).ToListAsync(cancellationToken)
            : [];
        if (positions.Count < take)
        {
            positions.AddRange(await tail.OrderBy(a => a.Position).Skip(Math.Max(0, skip - headCount)).Take(take - positions.Count).Select(a => a.Position)
                .ToListAsync(cancellationToken));
        }
        return positions;
    }

    /// <summary>
    /// A page of the alerts sorted descending by a column of few values (class, decision, new), ties in the broker's
    /// order. The index on (column, position) reads backwards gives the ties in reverse, so the database would sort each
    /// tie group (tens of thousands of rows); instead the groups are counted and the page read from the one or two groups
    /// it falls in, each in position order.
    /// </summary>
    private static async Task<List<int>> DescendingByGroupsAsync<TKey>(IQueryable<RunAlert> alerts, Expression<Func<RunAlert, TKey>> key, int skip, int take,
        CancellationToken cancellationToken)
    {
        var groups = await alerts.GroupBy(key).Select(g => new { g.Key, Count = g.Count() }).OrderByDescending(g => g.Key).ToListAsync(cancellationToken);
        var positions = new List<int>(take);
        foreach (var group in groups)
        {
            if (skip >= group.Count)
            {
                skip -= group.Count;
                continue;
            }
            var value = group.Key;
            Expression<Func<TKey>> parameter = () => value; // a parameter, so a null class is matched with IS NULL
            var inGroup = Expression.Lambda<Func<RunAlert, bool>>(Expression.Equal(key.Body, parameter.Body), key.Parameters);
            positions.AddRange(await alerts.Where(inGroup).OrderBy(a => a.Position).Skip(skip).Take(take - positions.Count).Select(a => a.Position)
                .ToListAsync(cancellationToken));
            skip = 0;
            if (positions.Count >= take)
            {
                break;
            }
        }
        return positions;
    }

    /// <summary>
    /// The run's spellings of a class name, case aside (usually one): the filter then matches them exactly, which the
    /// class index answers in the broker's order, where comparing lower-cased classes reads every row. The run's classes
    /// are found by stepping through the class index from one class to the next (a few probes, not a scan of the run).
    /// </summary>
    private async Task<List<string>?> ClassSpellingsAsync(long runId, string? className, CancellationToken cancellationToken)
    {
        if (className is null)
        {
            return null;
        }
        var lower = className.ToLowerInvariant();
        return await db.Database.SqlQuery<string>($"""
            WITH RECURSIVE classes(name) AS (
                SELECT MIN("Classification") FROM "RunAlerts" WHERE "QueryRunId" = {runId}
                UNION ALL
                SELECT (SELECT MIN("Classification") FROM "RunAlerts" WHERE "QueryRunId" = {runId} AND "Classification" > classes.name)
                FROM classes WHERE classes.name IS NOT NULL)
            SELECT name AS "Value" FROM classes WHERE name IS NOT NULL AND lower(name) = {lower}
            """).ToListAsync(cancellationToken);
    }

    /// <summary>The rows that pass every filter but <see cref="RunAlertFilter.NotTarget"/>; <paramref name="classSpellings"/> from <see cref="ClassSpellingsAsync"/>.</summary>
    private static IQueryable<RunAlert> Filtered(IQueryable<RunAlert> alerts, RunAlertFilter filter, List<string>? classSpellings)
    {
        if (filter.NewOnly)
        {
            var isNew = true; // a parameter: SQLite answers "IsNew = ?" from the (IsNew, position) index, and a bare "IsNew" by reading rows
            alerts = alerts.Where(a => a.IsNew == isNew);
        }
        if (classSpellings is [var spelling])
        {
            alerts = alerts.Where(a => a.Classification == spelling); // one value: PostgreSQL reads "= ANY (list)" unordered, then sorts
        }
        else if (classSpellings is not null)
        {
            alerts = alerts.Where(a => classSpellings.Contains(a.Classification!));
        }
        if (filter.MinProbability is { } p)
        {
            alerts = alerts.Where(a => a.Score >= p);
        }
        if (filter.MinMag is { } minMag)
        {
            alerts = alerts.Where(a => a.Mag >= minMag);
        }
        if (filter.MaxMag is { } maxMag)
        {
            alerts = alerts.Where(a => a.Mag <= maxMag);
        }
        if (filter.MinDetections is { } n)
        {
            alerts = alerts.Where(a => a.Detections >= n);
        }
        alerts = filter.Decision switch
        {
            DecisionFilter.Undecided => alerts.Where(a => a.Decision == RunAlertDecision.Undecided),
            DecisionFilter.Interesting => alerts.Where(a => a.Decision == RunAlertDecision.Interesting),
            DecisionFilter.Rejected => alerts.Where(a => a.Decision == RunAlertDecision.Rejected),
            DecisionFilter.NotRejected => alerts.Where(a => a.Decision != RunAlertDecision.Rejected),
            _ => alerts,
        };
        return alerts;
    }

    /// <summary>Sorted by any column but "target" (<see cref="TargetsFirstOrLastAsync"/>).</summary>
    private static IQueryable<RunAlert> Sorted(IQueryable<RunAlert> alerts, RunAlertFilter filter)
    {
        var d = filter.Descending;
        return filter.Sort switch
        {
            "time" => By(alerts, a => a.Timestamp, d),
            "name" => By(alerts, a => a.Name, d),
            "ra" => By(alerts, a => a.Ra, d),
            "dec" => By(alerts, a => a.Dec, d),
            "mag" => By(alerts, a => a.Mag, d),
            "first" => By(alerts, a => a.FirstDetection, d),
            "last" => By(alerts, a => a.LastDetection, d),
            "detections" => By(alerts, a => a.Detections, d),
            "score" => By(alerts, a => a.Score, d),
            "class" => By(alerts, a => a.Classification, d),
            "decision" => By(alerts, a => a.Decision, d), // undecided, then interesting, then rejected
            "new" => By(alerts, a => a.IsNew, d),
            _ => alerts.OrderBy(a => a.Position),
        };
    }

    /// <summary>Sorted by one column, ties in the broker's order.</summary>
    private static IQueryable<RunAlert> By<TKey>(IQueryable<RunAlert> alerts, Expression<Func<RunAlert, TKey>> key, bool descending) =>
        (descending ? alerts.OrderByDescending(key) : alerts.OrderBy(key)).ThenBy(a => a.Position);
}
