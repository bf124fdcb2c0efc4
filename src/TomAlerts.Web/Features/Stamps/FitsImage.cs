using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace TomAlerts.Web.Features.Stamps;

/// <summary>A stamp that cannot be read or is larger than the portal accepts; its message says why in plain words.</summary>
public sealed class StampFormatException(string message) : Exception(message);

/// <summary>
/// The first 2-D image of a FITS file (gzipped or not), as doubles, row 0 at the top (north up for the usual
/// orientation: FITS stores row 1 at the bottom). NaN marks blank pixels (NaN in float data, BLANK in integer data).
/// Reads only what the stamp brokers send: the primary HDU, or the first image extension when the primary is empty
/// (Rubin's cutouts put the image in extension 1, with mask and variance after it).
/// </summary>
public sealed class FitsImage
{
    /// <summary>The largest FITS file (after gunzip) read; a gzip bomb stops here.</summary>
    public const int MaxBytes = 32 * 1024 * 1024;

    /// <summary>The largest side accepted; broker cutouts are 63 (ZTF) to a few hundred pixels.</summary>
    public const int MaxSide = 4096;

    public const int MaxPixels = 4 * 1024 * 1024;

    private const int BlockSize = 2880;
    private const int CardSize = 80;
    private const int MaxHeaderBlocks = 200;
    private const int MaxHdus = 8;

