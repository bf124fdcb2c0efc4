using System.Text.Json;
using TomAlerts.Brokers;
using TomAlerts.Targets;
using TomAlerts.Web.Features.LightCurves;

namespace TomAlerts.Web.Tests.Targets;

public class LightCurvePlotTests
{
    private static readonly DateTime When = new(2026, 3, 11, 3, 37, 51, 862, DateTimeKind.Utc);

    private static Photometry Row(PhotometryKind kind, string? survey, string band, double? magnitude = null, double? limit = null, double? flux = null, string? unit = null) => new()
    {
        Source = "ALeRCE", SourceLocation = "x", Timestamp = When, Bandpass = band, Kind = kind, Survey = survey,
        Magnitude = magnitude, MagnitudeError = magnitude is null ? null : 0.1, Limit = limit, Flux = flux, FluxError = flux is null ? null : 100, FluxUnit = unit,
    };

    [Fact]
    public void Json_ForcedAndLimitRows_AreNeverDetections()
    {
        // A forced point bright enough for a magnitude still is forced photometry, not a detection.
        var json = JsonDocument.Parse(LightCurvePlot.Json(
        [
            Row(PhotometryKind.Forced, "LSST", "g", magnitude: 22.0, flux: 5754.4, unit: "nJy"),
            Row(PhotometryKind.Forced, "LSST", "g", limit: 23.5, flux: -200, unit: "nJy"),
            Row(PhotometryKind.Limit, "LSST", "g", limit: 23.9),
            Row(PhotometryKind.Detection, "LSST", "g", magnitude: 21.0, flux: 14454.4, unit: "nJy"),
        ])).RootElement;

        var series = Assert.Single(json.EnumerateArray());
        Assert.Equal(1, series.GetProperty("detections").GetArrayLength());
        Assert.Equal(21.0, series.GetProperty("detections")[0].GetProperty("m").GetDouble());
        Assert.Equal(2, series.GetProperty("forced").GetArrayLength());
        Assert.Equal(-200, series.GetProperty("forced")[1].GetProperty("f").GetDouble());
        Assert.True(series.GetProperty("forced")[1].GetProperty("l").GetBoolean());
        Assert.Equal(1, series.GetProperty("limits").GetArrayLength());
    }

    [Fact]
    public void Json_SameBandOfTwoSurveys_AreTwoSeriesAndMagnitudesGetAFlux()
    {
        var json = JsonDocument.Parse(LightCurvePlot.Json(
        [
            Row(PhotometryKind.Detection, "ZTF", "g", magnitude: 19.0),
            Row(PhotometryKind.Detection, "LSST", "g", magnitude: 22.0, flux: 0.0057544, unit: "uJy"),
        ])).RootElement;

        Assert.Equal([("LSST", "g"), ("ZTF", "g")], json.EnumerateArray().Select(s => (s.GetProperty("survey").GetString(), s.GetProperty("band").GetString())));
        var ztf = json[1].GetProperty("detections")[0];
        Assert.Equal(FluxMagnitudes.Flux(19.0), ztf.GetProperty("f").GetDouble(), 6);
        Assert.Equal(FluxMagnitudes.FluxError(FluxMagnitudes.Flux(19.0), 0.1), ztf.GetProperty("fe").GetDouble(), 6);
        Assert.Equal(5.7544, json[0].GetProperty("detections")[0].GetProperty("f").GetDouble(), 6); // µJy in nJy
    }
}
