using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TomAlerts.Web.Features.Stamps;

/// <summary>What a stamp request came to: a PNG, "the broker has none", or a broker failure in plain words.</summary>
public sealed record StampResult(byte[]? Png, string? Failure = null, int FailureStatus = StatusCodes.Status502BadGateway)
{
    public static readonly StampResult None = new((byte[]?)null);

    public bool IsNone => Png is null && Failure is null;
}

/// <summary>
/// Rendered stamps on disk, one PNG per broker, alert and kind, under a size cap that removes the least recently
/// served first. "None" answers are remembered for a while in memory, so a missing stamp does not send every page
/// view to the broker; failures are not remembered. Concurrent requests for one stamp share one fetch.
/// </summary>
public sealed class StampCache
{
    private readonly string _folder;
    private readonly long _capBytes;
    private readonly TimeSpan _missingFor;
    private readonly TimeProvider _time;
    private readonly ILogger<StampCache> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Size, DateTimeOffset Used)> _index = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _missing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<StampResult>>> _inFlight = new(StringComparer.Ordinal);
    private long _totalBytes;

    public StampCache(IOptions<StampsOptions> options, IWebHostEnvironment environment, TimeProvider time, ILogger<StampCache> logger)
    {
        _folder = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.CacheFolder));
        _capBytes = options.Value.CacheMegabytes * 1024L * 1024L;
        _missingFor = TimeSpan.FromMinutes(options.Value.MissingMinutes);
        _time = time;
        _logger = logger;
        Directory.CreateDirectory(_folder);
        foreach (var file in new DirectoryInfo(_folder).EnumerateFiles("*.png"))
        {
            _index[file.Name] = (file.Length, file.LastWriteTimeUtc);
            _totalBytes += file.Length;
        }
    }

    /// <summary>Bytes the cache holds now.</summary>
    public long TotalBytes
    {
        get
        {
            lock (_gate)
            {
                return _totalBytes;
            }
        }
    }

    /// <summary>The file name of a stamp: a hash, so any alert id is a safe name and no path comes from a request.</summary>
    public static string FileName(string broker, string alertId, string kind) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{broker}\n{alertId}\n{kind}"))) + ".png";

    /// <summary>The cached stamp, or the result of <paramref name="fetch"/> (run once however many ask at the same time).</summary>
    public async Task<StampResult> GetOrFetchAsync(string broker, string alertId, string kind, Func<Task<StampResult>> fetch, CancellationToken cancellationToken)
    {
        var name = FileName(broker, alertId, kind);
        if (await TryReadAsync(name, cancellationToken) is { } png)
        {
            return new StampResult(png);
        }
        if (_missing.TryGetValue(name, out var until) && until > _time.GetUtcNow())
        {
            return StampResult.None;
        }
        var lazy = _inFlight.GetOrAdd(name, key => new Lazy<Task<StampResult>>(() => FetchAndStoreAsync(key, fetch)));
        // The fetch is shared: one caller giving up does not cancel it for the others.
        return await lazy.Value.WaitAsync(cancellationToken);
    }

    private async Task<StampResult> FetchAndStoreAsync(string name, Func<Task<StampResult>> fetch)
    {
        try
        {
            var result = await fetch();
            if (result.Png is { } png)
            {
                await StoreAsync(name, png);
                _missing.TryRemove(name, out _);
            }
            else if (result.IsNone)
            {
                _missing[name] = _time.GetUtcNow() + _missingFor;
            }
            return result;
        }
        finally
        {
            _inFlight.TryRemove(name, out _);
        }
    }

    private async Task<byte[]?> TryReadAsync(string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_index.TryGetValue(name, out var entry))
            {
                return null;
            }
            _index[name] = entry with { Used = _time.GetUtcNow() };
        }
        try
        {
            return await File.ReadAllBytesAsync(Path.Combine(_folder, name), cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            Forget(name);
            return null;
        }
    }

    private async Task StoreAsync(string name, byte[] png)
    {
        var path = Path.Combine(_folder, name);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            Directory.CreateDirectory(_folder);
            await File.WriteAllBytesAsync(temporary, png);
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException e)
        {
            _logger.LogWarning(e, "A stamp could not be written to the cache folder {Folder}", _folder);
            File.Delete(temporary);
            return;
        }
        List<string> evicted;
        lock (_gate)
        {
            if (_index.Remove(name, out var old))
            {
                _totalBytes -= old.Size;
            }
            _index[name] = (png.Length, _time.GetUtcNow());
            _totalBytes += png.Length;
            evicted = EvictLocked();
        }
        foreach (var file in evicted)
        {
            try
            {
                File.Delete(Path.Combine(_folder, file));
            }
            catch (IOException e)
            {
                _logger.LogWarning(e, "A cached stamp could not be removed from {Folder}", _folder);
            }
        }
    }

    /// <summary>Past the cap, the least recently served stamps go until a tenth of the cap is free, so removal is rare.</summary>
    private List<string> EvictLocked()
    {
        if (_totalBytes <= _capBytes)
        {
            return [];
        }
        var target = _capBytes - _capBytes / 10;
        var evicted = new List<string>();
        foreach (var (file, entry) in _index.OrderBy(e => e.Value.Used).ToList())
        {
            if (_totalBytes <= target)
            {
                break;
            }
            _index.Remove(file);
            _totalBytes -= entry.Size;
            evicted.Add(file);
        }
        return evicted;
    }

    private void Forget(string name)
    {
        lock (_gate)
        {
            if (_index.Remove(name, out var entry))
            {
                _totalBytes -= entry.Size;
            }
        }
    }
}
