using SkiaSharp;
using TomAlerts.Brokers;
using TomAlerts.Web.Features.Stamps;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Stamps;

public sealed class StampRendererTests
{
    private readonly StampRenderer _renderer = new();

    private static SKBitmap Decode(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png[..4]);
        return SKBitmap.Decode(png);
    }

    private static byte Grey(SKBitmap bitmap, int x, int y) => bitmap.GetPixel(x, y).Red;

    [Fact]
    public void Render_FloatFitsWithGaussianSource_IsPngOfSameSizeWithSourceBrighterThanSky()
    {
        using var bitmap = Decode(_renderer.Render(new Stamp(TestFits.GaussianSource(), "application/fits")));

        Assert.Equal(63, bitmap.Width);
        Assert.Equal(63, bitmap.Height);
        var values = Enumerable.Range(0, 63 * 63).Select(i => Grey(bitmap, i % 63, i / 63)).ToList();
        Assert.True(values.Distinct().Count() > 10, "The stamp is blank or nearly so.");
        var sky = values.Order().ElementAt(values.Count / 2);
        Assert.True(Grey(bitmap, 31, 31) > sky + 100, $"Source {Grey(bitmap, 31, 31)} is not brighter than the sky {sky}.");
        Assert.Equal(255, Grey(bitmap, 31, 31)); // zscale saturates a bright star
    }

    [Fact]
    public void Render_GzippedFits_IsTheSameImage()
    {
        var fits = TestFits.GaussianSource();

        Assert.Equal(_renderer.Render(new Stamp(fits, "application/fits")), _renderer.Render(new Stamp(TestFits.Gzip(fits), "application/octet-stream")));
    }

    [Fact]
    public void Render_SourceNearFitsRowOne_IsDrawnAtTheBottom()
    {
        using var bitmap = Decode(_renderer.Render(new Stamp(TestFits.GaussianSource(sourceX: 31, sourceY: 5), "application/fits")));

        Assert.True(Grey(bitmap, 31, 62 - 5) > Grey(bitmap, 31, 5) + 100, "North is not up: FITS row 1 must be the bottom row.");
    }

    [Fact]
    public void Render_Int16WithScaleAndBlank_ShowsBlankPixelsBlack()
    {
        var values = Enumerable.Range(0, 16 * 16).Select(i => (short)(i % 16 * 100 - 1000)).ToArray();
        values[0] = -32768;
        var fits = TestFits.Int16(16, 16, values, ("BSCALE", "2.0"), ("BZERO", "32768.0"), ("BLANK", "-32768"));

        using var bitmap = Decode(_renderer.Render(new Stamp(fits, "application/fits")));

        Assert.Equal(0, Grey(bitmap, 0, 15)); // the first stored pixel is the bottom-left one
        Assert.True(Grey(bitmap, 15, 0) > Grey(bitmap, 1, 0), "Brighter columns are not brighter.");
    }

    [Fact]
    public void Render_PngFromBroker_IsReencodedPng()
    {
        using var source = new SKBitmap(20, 10);
        source.Erase(SKColors.OrangeRed);
        var png = SKImage.FromBitmap(source).Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();

        using var bitmap = Decode(_renderer.Render(new Stamp(png, "image/jpeg")));

        Assert.Equal((20, 10), (bitmap.Width, bitmap.Height));
    }

    [Theory]
    [InlineData(100000, 100000)]
    [InlineData(5000, 10)]
    [InlineData(-5, 10)]
    public void Render_HeaderClaimsHugeOrNegativeImage_IsRefusedWithoutAllocating(int width, int height)
    {
        var fits = TestFits.File(-32, width, height, new byte[2880]);

        Assert.Throws<StampFormatException>(() => _renderer.Render(new Stamp(fits, "application/fits")));
    }

    [Fact]
    public void Render_DataCutShort_IsRefused()
    {
        var fits = TestFits.File(-32, 63, 63, new byte[100]);

        var e = Assert.Throws<StampFormatException>(() => _renderer.Render(new Stamp(fits, "application/fits")));
        Assert.Contains("cut short", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NotAnImage_IsRefused()
    {
        Assert.Throws<StampFormatException>(() => _renderer.Render(new Stamp("<html>oops</html>"u8.ToArray(), "text/html")));
    }

    [Fact]
    public void ZScale_MatchesAstropyOnALinearRamp()
    {
        // astropy: ZScaleInterval().get_limits(np.arange(100.0)) == (0.0, 99.0): the range is clipped to the data's extremes.
        Assert.Equal((0.0, 99.0), ZScale.Range(Enumerable.Range(0, 100).Select(i => (double)i).ToList()));
    }
}
