using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using TomAlerts.Data;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Api;
using TomAlerts.Web.Hosting;
using TomAlerts.Web.Features.Shared;

namespace TomAlerts.Web.Features.Targets;

/// <summary>Targets by hand: create (with identity matching), edit, merge.</summary>
[Route("api/v1/targets")]
[Tags("Targets")]
public sealed class TargetEditApiController(AppDbContext db, TargetAccess access, TargetEditor editor) : ApiControllerBase
{
    [HttpPost("")]
    [EndpointSummary("Create a target by hand")]
    [EndpointDescription("ra and dec in degrees (numbers) or as text in degrees or sexagesimal. Identity matching applies as for alerts: when a target has one of the names or lies within Targets:MatchRadiusArcsec, the answer is 409 with matches: [{id, name, separationArcsec}] unless createAnyway is true. A name or alias another target has is 400. groups: the target's groups (default: the creator's default groups).")]
    [ProducesResponseType<TargetDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<TargetDto>> Create(TargetInput input, CancellationToken cancellationToken)
    {
        var readErrors = new Dictionary<string, FieldError>();
        var change = input.Read(readErrors);
        var result = await editor.CreateAsync(change, readErrors, input.CreateAnyway, input.Groups, User, cancellationToken);
        if (result.Errors.Count > 0)
        {
            return Invalid(Messages(result.Errors), "The target is not valid");
        }
        if (result.Target is not { } target)
        {
            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict, Title = "The target may exist already",
                Detail = $"{Plural.Count(result.Matches.Count, "existing target")} {(result.Matches.Count == 1 ? "matches" : "match")} by name or position; send \"createAnyway\": true to create it all the same.",
            };
            problem.Extensions["matches"] = result.Matches.Select(m => new MatchDto(m.Id, m.Name, m.SeparationArcsec)).ToList();
            return Conflict(problem);
        }
        return Created($"/api/v1/targets/{target.Id}", await TargetsApiController.LoadAsync(db, access, access.Visible(User), target.Id, cancellationToken));
    }

