namespace TomAlerts.Web.Features.LightCurves;

/// <summary>A target's light curve as the plot script (wwwroot/js/lightcurve.js) reads it: detections and limits per band.</summary>
public static class LightCurvePlot
{
    public static string Json(IEnumerable<TomAlerts.Targets.Photometry> photometry) => System.Text.Json.JsonSerializer.Serialize(
        photometry.GroupBy(p => p.Bandpass).Select(g => new
        {
            band = g.Key,
            detections = g.Where(p => p.Magnitude is not null).Select(p => new { t = Time(p.Timestamp), m = p.Magnitude, e = p.MagnitudeError, s = p.Source }),
            limits = g.Where(p => p.Magnitude is null && p.Limit is not null).Select(p => new { t = Time(p.Timestamp), m = p.Limit, s = p.Source }),
        }));

    private static string Time(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}
