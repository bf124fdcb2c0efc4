using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Sky;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Exports;
using TomAlerts.Web.Features.Groups;
using TomAlerts.Web.Features.Queries;
using TomAlerts.Web.Features.Targets;
using TomAlerts.Web.Hosting;
using TomAlerts.Web.Features.Api;

namespace TomAlerts.Web.Features.Targets;

/// <summary>Targets: created from a run's alerts with identity matching, searched by name, alias or cone, read, exported, deleted.</summary>
[Route("api/v1/targets")]
[Tags("Targets")]
public sealed class TargetsApiController(AppDbContext db, SavedQueries savedQueries, TargetQueries targets, TargetAccess access) : ApiControllerBase
{
    public const int MaxAlertsPerRequest = TargetCreator.MaxAlertsAtOnce;

    [HttpPost("from-alerts")]
    [EndpointSummary("Create or match targets from alerts of a run")]
    [EndpointDescription("Each alert is matched by name, alias, normalised name and position before anything is created; its photometry is merged. One outcome per alert: created, matched or failed.")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<AlertOutcomeDto>>> FromAlerts(FromAlertsInput input, [FromServices] TargetCreator creator, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.RunId is null)
        {
            errors["runId"] = ["Give the id of the run the alerts come from."];
        }
        var alertIds = (input.AlertIds ?? []).Where(a => !string.IsNullOrWhiteSpace(a)).ToList();
        if (alertIds.Count == 0)
        {
            errors["alertIds"] = ["Give at least one alert id from the run."];
        }
        else if (alertIds.Count > MaxAlertsPerRequest)
        {
            errors["alertIds"] = [$"At most {MaxAlertsPerRequest} alerts at a time."];
        }
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        if (await savedQueries.FindVisibleRunAsync(input.RunId!.Value, User, cancellationToken) is null)
        {
            return NotFoundProblem($"There is no run {input.RunId} that you can see.");
        }
        var outcomes = await creator.CreateFromRunAsync(input.RunId.Value, alertIds, User.UserId(), cancellationToken);
        return outcomes.Select(o => new AlertOutcomeDto(o.AlertId, o.Outcome.ToString().ToLowerInvariant(), o.TargetId, o.TargetName, o.Message, o.Warning)).ToList();
    }