    private FitsImage(int width, int height, double[] pixels)
    {
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Row-major, <see cref="Width"/> × <see cref="Height"/>, top row first.</summary>
    public double[] Pixels { get; }

    public static bool IsGzip(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 0x1F && data[1] == 0x8B;

    public static bool IsFits(ReadOnlySpan<byte> data) => data.Length >= 9 && data[..9].SequenceEqual("SIMPLE  ="u8);

    /// <summary>Reads <paramref name="data"/>, gunzipping it first when it is gzip.</summary>
    public static FitsImage Read(byte[] data)
    {
        var bytes = IsGzip(data) ? Gunzip(data) : data;
        if (!IsFits(bytes))
        {
            throw new StampFormatException("The cutout is not a FITS file.");
        }
        long offset = 0;
        for (var hdu = 0; hdu < MaxHdus && offset < bytes.Length; hdu++)
        {
            var header = ReadHeader(bytes, ref offset);
            var bitpix = (int)(header.Int("BITPIX") ?? throw new StampFormatException("The FITS header has no BITPIX."));
            if (bitpix is not (8 or 16 or 32 or 64 or -32 or -64))
            {
                throw new StampFormatException($"The FITS BITPIX {bitpix} is not a valid pixel type.");
            }
            var naxis = header.Int("NAXIS") ?? 0;
            if (naxis is < 0 or > 999)
            {
                throw new StampFormatException("The FITS NAXIS is out of range.");
            }
            var axes = new long[naxis];
            for (var i = 0; i < naxis; i++)
            {
                axes[i] = header.Int($"NAXIS{i + 1}") ?? throw new StampFormatException($"The FITS header has no NAXIS{i + 1}.");
                if (axes[i] is < 0 or > MaxPixels)
                {
                    throw new StampFormatException($"The FITS image axis {i + 1} ({axes[i]}) is out of range.");
                }
            }
            var isImage = hdu == 0 || string.Equals(header.Text("XTENSION"), "IMAGE", StringComparison.Ordinal);
            if (isImage && naxis >= 2 && axes[0] > 0 && axes[1] > 0 && axes.Skip(2).All(a => a == 1))
            {
                return ReadImage(bytes, offset, header, bitpix, (int)Math.Min(axes[0], int.MaxValue), (int)Math.Min(axes[1], int.MaxValue));
            }
            // Not an image to show: skip its data (|BITPIX|/8 × (PCOUNT + GCOUNT × ∏NAXIS)), padded to whole blocks.
            long count = naxis == 0 ? 0 : 1;
            foreach (var axis in axes)
            {
                count = checked(count * axis);
                if (count > MaxBytes)
                {
                    throw new StampFormatException("A FITS extension is larger than a cutout can be.");
                }
            }
            var size = Math.Abs(bitpix) / 8 * ((header.Int("PCOUNT") ?? 0) + (header.Int("GCOUNT") ?? 1) * count);
            offset += (size + BlockSize - 1) / BlockSize * BlockSize;
        }
        throw new StampFormatException("The FITS file holds no 2-D image.");
    }

    private static FitsImage ReadImage(byte[] bytes, long offset, FitsHeader header, int bitpix, int width, int height)
    {
        if (width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
        {
            throw new StampFormatException($"The FITS image is {width}×{height} pixels, larger than a cutout can be.");
        }
        var bytesPerPixel = Math.Abs(bitpix) / 8;
        var needed = (long)width * height * bytesPerPixel;
        if (offset + needed > bytes.Length)
        {
            throw new StampFormatException("The FITS file is cut short: its image data is incomplete.");
        }
        var scale = header.Double("BSCALE") ?? 1.0;
        var zero = header.Double("BZERO") ?? 0.0;
        long? blank = bitpix > 0 ? header.Int("BLANK") : null;
        var data = bytes.AsSpan((int)offset, (int)needed);
        var pixels = new double[width * height];
        for (var row = 0; row < height; row++)
        {
            var target = (height - 1 - row) * width; // FITS row 1 is the bottom one
            for (var x = 0; x < width; x++)
            {
                var at = (row * width + x) * bytesPerPixel;
                var cell = data.Slice(at, bytesPerPixel);
                double value;
                switch (bitpix)
                {
                    case 8:
                        value = Physical(cell[0], blank, scale, zero);
                        break;
                    case 16:
                        value = Physical(BinaryPrimitives.ReadInt16BigEndian(cell), blank, scale, zero);
                        break;
                    case 32:
                        value = Physical(BinaryPrimitives.ReadInt32BigEndian(cell), blank, scale, zero);
                        break;
                    case 64:
                        value = Physical(BinaryPrimitives.ReadInt64BigEndian(cell), blank, scale, zero);
                        break;
                    case -32:
                        value = BinaryPrimitives.ReadSingleBigEndian(cell) * scale + zero;
                        break;
                    default:
                        value = BinaryPrimitives.ReadDoubleBigEndian(cell) * scale + zero;
                        break;
                }
                pixels[target + x] = double.IsFinite(value) ? value : double.NaN;
            }
        }
        return new FitsImage(width, height, pixels);
    }

    private static double Physical(long raw, long? blank, double scale, double zero) => raw == blank ? double.NaN : raw * scale + zero;

    private static byte[] Gunzip(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > MaxBytes)
                {
                    throw new StampFormatException("The gzipped cutout unpacks to more than a cutout can be.");
                }
                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException)
        {
            throw new StampFormatException("The gzipped cutout is damaged.");
        }
        return output.ToArray();
    }

    private static FitsHeader ReadHeader(byte[] bytes, ref long offset)
    {
        var header = new FitsHeader();
        for (var block = 0; block < MaxHeaderBlocks; block++)
        {
            if (offset + BlockSize > bytes.Length)
            {
                throw new StampFormatException("The FITS header is cut short.");
            }
            for (var card = 0; card < BlockSize / CardSize; card++)
            {
                var text = Encoding.ASCII.GetString(bytes, (int)offset + card * CardSize, CardSize);
                var keyword = text[..8].TrimEnd();
                if (keyword == "END")
                {
                    offset += BlockSize;
                    return header;
                }
                if (text.Length > 10 && text[8] == '=' && text[9] == ' ')
                {
                    header.Add(keyword, text[10..]);
                }
            }
            offset += BlockSize;
        }
        throw new StampFormatException("The FITS header has no END.");
    }

    /// <summary>The value cards of one header, keyword to raw value text (comment removed).</summary>
    private sealed class FitsHeader
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public void Add(string keyword, string value)
        {
            var text = value.TrimStart();
            if (text.StartsWith('\''))
            {
                var end = text.IndexOf('\'', 1);
                _values.TryAdd(keyword, end > 0 ? text[..(end + 1)] : text);
                return;
            }
            var slash = text.IndexOf('/');
            _values.TryAdd(keyword, (slash >= 0 ? text[..slash] : text).Trim());
        }

        public long? Int(string keyword) =>
            _values.TryGetValue(keyword, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

        public double? Double(string keyword) =>
            _values.TryGetValue(keyword, out var v)
            && double.TryParse(v.Replace('D', 'E'), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;

        public string? Text(string keyword) =>
            _values.TryGetValue(keyword, out var v) ? v.Trim('\'').TrimEnd() : null;
    }
}
