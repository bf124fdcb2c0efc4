using System.Runtime.InteropServices;
using SkiaSharp;
using TomAlerts.Brokers;

namespace TomAlerts.Web.Features.Stamps;

/// <summary>
/// Turns a broker's cutout into the PNG the portal serves: FITS (gzipped or not) through <see cref="FitsImage"/>,
/// stretched linearly over the <see cref="ZScale"/> range into grey levels, blank pixels black; PNG or JPEG stamps
/// decoded and encoded again, so every answer is a PNG that Skia has checked.
/// </summary>
public sealed class StampRenderer
{
    public byte[] Render(Stamp stamp)
    {
        var data = stamp.Data;
        if (FitsImage.IsGzip(data) || FitsImage.IsFits(data))
        {
            return RenderFits(FitsImage.Read(data));
        }
        return Reencode(data);
    }

    public static byte[] RenderFits(FitsImage image)
    {
        var grey = new byte[image.Width * image.Height];
        if (ZScale.Range(image.Pixels) is var (low, high))
        {
            var span = high - low;
            for (var i = 0; i < grey.Length; i++)
            {
                var value = image.Pixels[i];
                grey[i] = !double.IsFinite(value) ? (byte)0
                    : span <= 0 ? (byte)128
                    : (byte)Math.Round(255 * Math.Clamp((value - low) / span, 0, 1));
            }
        }
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque));
        var rowBytes = bitmap.RowBytes;
        var pixels = bitmap.GetPixels();
        for (var row = 0; row < image.Height; row++)
        {
            Marshal.Copy(grey, row * image.Width, pixels + row * rowBytes, image.Width);
        }
        return Encode(bitmap);
    }

    private static byte[] Reencode(byte[] data)
    {
        using var stream = new SKMemoryStream(data);
        using var codec = SKCodec.Create(stream) ?? throw new StampFormatException("The cutout is neither FITS nor an image the portal can read.");
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || info.Width > FitsImage.MaxSide || info.Height > FitsImage.MaxSide
            || (long)info.Width * info.Height > FitsImage.MaxPixels)
        {
            throw new StampFormatException($"The cutout is {info.Width}×{info.Height} pixels, larger than a cutout can be.");
        }
        using var bitmap = new SKBitmap(new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            throw new StampFormatException("The cutout image is damaged.");
        }
        return Encode(bitmap);
    }

    private static byte[] Encode(SKBitmap bitmap)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100) ?? throw new StampFormatException("The cutout could not be encoded as PNG.");
        return png.ToArray();
    }
}
