using Microsoft.Playwright;
using TomAlerts.Brokers;
using TomAlerts.Sky;
using TomAlerts.Targets;
using TomAlerts.Web.Tests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TomAlerts.Web.Tests.Browser;

public class LightCurveBrowserTests(KestrelFactory factory, ITestOutputHelper output) : IClassFixture<KestrelFactory>
{
    private sealed record Trace(string Name, double?[] Y, string[] Symbols, string[] Text, bool ShowLegend);

    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    [BrowserFact]
    public async Task LightCurve_LsstAndZtfBands_DrawsEveryBandAndSwitchesToFlux()
    {
        var targetId = await SeedAsync();
        await using var browser = await BrowserSession.StartAsync(factory.BaseUrl, output, "lightcurve");
        var page = browser.Page;
        await browser.RegisterAsync($"photometry-{Guid.NewGuid():N}@example.org");

        await page.GotoAsync($"/targets/{targetId}/");
        await Expect(page.Locator("#lightcurve .scatterlayer path.point").First).ToBeAttachedAsync();
        var magnitude = await TracesAsync(page);
        await browser.ScreenshotAsync("1-magnitude");

        var names = magnitude.Select(t => t.Name).ToList();
        foreach (var band in new[] { "u", "g", "r", "i", "z", "y" })
        {
            Assert.Contains($"LSST {band}", names);
        }
        Assert.Contains("ZTF g", names);
        Assert.Contains("ZTF g limit", names);
        Assert.Contains("LSST y forced", names);
        // Colour is the band, shape the broker: ALeRCE (the ZTF rows) circles, Lasair (the LSST rows) squares, open when forced.
        Assert.All(magnitude.Single(t => t.Name == "ZTF g").Symbols, symbol => Assert.Equal("circle", symbol));
        Assert.All(magnitude.Single(t => t.Name == "LSST u").Symbols, symbol => Assert.Equal("square", symbol));
        Assert.All(magnitude.Single(t => t.Name == "LSST y forced").Symbols, symbol => Assert.Equal("square-open", symbol));
        Assert.Equal(["triangle-down"], magnitude.Single(t => t.Name == "ZTF g limit").Symbols);
        Assert.Equal(["triangle-down-open"], magnitude.Single(t => t.Name == "LSST y forced limit").Symbols); // forced fluxes too faint for a magnitude
        Assert.Equal(["circle"], magnitude.Single(t => t.Name == "ALeRCE").Symbols);
        Assert.Equal(["square"], magnitude.Single(t => t.Name == "Lasair").Symbols);
        await Expect(page.Locator("#lightcurve .legend .traces", new() { HasText = "Lasair" })).ToHaveCountAsync(1);
        // Hover labels show values rounded to their error's precision.
        Assert.Equal("19.000 ± 0.050", magnitude.Single(t => t.Name == "ZTF g").Text[0]);
        var yRange = await page.EvaluateAsync<double[]>("() => document.getElementById('lightcurve').layout.yaxis.range");
        Assert.True(yRange[0] > yRange[1], "the magnitude axis is inverted");
        await Expect(page.Locator("#lightcurve .g-ytitle")).ToHaveTextAsync("Magnitude");

        await page.Locator("#lightcurve-flux").ClickAsync();
        await Expect(page.Locator("#lightcurve .g-ytitle")).ToHaveTextAsync("Flux (nJy)");
        await Expect(page.Locator("#lightcurve-flux")).ToHaveAttributeAsync("aria-pressed", "true");
        var flux = await TracesAsync(page);
        await browser.ScreenshotAsync("2-flux");

        yRange = await page.EvaluateAsync<double[]>("() => document.getElementById('lightcurve').layout.yaxis.range");
        Assert.True(yRange[0] < yRange[1], "the flux axis runs upwards");
        // The negative forced flux is drawn where it is; the ZTF magnitude 19.0 sits at 10^((31.4 - 19) / 2.5) nJy.
        Assert.Contains(-310.5, flux.Single(t => t.Name == "LSST y forced").Y);
        Assert.Equal(FluxMagnitudes.Flux(19.0), flux.Single(t => t.Name == "ZTF g").Y[0]!.Value, 6);
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('lightcurve').data.find(t => t.name === 'LSST y forced').error_y.visible"));

        await page.Locator("#lightcurve-magnitude").ClickAsync();
        await Expect(page.Locator("#lightcurve .g-ytitle")).ToHaveTextAsync("Magnitude");

        // The time axis in MJD and back; the photometry table lists the MJD of each point.
        await page.Locator("#lightcurve-mjd").ClickAsync();
        await Expect(page.Locator("#lightcurve .g-xtitle")).ToHaveTextAsync("MJD");
        await Expect(page.Locator("#lightcurve-mjd")).ToHaveAttributeAsync("aria-pressed", "true");
        var firstX = await page.EvaluateAsync<double>("() => document.getElementById('lightcurve').data.find(t => t.name === 'ZTF g').x[0]");
        Assert.Equal(AstroTime.ToMjd(new DateTime(2026, 2, 27, 0, 0, 0, DateTimeKind.Utc)), firstX, 5);
        Assert.Equal("Magnitude", await page.Locator("#lightcurve .g-ytitle").TextContentAsync()); // the other toggle is kept
        await page.Locator("#lightcurve-date").ClickAsync();
        await Expect(page.Locator("#lightcurve .g-xtitle")).ToHaveTextAsync("Time (UTC)");
        await page.Locator("#photometry summary").ClickAsync();
        await Expect(page.Locator("#photometry-table thead th").Nth(1)).ToHaveTextAsync("MJD");
        await Expect(page.Locator("#photometry-table tbody tr", new() { HasText = "2026-02-27 00:00:00" }).Locator("td").Nth(1)).ToHaveTextAsync("61098.00000");
        browser.AssertClean();
    }

