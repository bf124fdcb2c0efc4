using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TomAlerts.Brokers;
using TomAlerts.Web.Features.Stamps;

namespace TomAlerts.Bench;

/// <summary>
/// Cutout stamps in-process: rendering a 63×63 float32 FITS cutout (gzipped, as ZTF's) to PNG, and serving a cached
/// stamp through <see cref="StampCache"/> (the disk cache the stamp routes use) against reading the same file
/// directly. The routes add the run's visibility check and the alert's lookup, two indexed queries, to the cached figure.
/// </summary>
internal static class StampsBench
{
    public static async Task RunAsync(int stamps, int samples)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"tomalerts-bench-stamps-{Guid.NewGuid():N}");
        try
        {
            var cache = new StampCache(Options.Create(new StampsOptions { CacheFolder = folder, CacheMegabytes = 500 }), new Root(folder), TimeProvider.System,
                NullLogger<StampCache>.Instance);
            var renderer = new StampRenderer();
            var fits = Gzip(Fits(63, 42));

            Console.WriteLine();
            Console.WriteLine($"### Stamps: {stamps} cached stamps, {samples} requests each way (render, cache hit vs reading the file)");
            Console.WriteLine();
            Console.WriteLine(Samples.Header);

            var render = new Samples("render: gzipped 63×63 FITS → zscale → PNG (StampRenderer)");
            var watch = new Stopwatch();
            for (var i = 0; i < samples + 20; i++)
            {
                watch.Restart();
                var png = renderer.Render(new Stamp(fits, "application/octet-stream"));
                if (i >= 20)
                {
                    render.Add(watch.Elapsed);
                }
                if (i < stamps)
                {
                    await cache.GetOrFetchAsync("ALeRCE", $"ZTF{i:D8}", "Science", () => Task.FromResult(new StampResult(png)), default);
                }
            }
            Console.WriteLine(render.Row(null));

            var random = new Random(7);
            var picks = Enumerable.Range(0, samples).Select(_ => random.Next(Math.Min(stamps, samples + 20))).ToList();
            var (hit, file) = await Samples.PairAsync("cached stamp served (StampCache.GetOrFetchAsync, hit)", "File.ReadAllBytesAsync of the PNG", picks,
                async i =>
                {
                    var result = await cache.GetOrFetchAsync("ALeRCE", $"ZTF{i:D8}", "Science", () => throw new InvalidOperationException("not cached"), default);
                    _ = result.Png ?? throw new InvalidOperationException("not cached");
                },
                async i => await File.ReadAllBytesAsync(Path.Combine(folder, StampCache.FileName("ALeRCE", $"ZTF{i:D8}", "Science"))));
            Console.WriteLine(hit.Row(file));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A ZTF-like science cutout: sky 100 ± 5 and a star of peak 2000.</summary>
    private static byte[] Fits(int size, int seed)
    {
        var random = new Random(seed);
        var header = string.Concat(
            new[] { "SIMPLE  =                    T", "BITPIX  =                  -32", "NAXIS   =                    2", $"NAXIS1  = {size,20}", $"NAXIS2  = {size,20}", "END" }
                .Select(c => c.PadRight(80)));
        var bytes = new byte[2880 + (size * size * 4 + 2879) / 2880 * 2880];
        Array.Fill(bytes, (byte)' ', 0, 2880);
        System.Text.Encoding.ASCII.GetBytes(header).CopyTo(bytes, 0);
        for (var i = 0; i < size * size; i++)
        {
            var (x, y) = (i % size - size / 2, i / size - size / 2);
            var value = (float)(100 + 5 * (random.NextDouble() - 0.5) * 3.46 + 2000 * Math.Exp(-(x * x + y * y) / 8.0));
            System.Buffers.Binary.BinaryPrimitives.WriteSingleBigEndian(bytes.AsSpan(2880 + i * 4), value);
        }
        return bytes;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Optimal))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    private sealed class Root(string path) : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = path;
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ApplicationName { get; set; } = "TomAlerts.Bench";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = path;
        public string EnvironmentName { get; set; } = "Production";
    }
}
