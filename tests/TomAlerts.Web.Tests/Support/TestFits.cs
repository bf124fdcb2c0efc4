using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace TomAlerts.Web.Tests.Support;

/// <summary>Small FITS cutouts as the brokers send them: a 2-D image in the primary HDU, header cards in 2880-byte blocks.</summary>
public static class TestFits
{
    /// <summary>
    /// A ZTF-like 63×63 float32 science cutout: sky of 100 counts with Gaussian noise (σ 5) and a star of peak 2000 and
    /// σ 2 pixels at (<paramref name="sourceX"/>, <paramref name="sourceY"/>), zero-based FITS pixel coordinates (y up).
    /// </summary>
    public static byte[] GaussianSource(int size = 63, double sourceX = 31, double sourceY = 31, int seed = 42)
    {
        var random = new Random(seed);
        var values = new float[size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                var r2 = (x - sourceX) * (x - sourceX) + (y - sourceY) * (y - sourceY);
                values[y * size + x] = (float)(100 + 5 * noise + 2000 * Math.Exp(-r2 / (2 * 2.0 * 2.0)));
            }
        }
        return Float32(size, size, values);
    }

    /// <summary>A BITPIX -32 image, <paramref name="values"/> in FITS order (first row is the bottom).</summary>
    public static byte[] Float32(int width, int height, float[] values, params (string Key, string Value)[] extraCards)
    {
        var data = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleBigEndian(data.AsSpan(i * 4), values[i]);
        }
        return File(-32, width, height, data, extraCards);
    }

    /// <summary>A BITPIX 16 image with BSCALE/BZERO and BLANK cards as given.</summary>
    public static byte[] Int16(int width, int height, short[] values, params (string Key, string Value)[] extraCards)
    {
        var data = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(data.AsSpan(i * 2), values[i]);
        }
        return File(16, width, height, data, extraCards);
    }

    /// <summary>A FITS file whose header says <paramref name="width"/>×<paramref name="height"/> over the data given (which may not match).</summary>
    public static byte[] File(int bitpix, int width, int height, byte[] data, params (string Key, string Value)[] extraCards)
    {
        var cards = new List<string>
        {
            Card("SIMPLE", "T"), Card("BITPIX", bitpix.ToString(CultureInfo.InvariantCulture)), Card("NAXIS", "2"),
            Card("NAXIS1", width.ToString(CultureInfo.InvariantCulture)), Card("NAXIS2", height.ToString(CultureInfo.InvariantCulture)),
        };
        cards.AddRange(extraCards.Select(c => Card(c.Key, c.Value)));
        cards.Add("END".PadRight(80));
        var header = Pad(Encoding.ASCII.GetBytes(string.Concat(cards)), (byte)' ');
        return [.. header, .. Pad(data, 0)];
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    private static string Card(string key, string value) => $"{key,-8}= {value,20} / test card".PadRight(80)[..80];

    private static byte[] Pad(byte[] bytes, byte fill)
    {
        var length = (bytes.Length + 2879) / 2880 * 2880;
        var padded = new byte[length];
        Array.Fill(padded, fill);
        bytes.CopyTo(padded, 0);
        return padded;
    }
}
