using TomAlerts.Brokers;
using TomAlerts.Sky;

namespace TomAlerts.Core.Tests;

public sealed class FluxMagnitudesTests
{
    private static readonly DateTime When = new(2026, 3, 4, 3, 10, 22, DateTimeKind.Utc);

    [Theory]
    [InlineData(3.631e12, 0.0)] // 3631 Jy is AB 0 (the zero point 31.4 is 31.40008 rounded, as ALeRCE and ANTARES use it)
    [InlineData(1000, 23.9)]
    [InlineData(2459.35, 22.9229)] // an LSST alert's psfFlux as ANTARES converts it
    public void Magnitude_KnownFluxes(double nanojansky, double magnitude) =>
        Assert.Equal(magnitude, FluxMagnitudes.Magnitude(nanojansky), 3);

    [Fact]
    public void FromFlux_PositiveAndSignificant_IsAMagnitudeWithItsErrorAndKeepsTheFlux()
    {
        var point = FluxMagnitudes.FromFlux(When, "r", 1000, 100, "nJy")!;

        Assert.Equal(23.9, point.Magnitude!.Value, 6);
        Assert.Equal(0.10857, point.MagnitudeError!.Value, 5);
        Assert.Null(point.Limit);
        Assert.Equal((1000d, 100d, "nJy"), (point.Flux!.Value, point.FluxError!.Value, point.FluxUnit));
        Assert.Equal(PhotometryKind.Detection, point.Kind);
    }

    [Theory]
    [InlineData(-250, 100)] // fainter than the template
    [InlineData(0, 100)]
    [InlineData(250, 100)] // S/N 2.5, below 3
    public void FromFlux_NegativeOrLowSignal_IsALimitNeverAMagnitude(double flux, double error)
    {
        var point = FluxMagnitudes.FromFlux(When, "g", flux, error, "nJy")!;

        Assert.Null(point.Magnitude);
        Assert.Equal(31.4 - 2.5 * Math.Log10(3 * error), point.Limit!.Value, 9); // the flux of a 3-sigma detection
        Assert.Equal(PhotometryKind.Limit, point.Kind);
        Assert.Equal(flux, point.Flux);
    }

    [Fact]
    public void FromFlux_ForcedPointOfLowSignal_StaysForcedAsALimit()
    {
        var point = FluxMagnitudes.FromFlux(When, "y", -40, 60, "nJy", PhotometryKind.Forced)!;

        Assert.Equal(PhotometryKind.Forced, point.Kind);
        Assert.Null(point.Magnitude);
        Assert.NotNull(point.Limit);
    }

    [Theory]
    [InlineData("mJy", 0.001, 23.9)]
    [InlineData("uJy", 1, 23.9)]
    [InlineData("µJy", 1, 23.9)]
    [InlineData("Jy", 3631, 0.0)]
    public void FromFlux_OtherFluxDensityUnits_ConvertToTheSameMagnitude(string unit, double flux, double magnitude) =>
        Assert.Equal(magnitude, FluxMagnitudes.FromFlux(When, "g", flux, null, unit)!.Magnitude!.Value, 3);

    [Fact]
    public void FromFlux_NoErrorButABrokerLimitFlux_IsThatLimit()
    {
        var point = FluxMagnitudes.FromFlux(When, "g", null, null, "nJy", limitFlux: 1000)!;

        Assert.Equal(23.9, point.Limit!.Value, 6);
    }

    [Theory]
    [InlineData("erg/s/cm2/A")]
    [InlineData("ABMag")]
    public void FromFlux_NotAFluxDensity_IsNotConverted(string unit) =>
        Assert.Null(FluxMagnitudes.FromFlux(When, "g", 1e-17, null, unit));

    [Theory]
    [InlineData(-500.0, 100.0, null, 25.207)]
    [InlineData(0.0, 100.0, null, 25.207)]
    [InlineData(200.0, 100.0, null, 25.207)]
    [InlineData(299.0, 100.0, null, 25.207)]
    [InlineData(-500.0, 100.0, 250.0, 25.405)] // the broker's own limiting flux wins
    [InlineData(null, null, 250.0, 25.405)]
    public void FromFlux_BelowThreeSigma_IsALimitAtThreeSigmaOrTheBrokersLimit(double? flux, double? error, double? limitFlux, double limit)
    {
        var point = FluxMagnitudes.FromFlux(When, "r", flux, error, "nJy", limitFlux: limitFlux)!;

        Assert.Null(point.Magnitude);
        Assert.Null(point.MagnitudeError);
        Assert.Equal(limit, point.Limit!.Value, 3);
        Assert.Equal((flux, error), (point.Flux, point.FluxError));
    }

    [Fact]
    public void FromFlux_HigherThreshold_MakesAModestFluxALimit()
    {
        Assert.NotNull(FluxMagnitudes.FromFlux(When, "g", 400, 100, "nJy")!.Magnitude);
        var strict = FluxMagnitudes.FromFlux(When, "g", 400, 100, "nJy", minSignalToNoise: 5)!;
        Assert.Null(strict.Magnitude);
        Assert.Equal(31.4 - 2.5 * Math.Log10(500), strict.Limit!.Value, 9);
    }

    [Fact]
    public void FromFlux_NegativeWithNothingToMakeALimitOf_IsNothing() =>
        Assert.Null(FluxMagnitudes.FromFlux(When, "g", -5, null, "nJy"));

    [Fact]
    public void Flux_IsTheReverseOfMagnitude() => Assert.Equal(1000, FluxMagnitudes.Flux(23.9), 6);

    [Fact]
    public void FromMjdTai_IsThirtySevenSecondsEarlierInUtc() =>
        Assert.Equal(AstroTime.FromMjd(61000) - TimeSpan.FromSeconds(37), AstroTime.FromMjdTai(61000));
}
