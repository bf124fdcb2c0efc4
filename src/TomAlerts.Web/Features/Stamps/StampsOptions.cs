namespace TomAlerts.Web.Features.Stamps;

/// <summary>Settings section "Stamps": where rendered cutouts are kept and how much of the disk they may take.</summary>
public sealed class StampsOptions
{
    public const string Section = "Stamps";

    /// <summary>The folder of the cache, relative to the content root unless absolute (beside the SQLite file by default).</summary>
    public string CacheFolder { get; set; } = "App_Data/stamps";

    /// <summary>The cache's size cap; the least recently served stamps are removed past it.</summary>
    public int CacheMegabytes { get; set; } = 500;

    /// <summary>How long "the broker has no such stamp" is remembered before the broker is asked again.</summary>
    public int MissingMinutes { get; set; } = 15;
}
