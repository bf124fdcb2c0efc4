using Microsoft.AspNetCore.Mvc;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.Exports;

/// <summary>The pages' download buttons (browser login); scripts use the same exports under /api/v1.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ExportsController(ExportService exports) : Controller
{
    [HttpGet("alerts/run/{id:long}/export")]
    public async Task<IActionResult> RunAlerts(long id, string? format, CancellationToken cancellationToken)
    {
        if (!TableExporter.TryParse(format, out var parsed))
        {
            return BadFormat(format);
        }
        return await exports.RunAlertsAsync(id, parsed, User, cancellationToken) ?? this.NotFoundPage($"There is no run {id}.");
    }

    [HttpGet("targets/export")]
    public IActionResult Targets(string? format, string? name, string? ra, string? dec, string? radius, string? sort, [FromQuery] int[]? ids)
    {
        if (!TableExporter.TryParse(format, out var parsed))
        {
            return BadFormat(format);
        }
        var filter = new TargetFilter(name, ra, dec, radius) { Sort = TargetSort.Parse(sort), Ids = ids is { Length: > 0 } ? ids : null };
        var errors = filter.Validate();
        return errors.Count > 0
            ? this.ProblemPage(StatusCodes.Status400BadRequest, "The target search is not valid", string.Join(" ", errors.Values), "/targets/", "Back to the targets")
            : exports.Targets(filter, parsed, User);
    }

    [HttpGet("targets/{id:int}/photometry/export")]
    public async Task<IActionResult> Photometry(int id, string? format, CancellationToken cancellationToken)
    {
        if (!TableExporter.TryParse(format, out var parsed))
        {
            return BadFormat(format);
        }
        return await exports.PhotometryAsync(id, parsed, User, cancellationToken) ?? this.NotFoundPage($"There is no target {id}.");
    }

    private ViewResult BadFormat(string? format) => this.ProblemPage(StatusCodes.Status400BadRequest, "Unknown download format",
        $"'{format}' is not a download format: use csv, json or votable.");
}
