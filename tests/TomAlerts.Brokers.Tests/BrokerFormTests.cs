using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using TomAlerts.Brokers.Alerce;
using TomAlerts.Brokers.Lasair;
using TomAlerts.Brokers.Tns;

namespace TomAlerts.Brokers.Tests;

/// <summary>The rules every broker's cone fields share: sexagesimal or decimal coordinates, a positive radius, every error at once.</summary>
public sealed class BrokerFormTests : IDisposable
{
    private readonly FakeBrokerHttp _http = new();
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());

    public void Dispose()
    {
        _cache.Dispose();
        _http.Dispose();
    }

    /// <summary>A broker's form; ALeRCE's class lists are not served here, which its form survives with a notice.</summary>
    private Task<BrokerForm> FormAsync(string broker) => broker switch
    {
        "ALeRCE" => _http.Broker<AlerceBroker>(null, _cache, NullLogger<AlerceBroker>.Instance).GetFormAsync(CancellationToken.None),
        "Lasair" => _http.Broker<LasairBroker>(new Dictionary<string, string?> { ["api_key"] = "k" }).GetFormAsync(CancellationToken.None),
        "TNS" => _http.Broker<TnsBroker>(new Dictionary<string, string?> { ["api_key"] = "k", ["bot_id"] = "1", ["bot_name"] = "b" },
            TimeProvider.System, _cache, NullLogger<TnsBroker>.Instance).GetFormAsync(CancellationToken.None),
        _ => throw new ArgumentOutOfRangeException(nameof(broker)),
    };

    /// <summary>The form's cone fields: (RA, Dec, radius) names.</summary>
    private static (string Ra, string Dec, string Radius) ConeFields(string broker) =>
        broker == "Lasair" ? ("cone_ra", "cone_dec", "cone_radius") : ("ra", "dec", "radius");

    private async Task<FormResult> CleanAsync(string broker, string? ra, string? dec, string? radius)
    {
        var (raField, decField, radiusField) = ConeFields(broker);
        var form = await FormAsync(broker);
        return form.Clean(broker, new Dictionary<string, string?>
        {
            [BrokerForm.QueryNameField] = "cone", [raField] = ra, [decField] = dec, [radiusField] = radius,
        });
    }

    [Theory]
    [InlineData("ALeRCE")]
    [InlineData("Lasair")]
    [InlineData("TNS")]
    public async Task Clean_SexagesimalPosition_IsStoredInDegrees(string broker)
    {
        var result = await CleanAsync(broker, "12:34:56", "-05:30:00", "10");

        Assert.True(result.IsValid, string.Join(" ", result.Errors.ToDictionary().SelectMany(e => e.Value)));
        var (ra, dec, _) = ConeFields(broker);
        Assert.Equal(188.7333333, result.Parameters.GetDouble(ra)!.Value, 6);
        Assert.Equal(-5.5, result.Parameters.GetDouble(dec)!.Value, 9);
    }

    [Theory]
    [InlineData("ALeRCE")]
    [InlineData("Lasair")]
    [InlineData("TNS")]
    public async Task Clean_DecimalPositionAtZero_IsKept(string broker)
    {
        var result = await CleanAsync(broker, "0", "0", "5");

        Assert.True(result.IsValid);
        var (ra, dec, _) = ConeFields(broker);
        Assert.Equal(0, result.Parameters.GetDouble(ra));
        Assert.Equal(0, result.Parameters.GetDouble(dec));
    }

    [Theory]
    [InlineData("ALeRCE", "0")]
    [InlineData("ALeRCE", "-1")]
    [InlineData("Lasair", "0")]
    [InlineData("Lasair", "-1")]
    [InlineData("TNS", "0")]
    [InlineData("TNS", "-1")]
    public async Task Clean_RadiusNotPositive_IsRefusedBesideTheRadius(string broker, string radius)
    {
        var result = await CleanAsync(broker, "10", "20", radius);

        var (_, _, radiusField) = ConeFields(broker);
        Assert.Contains("greater than 0", Assert.Single(result.Errors.For(radiusField)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ALeRCE")]
    [InlineData("Lasair")]
    [InlineData("TNS")]
    public async Task Clean_BadRaAndBadRadius_ReportsBothInOneAnswer(string broker)
    {
        var result = await CleanAsync(broker, "400", "20", "-1");

        var (ra, dec, radius) = ConeFields(broker);
        Assert.NotEmpty(result.Errors.For(ra));
        Assert.NotEmpty(result.Errors.For(radius));
        Assert.Empty(result.Errors.For(dec));
    }

    [Theory]
    [InlineData("ALeRCE")]
    [InlineData("Lasair")]
    [InlineData("TNS")]
    public async Task Clean_UnreadableRa_SaysSoOnceAndNotThatTheConeIsIncomplete(string broker)
    {
        var result = await CleanAsync(broker, "12:34:5x", "20", "10");

        var (ra, _, _) = ConeFields(broker);
        Assert.Contains("hh:mm:ss", Assert.Single(result.Errors.For(ra)), StringComparison.Ordinal);
        Assert.Empty(result.Errors.For(FormErrors.FormWide));
    }
}