    [BrowserFact]
    public async Task LightCurve_OneBandFromOneBroker_StillHasALegend()
    {
        var targetId = await factory.WithDbAsync(async db =>
        {
            var start = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
            var target = new Target { Name = $"ZTF26{Guid.NewGuid():N}"[..12], Created = start, Modified = start };
            target.NormalizedName = TargetNames.Normalize(target.Name);
            foreach (var n in new[] { 0, 1, 2 })
            {
                target.Photometry.Add(Row(new PhotometryPoint { Timestamp = start.AddDays(n), Bandpass = "r", Magnitude = 18.123456789 + n * 0.1, MagnitudeError = 0.0421, Kind = PhotometryKind.Detection }, "ZTF", null));
            }
            db.Targets.Add(target);
            await db.SaveChangesAsync();
            await db.ShareWithTeamAsync();
            return target.Id;
        });
        await using var browser = await BrowserSession.StartAsync(factory.BaseUrl, output, "lightcurve-one-band");
        var page = browser.Page;
        await browser.RegisterAsync($"photometry-{Guid.NewGuid():N}@example.org");

        await page.GotoAsync($"/targets/{targetId}/");
        await Expect(page.Locator("#lightcurve .scatterlayer path.point").First).ToBeAttachedAsync();
        await browser.ScreenshotAsync("one-band");

        await Expect(page.Locator("#lightcurve .legend .traces", new() { HasText = "ZTF r" })).ToHaveCountAsync(1);
        await Expect(page.Locator("#lightcurve .legend .traces", new() { HasText = "ALeRCE" })).ToHaveCountAsync(1);
        var traces = await TracesAsync(page);
        Assert.Equal("18.123 ± 0.042", traces.Single(t => t.Name == "ZTF r").Text[0]);
        await page.Locator("#photometry summary").ClickAsync();
        await Expect(page.Locator("#photometry-table tbody tr").First.Locator("td").Nth(5)).ToHaveTextAsync("18.123");
        browser.AssertClean();

        // When the light curve cannot be read, the plot's place says so in words and the rest of the page stands.
        await page.RouteAsync("**/lightcurve/", route => route.FulfillAsync(new() { Status = 503, Body = "busy" }));
        await page.ReloadAsync();
        await Expect(page.Locator("#lightcurve-error")).ToHaveTextAsync("The light curve could not be loaded (the server answered 503). Reload the page to try again.");
        await Expect(page.Locator("#photometry summary")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("one-band-unreadable");
    }

    private static async Task<List<Trace>> TracesAsync(IPage page) => System.Text.Json.JsonSerializer.Deserialize<List<Trace>>(
        await page.EvaluateAsync<string>("""
            () => JSON.stringify(document.getElementById('lightcurve').data.map(t => ({
                name: t.name, y: Array.from(t.y),
                symbols: Array.isArray(t.marker.symbol) ? t.marker.symbol : [t.marker.symbol],
                text: Array.from(t.customdata || []), showLegend: t.showlegend !== false })))
            """), Web)!;

    private async Task<int> SeedAsync() => await factory.WithDbAsync(async db =>
    {
        var start = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var target = new Target { Name = $"LSST-P-DO-{Random.Shared.NextInt64(100000000000000000, 999999999999999999)}", Created = start, Modified = start };
        target.NormalizedName = TargetNames.Normalize(target.Name);
        var bands = "ugrizy";
        for (var b = 0; b < bands.Length; b++)
        {
            for (var n = 0; n < 4; n++)
            {
                var flux = 3000.0 + 400 * n + 150 * b;
                var point = FluxMagnitudes.FromFlux(start.AddDays(n * 3 + b * 0.4), bands[b].ToString(), flux, 90, "nJy")!;
                target.Photometry.Add(Row(point, "LSST", $"{1700000000000000000 + b * 10 + n}"));
            }
        }
        // Forced photometry in y: one negative, one faint, one bright enough for a magnitude.
        foreach (var (days, flux) in new[] { (1.5, -310.5), (4.5, 120.0), (7.5, 2900.0) })
        {
            var point = FluxMagnitudes.FromFlux(start.AddDays(days), "y", flux, 150, "nJy", PhotometryKind.Forced)!;
            target.Photometry.Add(Row(point, "LSST", null));
        }
        target.Photometry.Add(Row(new PhotometryPoint { Timestamp = start.AddDays(-2), Bandpass = "g", Magnitude = 19.0, MagnitudeError = 0.05, Kind = PhotometryKind.Detection }, "ZTF", "2480409822315015004"));
        target.Photometry.Add(Row(new PhotometryPoint { Timestamp = start.AddDays(-1), Bandpass = "r", Magnitude = 19.2, MagnitudeError = 0.06, Kind = PhotometryKind.Detection }, "ZTF", "2481409822315015005"));
        target.Photometry.Add(Row(new PhotometryPoint { Timestamp = start.AddDays(-4), Bandpass = "g", Limit = 20.4, Kind = PhotometryKind.Limit }, "ZTF", null));
        db.Targets.Add(target);
        await db.SaveChangesAsync();
        await db.ShareWithTeamAsync();
        return target.Id;
    });

    private static Photometry Row(PhotometryPoint p, string survey, string? sourceId) => new()
    {
        Source = survey == "ZTF" ? "ALeRCE" : "Lasair", SourceLocation = "x", Timestamp = p.Timestamp, Bandpass = p.Bandpass,
        Magnitude = p.Magnitude, MagnitudeError = p.MagnitudeError, Limit = p.Limit, Flux = p.Flux, FluxError = p.FluxError, FluxUnit = p.FluxUnit,
        Kind = p.Kind, Survey = survey, SourceId = sourceId,
    };
}
