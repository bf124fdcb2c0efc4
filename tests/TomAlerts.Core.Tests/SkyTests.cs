using TomAlerts.Sky;

namespace TomAlerts.Core.Tests;

public class SkyTests
{
    [Theory]
    [InlineData(150.3157762, "10:01:15.79")]
    [InlineData(0.0, "00:00:00.00")]
    [InlineData(359.99999, "00:00:00.00")] // 23:59:59.9976 rounds up to 24h, which is 0h
    [InlineData(359.9, "23:59:36.00")]
    public void FormatRa_Degrees_GivesHoursMinutesSeconds(double degrees, string expected)
    {
        Assert.Equal(expected, Angles.FormatRa(degrees));
    }

    [Theory]
    [InlineData(2.209430147125912, "+02:12:33.9")]
    [InlineData(-30.5, "-30:30:00.0")]
    [InlineData(-0.25, "-00:15:00.0")]
    public void FormatDec_Degrees_GivesSignedDegreesMinutesSeconds(double degrees, string expected)
    {
        Assert.Equal(expected, Angles.FormatDec(degrees));
    }

    [Theory]
    [InlineData("150.3158", 150.3158)]
    [InlineData("10:01:15.786", 150.315775)]
    [InlineData("10 01 15.786", 150.315775)]
    [InlineData("10h01m15.786s", 150.315775)]
    public void TryParseRa_DecimalOrSexagesimal_GivesDegrees(string text, double expected)
    {
        Assert.True(Angles.TryParseRa(text, out var degrees));
        Assert.Equal(expected, degrees, 5);
    }

    [Theory]
    [InlineData("+02:12:33.95", 2.2094306)]
    [InlineData("-02:12:33.95", -2.2094306)]
    [InlineData("-0:30:00", -0.5)]
    [InlineData("-45.5", -45.5)]
    public void TryParseDec_DecimalOrSexagesimal_GivesDegrees(string text, double expected)
    {
        Assert.True(Angles.TryParseDec(text, out var degrees));
        Assert.Equal(expected, degrees, 5);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("360")]
    [InlineData("-1")]
    [InlineData("25:00:00")]
    [InlineData("10:61:00")]
    [InlineData("")]
    public void TryParseRa_OutsideTheSkyOrNotANumber_IsRejected(string text)
    {
        Assert.False(Angles.TryParseRa(text, out _));
    }

    [Theory]
    [InlineData("95")]
    [InlineData("-90.01")]
    [InlineData("+91:00:00")]
    public void TryParseDec_BeyondThePoles_IsRejected(string text)
    {
        Assert.False(Angles.TryParseDec(text, out _));
    }

    [Fact]
    public void Separation_KnownPairs_AreExact()
    {
        Assert.Equal(1.0, Angles.Separation(10, 0, 11, 0), 9);
        Assert.Equal(90.0, Angles.Separation(0, 0, 0, 90), 9);
        Assert.Equal(0.5, Angles.Separation(359.75, 0, 0.25, 0), 9); // across RA 0
        Assert.Equal(1.0 / 3600, Angles.Separation(150, 2.2, 150 + 1.0 / 3600 / Math.Cos(2.2 * Math.PI / 180), 2.2), 9);
        Assert.Equal(180.0, Angles.Separation(0, 0, 180, 0), 9);
    }

    [Fact]
    public void AstroTime_Mjd_RoundTripsAndKnownEpochs()
    {
        Assert.Equal(new DateTime(2020, 11, 2, 0, 0, 0, DateTimeKind.Utc), AstroTime.FromMjd(59155));
        Assert.Equal(new DateTime(2000, 1, 1, 12, 0, 0, DateTimeKind.Utc), AstroTime.FromJd(2451545.0));
        Assert.Equal(60240.41234, AstroTime.ToMjd(AstroTime.FromMjd(60240.41234)), 7);
    }

    [Fact]
    public void Galactic_GalacticCentreAndNorthPole_LandWhereTheyShould()
    {
        var (l, b) = Galactic.FromEquatorial(266.40499, -28.93617);
        var (_, poleB) = Galactic.FromEquatorial(192.85948, 27.12825);

        Assert.True(l < 0.01 || l > 359.99, $"l = {l}");
        Assert.Equal(0, b, 2);
        Assert.Equal(90, poleB, 3);
    }

    [Theory]
    [InlineData(150.0, 2.2, 2.0 / 3600)]
    [InlineData(0.0001, 10.0, 0.5)]
    [InlineData(359.9, -45.0, 1.0)]
    [InlineData(10.0, 89.99, 0.1)]
    public void SkyZones_Bounds_ContainEveryPointOfTheCone(double ra, double dec, double radius)
    {
        var bounds = SkyZones.Bounds(ra, dec, radius);
        var random = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var pointRa = (ra + (random.NextDouble() * 2 - 1) * 180 + 360) % 360;
            var pointDec = Math.Clamp(dec + (random.NextDouble() * 2 - 1) * radius * 1.5, -90, 90);
            if (i % 2 == 0)
            {
                // Points near the centre, where the cone actually is.
                pointRa = (ra + (random.NextDouble() * 2 - 1) * radius * 3 / Math.Max(0.01, Math.Cos(dec * Math.PI / 180)) + 360) % 360;
            }
            if (Angles.Separation(ra, dec, pointRa, pointDec) > radius)
            {
                continue;
            }
            var zone = SkyZones.ZoneOf(pointDec);
            Assert.InRange(zone, bounds.MinZone, bounds.MaxZone);
            Assert.Contains(bounds.RaRanges, r => pointRa >= r.Min && pointRa <= r.Max);
        }
    }
}
