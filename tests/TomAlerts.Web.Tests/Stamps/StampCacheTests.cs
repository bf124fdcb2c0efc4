using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TomAlerts.Web.Features.Stamps;

namespace TomAlerts.Web.Tests.Stamps;

public sealed class StampCacheTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"tomalerts-stamps-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private StampCache Cache(int megabytes = 1) =>
        new(Options.Create(new StampsOptions { CacheFolder = _folder, CacheMegabytes = megabytes, MissingMinutes = 15 }),
            new Environment(Path.GetTempPath()), TimeProvider.System, NullLogger<StampCache>.Instance);

    private static Func<Task<StampResult>> Counting(Func<StampResult> result, Action counted) => () =>
    {
        counted();
        return Task.FromResult(result());
    };

    [Fact]
    public async Task GetOrFetch_SecondRequest_IsServedFromDiskWithoutFetching()
    {
        var cache = Cache();
        var fetches = 0;
        var fetch = Counting(() => new StampResult([1, 2, 3]), () => fetches++);

        await cache.GetOrFetchAsync("ALeRCE", "ZTF1", "Science", fetch, default);
        var second = await Cache().GetOrFetchAsync("ALeRCE", "ZTF1", "Science", fetch, default); // a restarted app keeps its files

        Assert.Equal([1, 2, 3], second.Png);
        Assert.Equal(1, fetches);
    }

    [Fact]
    public async Task GetOrFetch_BrokerHasNone_IsRememberedAndNotAskedAgain()
    {
        var cache = Cache();
        var fetches = 0;
        var fetch = Counting(() => StampResult.None, () => fetches++);

        Assert.True((await cache.GetOrFetchAsync("Fink", "ZTF1", "Science", fetch, default)).IsNone);
        Assert.True((await cache.GetOrFetchAsync("Fink", "ZTF1", "Science", fetch, default)).IsNone);

        Assert.Equal(1, fetches);
    }

    [Fact]
    public async Task GetOrFetch_Failure_IsNotRemembered()
    {
        var cache = Cache();
        var fetches = 0;
        var fetch = Counting(() => new StampResult(null, "Fink did not answer in time."), () => fetches++);

        await cache.GetOrFetchAsync("Fink", "ZTF1", "Science", fetch, default);
        await cache.GetOrFetchAsync("Fink", "ZTF1", "Science", fetch, default);

        Assert.Equal(2, fetches);
    }

    [Fact]
    public async Task GetOrFetch_ConcurrentRequests_FetchOnce()
    {
        var cache = Cache();
        var fetches = 0;
        var release = new TaskCompletionSource();
        async Task<StampResult> Slow()
        {
            Interlocked.Increment(ref fetches);
            await release.Task;
            return new StampResult([9]);
        }

        var requests = Enumerable.Range(0, 8).Select(_ => cache.GetOrFetchAsync("ANTARES", "ANT1", "Difference", Slow, default)).ToList();
        release.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.Equal(1, fetches);
        Assert.All(results, r => Assert.Equal([9], r.Png));
    }

    [Fact]
    public async Task GetOrFetch_PastTheCap_EvictsTheLeastRecentlyServed()
    {
        var cache = Cache(megabytes: 1);
        var stamp = new byte[300 * 1024];
        Func<Task<StampResult>> Fetch(Action counted) => Counting(() => new StampResult(stamp), counted);
        var refetched = new List<string>();

        await cache.GetOrFetchAsync("ALeRCE", "old", "Science", Fetch(() => { }), default);
        await cache.GetOrFetchAsync("ALeRCE", "kept", "Science", Fetch(() => { }), default);
        await cache.GetOrFetchAsync("ALeRCE", "third", "Science", Fetch(() => { }), default);
        await Task.Delay(20);
        await cache.GetOrFetchAsync("ALeRCE", "old", "Science", Fetch(() => refetched.Add("old")), default); // served: now the most recent
        await Task.Delay(20);
        await cache.GetOrFetchAsync("ALeRCE", "fourth", "Science", Fetch(() => { }), default); // 1.2 MB: over the cap

        Assert.True(cache.TotalBytes <= 1024 * 1024, $"The cache holds {cache.TotalBytes} bytes, over its 1 MB cap.");
        Assert.True(Directory.GetFiles(_folder, "*.png").Sum(f => new FileInfo(f).Length) <= 1024 * 1024);
        Assert.Empty(refetched);
        await cache.GetOrFetchAsync("ALeRCE", "old", "Science", Fetch(() => refetched.Add("old")), default);
        await cache.GetOrFetchAsync("ALeRCE", "kept", "Science", Fetch(() => refetched.Add("kept")), default);
        Assert.Equal(["kept"], refetched); // "kept" was the least recently served, so it went first
    }

    [Fact]
    public void FileName_IsAHashWhateverTheAlertId()
    {
        var name = StampCache.FileName("ANTARES", "../../etc/passwd", "Science");

        Assert.Matches("^[0-9a-f]{64}\\.png$", name);
    }

    private sealed class Environment(string root) : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = root;
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ApplicationName { get; set; } = "TomAlerts.Web";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = root;
        public string EnvironmentName { get; set; } = "Testing";
    }
}
