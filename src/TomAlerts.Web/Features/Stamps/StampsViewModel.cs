namespace TomAlerts.Web.Features.Stamps;

/// <summary>The three cutouts shown side by side; no URLs when the alert's broker serves none.</summary>
public sealed record StampsViewModel(string? ScienceUrl, string? TemplateUrl, string? DifferenceUrl)
{
    public static readonly StampsViewModel None = new(null, null, null);

    public bool HasStamps => ScienceUrl is not null;

    /// <summary>The page addresses of a run alert's stamps (the broker's alert id, escaped as one path segment).</summary>
    public static StampsViewModel ForRunAlert(long runId, string alertId) =>
        From($"/alerts/run/{runId}/alerts/{Uri.EscapeDataString(alertId)}/stamps/");

    public static StampsViewModel ForTarget(int targetId) => From($"/targets/{targetId}/stamps/");

    private static StampsViewModel From(string prefix) => new(prefix + "science", prefix + "template", prefix + "difference");
}
