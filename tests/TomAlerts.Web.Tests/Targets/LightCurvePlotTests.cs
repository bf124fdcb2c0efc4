using System.Text.Json;
using TomAlerts.Brokers;
using TomAlerts.Sky;
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

    [Fact]
    public void Json_EveryPoint_CarriesItsMjdItsBrokerAndRoundedText()
    {
        var row = Row(PhotometryKind.Detection, "ZTF", "g", magnitude: 18.123456789);
        row.MagnitudeError = 0.0537;
        row.OtherSources = "Lasair";

        var point = JsonDocument.Parse(LightCurvePlot.Json([row])).RootElement[0].GetProperty("detections")[0];

        Assert.Equal(Math.Round(AstroTime.ToMjd(When), 5), point.GetProperty("mjd").GetDouble());
        Assert.Equal(61110.15129, point.GetProperty("mjd").GetDouble()); // 2026-03-11 03:37:51.862 UTC is MJD 61110.1512947
        Assert.Equal("ALeRCE", point.GetProperty("b").GetString()); // the shape is the first broker's
        Assert.Equal("ALeRCE, Lasair", point.GetProperty("s").GetString());
        Assert.Equal("18.123 ± 0.054", point.GetProperty("mt").GetString());
        Assert.Equal(18.123456789, point.GetProperty("m").GetDouble()); // the plotted value itself is not rounded
    }

    [Fact]
    public void Json_LimitAndFlux_TextRoundedToTheirPrecision()
    {
        var series = JsonDocument.Parse(LightCurvePlot.Json(
        [
            Row(PhotometryKind.Limit, "ZTF", "r", limit: 20.739099502563477),
            Row(PhotometryKind.Forced, "LSST", "r", flux: 2978.302512345, unit: "nJy"),
        ])).RootElement;

        var lsst = series.EnumerateArray().Single(s => s.GetProperty("survey").GetString() == "LSST");
        var ztf = series.EnumerateArray().Single(s => s.GetProperty("survey").GetString() == "ZTF");
        Assert.Equal("> 20.74", ztf.GetProperty("limits")[0].GetProperty("mt").GetString());
        Assert.Equal("2978 ± 100 nJy", lsst.GetProperty("forced")[0].GetProperty("ft").GetString());
    }

    [Theory]
    [InlineData(0.10776325315237045, 3, 2)] // 19.86 ± 0.11
    [InlineData(0.0537, 3, 3)]
    [InlineData(131.2043, 0, 0)] // 2302 ± 131
    [InlineData(0.0000001, 3, 6)] // never more than six
    [InlineData(null, 3, 3)]
    [InlineData(0.0, 2, 2)]
    public void Decimals_TwoSignificantDigitsOfTheError(double? error, int fallback, int decimals) =>
        Assert.Equal(decimals, LightCurvePlot.Decimals(error, fallback));

    [Fact]
    public void MagnitudeText_ValueWithItsErrorOrALimit()
    {
        Assert.Equal("19.86 ± 0.11", LightCurvePlot.MagnitudeText(19.85526466369629, 0.10776325315237045, null));
        Assert.Equal("19.855", LightCurvePlot.MagnitudeText(19.85526466369629, null, null));
        Assert.Equal("> 20.74", LightCurvePlot.MagnitudeText(null, null, 20.739099502563477));
        Assert.Equal("", LightCurvePlot.MagnitudeText(null, null, null));
    }
}