    [HttpGet("")]
    [EndpointSummary("Targets by name or alias and by cone, newest first (a cone: nearest first)")]
    [EndpointDescription("name matches names and aliases, also in normalised form (\"SN 2023vjq\" finds \"2023vjq\"). ra and dec in degrees or sexagesimal; radiusArcsec defaults to 60.")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<Paged<TargetSummaryDto>>> List(string? name, string? ra, string? dec, string? radiusArcsec,
        [Description("A column, descending with a leading '-': name, ra, dec, lastMagnitude, lastBand, lastDetection, className, classSource, photometryCount, created (default -created). Targets without a value come last.")] string? sort = null,
        int page = 1, int pageSize = DefaultPageSize, CancellationToken cancellationToken = default)
    {
        if (TargetSort.Parse(sort) is not { } order)
        {
            return BadSort(sort);
        }
        var filter = new TargetFilter(name, ra, dec, radiusArcsec) { Sort = order };
        if ((CheckFilter(filter) ?? CheckPaging(page, pageSize)) is { } invalid)
        {
            return invalid;
        }
        var found = await targets.PageAsync(filter, User, page, pageSize, clamp: false, cancellationToken);
        var groups = await access.GroupsOfAsync([.. found.Rows.Select(r => r.Target.Id)], cancellationToken);
        return Paged<TargetSummaryDto>.Of(found.Rows.Select(r => TargetSummaryDto.From(r.Target, r.SeparationArcsec, groups[r.Target.Id])).ToList(), found.Paging);
    }

    [HttpGet("export")]
    [EndpointSummary("The target list, with the same filter as GET /api/v1/targets, as CSV, JSON or VOTable")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/csv", "application/json", "application/x-votable+xml")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public IActionResult Export([FromServices] ExportService exports, string? name, string? ra, string? dec, string? radiusArcsec, string? sort = null, string? format = "csv")
    {
        if (!TableExporter.TryParse(format, out var parsed))
        {
            return BadFormat(format);
        }
        if (TargetSort.Parse(sort) is not { } order)
        {
            return BadSort(sort);
        }
        var filter = new TargetFilter(name, ra, dec, radiusArcsec) { Sort = order };
        return CheckFilter(filter) ?? exports.Targets(filter, parsed, User);
    }

    private ActionResult BadSort(string? sort) =>
        Invalid("sort", $"'{sort}' is not a column to sort on: use one of {string.Join(", ", TargetSort.Columns)}, with '-' before it for descending.");

    [HttpGet("{id:int}")]
    [EndpointSummary("A target with its aliases, extras and provenance")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<TargetDto>> Get(int id, CancellationToken cancellationToken) =>
        await LoadAsync(db, access, access.Visible(User), id, cancellationToken) is { } target ? target : TargetNotFound(id);

    /// <summary>Target <paramref name="id"/> among <paramref name="targets"/> as the API gives it; null when it is not there.</summary>
    internal static async Task<TargetDto?> LoadAsync(AppDbContext db, TargetAccess access, IQueryable<Target> targets, int id, CancellationToken cancellationToken)
    {
        var target = await targets.AsNoTracking().AsSplitQuery()
            .Include(t => t.Aliases).Include(t => t.Extras).Include(t => t.Provenance)
            .FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (target is null)
        {
            return null;
        }
        var points = await db.Photometry.CountAsync(p => p.TargetId == id, cancellationToken);
        var groups = (await access.GroupsOfAsync([id], cancellationToken))[id];
        return new TargetDto(target.Id, target.Name, TargetSummaryDto.TypeName(target.Type), target.Ra, target.Dec, target.Epoch, target.GalacticLng, target.GalacticLat,
            target.Created, target.Modified,
            target.Aliases.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => a.Name).ToList(),
            target.Aliases.Where(a => a.Survey is not null).OrderBy(a => a.Name, StringComparer.Ordinal).ToDictionary(a => a.Name, a => a.Survey!),
            // One value per key: the latest any source set.
            target.Extras.GroupBy(e => e.Key).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderByDescending(e => e.SetAt).ThenByDescending(e => e.Id).First().Value),
            target.Provenance.OrderBy(p => p.At).ThenBy(p => p.Id).Select(p => new ProvenanceDto(p.Action, p.Broker, p.AlertId, p.QueryRunId, p.At) { Note = p.Note }).ToList(),
            points, GroupDto.From(groups))
        {
            ExtrasWithSource = [.. target.Extras.OrderBy(e => e.Key, StringComparer.Ordinal).ThenBy(e => e.Source, StringComparer.Ordinal)
                .Select(e => new ExtraDto(e.Key, e.Value, e.Source.Length == 0 ? null : e.Source, e.SetAt))],
            Elements = target.Elements,
        };
    }

    [HttpGet("{id:int}/photometry")]
    [EndpointSummary("A target's light curve, in time order")]
    [EndpointDescription("kind says what a point is: a detection has a magnitude; forced photometry has a flux (and a magnitude when its S/N allows); a limit has only a limit. flux is as reported, in fluxUnit. One survey measurement reported by several brokers is one point; sources names them all.")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<PhotometryDto>>> Photometry(int id, CancellationToken cancellationToken)
    {
        if (await access.FindVisibleAsync(id, User, cancellationToken) is null)
        {
            return TargetNotFound(id);
        }
        var points = await db.Photometry.AsNoTracking().Where(p => p.TargetId == id).OrderBy(p => p.Timestamp).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        return points.Select(p => new PhotometryDto(p.Timestamp, AstroTime.ToMjd(p.Timestamp), p.Bandpass, p.Magnitude, p.MagnitudeError, p.Limit, p.Telescope,
            p.Source, p.SourceLocation, p.Flux, p.FluxError, p.FluxUnit, PhotometryKinds.Name(p.Kind), p.Survey, p.SourceId, p.Sources)).ToList();
    }

    [HttpGet("{id:int}/photometry/export")]
    [EndpointSummary("A target's light curve as CSV, JSON or VOTable")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/csv", "application/json", "application/x-votable+xml")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> ExportPhotometry(int id, [FromServices] ExportService exports, string? format = "csv", CancellationToken cancellationToken = default)
    {
        if (!TableExporter.TryParse(format, out var parsed))
        {
            return BadFormat(format);
        }
        return await exports.PhotometryAsync(id, parsed, User, cancellationToken) ?? TargetNotFound(id);
    }

    [HttpDelete("{id:int}")]
    [EndpointSummary("Delete a target with its aliases, extras and photometry")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken) =>
        await access.Changeable(User).Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken) == 0 ? TargetNotFound(id) : NoContent();

    private ActionResult? CheckFilter(TargetFilter filter)
    {
        var errors = filter.Validate();
        return errors.Count == 0 ? null
            : Invalid(errors.ToDictionary(e => e.Key == "radius" ? "radiusArcsec" : e.Key, e => new[] { e.Value }), "The target search is not valid");
    }

    private ObjectResult TargetNotFound(int id) => NotFoundProblem($"There is no target {id}.");
}

/// <summary>Alert ids of one run (the alertId of GET /api/v1/runs/{id}/alerts).</summary>
public sealed record FromAlertsInput(long? RunId, List<string>? AlertIds);

/// <summary>outcome: created, matched or failed. message: why it failed, or which target it matched; warning: e.g. photometry that could not be fetched.</summary>
public sealed record AlertOutcomeDto(string AlertId, [property: Description("created, matched or failed")] string Outcome, int? TargetId, string? TargetName, string? Message, string? Warning);

/// <summary>type: sidereal or non-sidereal. separationArcsec: the distance from a cone search's centre, null otherwise. groups: whose members see and change it.</summary>
public sealed record TargetSummaryDto(int Id, string Name, [property: Description("sidereal or non-sidereal")] string Type, double? Ra, double? Dec, double? Epoch, double? GalacticLng, double? GalacticLat,
    double? SeparationArcsec, DateTime Created, DateTime Modified,
    [property: Description("The magnitude of the latest detection, in lastBand")] double? LastMagnitude, string? LastBand,
    [property: Description("When the latest detection was taken (UTC)")] DateTime? LastDetection,
    string? ClassName, [property: Description("Who gave the class: a broker, TNS's type beating any broker's class")] string? ClassSource,
    int PhotometryCount, IReadOnlyList<GroupDto> Groups)
{
    public static TargetSummaryDto From(Target t, double? separationArcsec, IReadOnlyList<GroupRef> groups) =>
        new(t.Id, t.Name, TypeName(t.Type), t.Ra, t.Dec, t.Epoch, t.GalacticLng, t.GalacticLat, separationArcsec, t.Created, t.Modified,
            t.LastMagnitude, t.LastBand, t.LastDetection, t.ClassName, t.ClassSource, t.PhotometryCount, GroupDto.From(groups));

    internal static string TypeName(TargetType type) => type == TargetType.Sidereal ? "sidereal" : "non-sidereal";
}

/// <summary>A target with every name it is known by (aliases), the broker's extra values and where it came from.</summary>
public sealed record TargetDto(int Id, string Name, [property: Description("sidereal or non-sidereal")] string Type, double? Ra, double? Dec, double? Epoch, double? GalacticLng, double? GalacticLat,
    DateTime Created, DateTime Modified, IReadOnlyList<string> Aliases,
    [property: Description("The survey of each alias whose name tells it (ZTF, LSST, ANTARES, Gaia, TNS), by alias")] IReadOnlyDictionary<string, string> AliasSurveys,
    IReadOnlyDictionary<string, string> Extras,
    IReadOnlyList<ProvenanceDto> Provenance, int PhotometryCount,
    [property: Description("The groups whose members see and change the target")] IReadOnlyList<GroupDto> Groups)
{
    /// <summary>Every extra with who set it: a broker's name, or user:&lt;id&gt; for a value entered by hand (null when not recorded).</summary>
    public IReadOnlyList<ExtraDto> ExtrasWithSource { get; init; } = [];

    /// <summary>The orbital elements of a non-sidereal target; null for a sidereal one.</summary>
    public OrbitalElements? Elements { get; init; }
}

/// <summary>An extra value, who set it (a broker, or user:&lt;id&gt;) and when.</summary>
public sealed record ExtraDto(string Key, string Value, string? Source, DateTime? SetAt);

/// <summary>action: created, matched, edited, renamed or merged (or a submission's outcome); which broker alert, from which run, when.</summary>
public sealed record ProvenanceDto([property: Description("created, matched, edited, renamed, merged, or a submission's outcome")] string Action, string Broker, string AlertId, long? RunId, DateTime At)
{
    /// <summary>What changed, in plain words (an edit's old → new values, a merge's summary); null when nothing more is said.</summary>
    public string? Note { get; init; }
}

/// <summary>A light-curve point: a detection has a magnitude, a non-detection only a limit. mjd: Modified Julian Date of timestamp (UTC).</summary>
public sealed record PhotometryDto(DateTime Timestamp, double Mjd, string Bandpass, double? Magnitude, double? MagnitudeError, double? Limit, string? Telescope,
    string Source, string SourceLocation,
    [property: Description("The flux as reported, in fluxUnit; null for a point reported as a magnitude")] double? Flux, double? FluxError,
    [property: Description("e.g. nJy, mJy, or a magnitude system such as ABMag")] string? FluxUnit,
    [property: Description("detection, forced or limit")] string Kind,
    [property: Description("The survey that took the point: ZTF, LSST, Gaia …; null when unknown")] string? Survey,
    [property: Description("The survey's id of the measurement (ZTF candid, LSST diaSourceId), as text")] string? SourceId,
    [property: Description("Every broker that reported the point, source first")] IReadOnlyList<string> Sources);
