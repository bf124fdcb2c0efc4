using Microsoft.AspNetCore.Mvc;
using TomAlerts.Data;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Web.Features.ConeSearch;

/// <summary>The cone search as JSON: the same rows as the page. Needs a signed-in user, like every page.</summary>
[ApiController]
[Route("api/v1/search")]
public sealed class ConeSearchApiController(AppDbContext db, ConeSearcher search, TargetAccess access) : ControllerBase
{
    [HttpGet("cone")]
    public async Task<IActionResult> Cone(string? ra, string? dec, string? radiusArcsec, string? target, CancellationToken cancellationToken)
    {
        var form = await ConeSearchForm.ReadAsync(db, access, User, ra, dec, target, radiusArcsec, search.Options, cancellationToken);
        if (!form.IsValid)
        {
            var errors = form.IsEmpty
                ? new Dictionary<string, string[]> { ["ra"] = ["Give ra and dec (degrees or sexagesimal), or the name of a target."] }
                : form.Errors.ToDictionary().ToDictionary(e => e.Key == ConeSearchForm.RadiusField ? "radiusArcsec" : e.Key, e => e.Value);
            return ValidationProblem(new ValidationProblemDetails(errors) { Title = "The cone search could not be run." });
        }
        var result = await search.SearchAsync(form.Position!, cancellationToken);
        return Ok(new
        {
            query = new { ra = result.Position.Ra, dec = result.Position.Dec, radiusArcsec = result.Position.RadiusArcsec, target = form.FoundTarget?.Name },
            mergeRadiusArcsec = result.MergeRadiusArcsec,
            brokers = result.Brokers.Select(b => new { broker = b.Broker, status = b.StateName, message = b.Message, count = b.Count, capped = b.Capped }),
            rows = result.Rows.Select(r => new
            {
                ra = r.Ra, dec = r.Dec, separationArcsec = r.SeparationArcsec, names = r.Names,
                brokers = r.ByBroker.ToDictionary(b => b.Key, b => b.Value.Select(e => new
                {
                    alertId = e.AlertId, name = e.Name, ra = e.Ra, dec = e.Dec, mag = e.Mag, classification = e.Classification, url = e.Url,
                    timestamp = e.Timestamp, separationArcsec = e.SeparationArcsec,
                })),
            }),
        });
    }
}
