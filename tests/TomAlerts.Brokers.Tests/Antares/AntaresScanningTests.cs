using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using TomAlerts.Brokers.Antares;
using TomAlerts.Sky;

namespace TomAlerts.Brokers.Tests;

/// <summary>What a scanner sees of an ANTARES locus: detection span (each end in its survey's time scale), count, band and tags.</summary>
public sealed class AntaresScanningTests : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly FakeBrokerHttp _fake = new();

    public void Dispose()
    {
        _cache.Dispose();
        _fake.Dispose();
    }

    private AntaresBroker Broker() => _fake.Broker<AntaresBroker>(null, _cache, NullLogger<AntaresBroker>.Instance);

    private static JsonObject Listing(int index = 0) =>
        JsonNode.Parse(Fixtures.Read("antares/loci_cone_page1.json"))!["data"]!.AsArray()[index]!.DeepClone().AsObject();

    [Fact]
    public void ToGenericAlert_ZtfAndLsstListing_OldestZtfUtcNewestLsstTaiTagsAsClasses()
    {
        var alert = Broker().ToGenericAlert(Listing());

        Assert.Equal(AstroTime.FromMjd(60240.41233999981), alert.FirstDetection); // ztf_candidate: UTC
        Assert.Equal(AstroTime.FromMjdTai(61134.0734227), alert.LastDetection); // lsst_dia_source: TAI
        Assert.Equal(18, alert.Detections); // num_mag_values
        Assert.Null(alert.Band); // a listing has no light curve to say which band the newest alert was in
        Assert.Equal(
            ["extragalactic", "high_snr", "in_tns", "lsst_scimma_quality_transient"],
            alert.Classifications.Select(c => c.ClassName));
        Assert.All(alert.Classifications, c =>
        {
            Assert.Equal("ANTARES", c.Broker);
            Assert.Equal("tag", c.Classifier);
            Assert.Null(c.Probability);
        });
    }

    [Fact]
    public void ToGenericAlert_Locus_BandOfTheNewestAlertFromItsLightCurve()
    {
        var locus = JsonNode.Parse(Fixtures.Read("antares/locus_ANT2023ch7kxe.json"))!["data"]!.AsObject();

        var alert = Broker().ToGenericAlert(locus);

        Assert.Equal(23.71329856, alert.Mag);
        Assert.Equal("u", alert.Band);
    }

    [Fact]
    public void ToGenericAlert_ZtfNewestAlert_PassbandRIsZtfR()
    {
        var locus = JsonNode.Parse(Fixtures.Read("antares/locus_ANT2023ch7kxe.json"))!["data"]!.AsObject();
        locus["attributes"]!["properties"]!["newest_alert_id"] = "ztf_candidate:2486412333715015000";

        Assert.Equal("r", Broker().ToGenericAlert(locus).Band);
    }

    [Fact]
    public void ToGenericAlert_PropertiesAsStringsOrMissing_ReadsNumbersAndLeavesTheRestEmpty()
    {
        var locus = Listing();
        var properties = locus["attributes"]!["properties"]!.AsObject();
        properties["num_mag_values"] = null;
        properties["num_alerts"] = "16";
        properties["oldest_alert_observation_time"] = "60240.41233999981";
        properties.Remove("newest_alert_observation_time");
        locus["attributes"]!["tags"] = null;

        var alert = Broker().ToGenericAlert(locus);

        Assert.Equal(16, alert.Detections);
        Assert.Equal(AstroTime.FromMjd(60240.41233999981), alert.FirstDetection);
        Assert.Null(alert.LastDetection);
        Assert.Empty(alert.Classifications);
    }
}