    [HttpPatch("{id:int}")]
    [EndpointSummary("Edit a target: any of name, ra, dec, type, epoch, elements, aliases (the whole list), extras (your own, the whole set)")]
    [EndpointDescription("Each change is written to the target's history with its old and new values.")]
    [ProducesResponseType<TargetDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<TargetDto>> Edit(int id, TargetInput input, CancellationToken cancellationToken)
    {
        var readErrors = new Dictionary<string, FieldError>();
        var change = input.Read(readErrors);
        var result = await editor.EditAsync(id, change, readErrors, User, cancellationToken);
        if (result is null)
        {
            return NotFoundProblem($"There is no target {id}.");
        }
        if (!result.Succeeded)
        {
            return Invalid(Messages(result.Errors), "The target is not valid");
        }
        return (await TargetsApiController.LoadAsync(db, access, access.Visible(User), id, cancellationToken))!;
    }

    [HttpPost("{id:int}/merge")]
    [EndpointSummary("Merge another target into this one")]
    [EndpointDescription("The other's name and aliases become aliases, its extras, photometry (without points this target has) and history move, and it is deleted (404 afterwards). One transaction.")]
    [ProducesResponseType<TargetDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<ActionResult<TargetDto>> Merge(int id, MergeInput input, [FromServices] TargetMerger merger, CancellationToken cancellationToken)
    {
        if (input.From is null)
        {
            return Invalid("from", "Give the id of the target to merge into this one.");
        }
        if (!await access.CanChangeAsync(id, User, cancellationToken))
        {
            return NotFoundProblem($"There is no target {id}.");
        }
        if (input.From == id)
        {
            return Invalid("from", "A target cannot be merged into itself.");
        }
        if (!await access.CanChangeAsync(input.From.Value, User, cancellationToken))
        {
            return NotFoundProblem($"There is no target {input.From}.");
        }
        await merger.MergeAsync(id, input.From.Value, User.UserId(), cancellationToken);
        return (await TargetsApiController.LoadAsync(db, access, access.Visible(User), id, cancellationToken))!;
    }

    private static Dictionary<string, string[]> Messages(IReadOnlyDictionary<string, FieldError> errors) =>
        errors.ToDictionary(e => e.Key, e => new[] { e.Value.Message });
}

/// <summary>
/// A target as a script sends it. ra/dec: degrees as numbers, or text in degrees or sexagesimal. type: sidereal (default)
/// or non-sidereal, which needs elements. aliases: every other name (replaces the list when editing). extras: your own
/// key/value pairs (replace your earlier ones when editing). createAnyway: create even when identity matching finds targets.
/// </summary>
public sealed record TargetInput
{
    public string? Name { get; init; }
    [Description("sidereal or non-sidereal")]
    public string? Type { get; init; }
    public JsonElement? Ra { get; init; }
    public JsonElement? Dec { get; init; }
    public double? Epoch { get; init; }
    public ElementsInput? Elements { get; init; }
    public List<string>? Aliases { get; init; }
    public Dictionary<string, string>? Extras { get; init; }
    public List<int>? Groups { get; init; }
    public bool CreateAnyway { get; init; }

    internal TargetChange Read(IDictionary<string, FieldError> errors)
    {
        var (ra, dec) = TargetEditor.ReadPosition(Text(Ra), Text(Dec), errors);
        TargetType? type = Type switch
        {
            null => null,
            "sidereal" => TargetType.Sidereal,
            "non-sidereal" or "non_sidereal" => TargetType.NonSidereal,
            _ => null,
        };
        if (Type is not null && type is null)
        {
            errors["type"] = new FieldError("type is sidereal or non-sidereal.");
        }
        foreach (var key in (Extras ?? []).Keys.Where(k => string.IsNullOrWhiteSpace(k) || k.Length > 200))
        {
            errors.TryAdd("extras", new FieldError($"An extra's key is 1 to 200 characters: \"{key}\"."));
        }
        return new TargetChange
        {
            Name = Name, Type = type, Ra = ra, Dec = dec, Epoch = Epoch, Aliases = Aliases,
            Extras = Extras?.Select(e => new KeyValuePair<string, string>(e.Key.Trim(), e.Value ?? "")).ToList(),
            Elements = Elements is { } e ? new OrbitalElements
            {
                Scheme = e.Scheme ?? "", EpochOfElements = e.EpochOfElements, MeanAnomaly = e.MeanAnomaly, ArgOfPerihelion = e.ArgOfPerihelion,
                Eccentricity = e.Eccentricity, LongAscendingNode = e.LongAscendingNode, Inclination = e.Inclination, SemimajorAxis = e.SemimajorAxis,
                MeanDailyMotion = e.MeanDailyMotion, PerihelionDistance = e.PerihelionDistance, EpochOfPerihelion = e.EpochOfPerihelion,
            } : null,
        };

        static string? Text(JsonElement? value) => value switch
        {
            { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
            { ValueKind: JsonValueKind.String } v => v.GetString() is { Length: > 0 } text ? text : "?",
            { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } or null => null,
            _ => "?",
        };
    }
}

/// <summary>TOM's orbital elements: scheme MPC_MINOR_PLANET, MPC_COMET or JPL_MAJOR_PLANET; angles in degrees, distances in AU, epochs as MJD.</summary>
public sealed record ElementsInput(string? Scheme, double? EpochOfElements, double? MeanAnomaly, double? ArgOfPerihelion, double? Eccentricity,
    double? LongAscendingNode, double? Inclination, double? SemimajorAxis, double? MeanDailyMotion, double? PerihelionDistance, double? EpochOfPerihelion);

/// <summary>from: the id of the target merged into this one (and then deleted).</summary>
public sealed record MergeInput(int? From);

/// <summary>A target identity matching found: separationArcsec from the given position, null when it matched by name only.</summary>
public sealed record MatchDto(int Id, string Name, double? SeparationArcsec);
