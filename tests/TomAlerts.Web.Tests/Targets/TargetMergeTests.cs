using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Targets;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Targets;

/// <summary>Merging two targets into one, on the page and through the API.</summary>
public sealed class TargetMergeTests : AppTest
{
    private static readonly DateTime T0 = new(2024, 5, 1, 3, 0, 0, DateTimeKind.Utc);

    private Task<int> SeedAsync(string name, double ra, string[] aliases, (string Key, string Value, string Source)[] extras, (string Source, DateTime At, double Mag, string? SourceId)[] points) =>
        Factory.WithDbAsync(async db =>
        {
            var target = new Target { Name = name, NormalizedName = TargetNames.Normalize(name), Created = T0, Modified = T0 };
            target.SetPosition(ra, 10);
            target.Aliases.AddRange(aliases.Select(a => new TargetName { Name = a, NormalizedName = TargetNames.Normalize(a), Created = T0 }));
            target.Extras.AddRange(extras.Select(e => new TargetExtra { Key = e.Key, Value = e.Value, Source = e.Source, SetAt = T0 }));
            target.Photometry.AddRange(points.Select(p => new Photometry
            {
                Source = p.Source, SourceLocation = name, Timestamp = p.At, Bandpass = "g", Magnitude = p.Mag, Survey = p.SourceId is null ? null : "ZTF", SourceId = p.SourceId,
            }));
            target.Provenance.Add(new TargetProvenance { Broker = "ALeRCE", AlertId = name, Action = "created", At = T0 });
            db.Targets.Add(target);
            await db.SaveChangesAsync();
            await db.ShareWithTeamAsync();
            return target.Id;
        });

    private async Task<(int Kept, int From)> SeedPairAsync()
    {
        var kept = await SeedAsync("ZTF24aaaaaaa", 10, ["kept-alias"], [("class", "SNIa", "ALeRCE")],
            [("ALeRCE", T0, 19.0, "1"), ("ALeRCE", T0.AddDays(1), 18.5, "2")]);
        var from = await SeedAsync("ZTF24bbbbbbb", 20, ["other-alias"], [("class", "SNII", "ALeRCE"), ("host", "NGC 1", "Lasair")],
            // The same point again (same source, band, time), the same ZTF measurement from Lasair, and one new point.
            [("ALeRCE", T0, 19.0, "1"), ("Lasair", T0.AddDays(1), 18.5, "2"), ("ALeRCE", T0.AddDays(2), 18.0, "3")]);
        return (kept, from);
    }

    [Fact]
    public async Task MergeApi_TwoTargets_MovesNamesExtrasPhotometryWithoutDuplicatesAndHistoryThenTheOtherIsGone()
    {
        var (kept, from) = await SeedPairAsync();
        var api = await Factory.ApiUserAsync();

        using var merged = await api.Api.PostAsJsonAsync($"/api/v1/targets/{kept}/merge", new { from });
        using var gone = await api.Api.GetAsync($"/api/v1/targets/{from}");

        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var body = await merged.JsonAsync();
        Assert.Equal(["ZTF24bbbbbbb", "kept-alias", "other-alias"], body.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal([("class", "SNIa", "ALeRCE"), ("host", "NGC 1", "Lasair")],
            body.GetProperty("extrasWithSource").EnumerateArray().Select(e => (e.GetProperty("key").GetString(), e.GetProperty("value").GetString(), e.GetProperty("source").GetString())));
        Assert.Equal(3, body.GetProperty("photometryCount").GetInt32());
        var points = await Factory.WithDbAsync(db => db.Photometry.Where(p => p.TargetId == kept).OrderBy(p => p.Timestamp).ToListAsync());
        Assert.Equal([19.0, 18.5, 18.0], points.Select(p => p.Magnitude!.Value));
        Assert.Equal(["ALeRCE", "Lasair"], points[1].Sources);
        var history = body.GetProperty("provenance").EnumerateArray().ToList();
        Assert.Equal(["ZTF24aaaaaaa", "ZTF24bbbbbbb", "ZTF24bbbbbbb"], history.Select(p => p.GetProperty("alertId").GetString()));
        var note = history[^1].GetProperty("note").GetString();
        Assert.Equal("merged", history[^1].GetProperty("action").GetString());
        Assert.Contains("the merged target had class = SNII (ALeRCE)", note, StringComparison.Ordinal);
        Assert.Contains("1 photometry points moved, 2 already here left out.", note, StringComparison.Ordinal);
        ApiSupport.AssertProblem(gone, HttpStatusCode.NotFound);
        Assert.Equal(0, await Factory.WithDbAsync(db => db.Photometry.CountAsync(p => p.TargetId == from)));
    }

    [Fact]
    public async Task MergeApi_IntoItself_Is400AndChangesNothing()
    {
        var (kept, _) = await SeedPairAsync();
        var api = await Factory.ApiUserAsync();

        using var response = await api.Api.PostAsJsonAsync($"/api/v1/targets/{kept}/merge", new { from = kept });
        using var missing = await api.Api.PostAsJsonAsync($"/api/v1/targets/{kept}/merge", new { from = 999999 });

        Assert.Equal(["from"], await response.ErrorFieldsAsync());
        Assert.Contains("cannot be merged into itself", (await response.JsonAsync()).GetProperty("errors").GetProperty("from")[0].GetString(), StringComparison.Ordinal);
        ApiSupport.AssertProblem(missing, HttpStatusCode.NotFound);
        Assert.Equal(2, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
    }

    [Fact]
    public async Task MergePage_ConfirmationListsWhatMovesThenMerges()
    {
        var (kept, from) = await SeedPairAsync();
        var user = await Factory.LoginAsync();

        var (status, preview) = await user.Page.GetAsync($"/targets/{kept}/merge/?from=other-alias");
        using var merged = await user.Page.PostFormAsync($"/targets/{kept}/merge/?from=other-alias", $"/targets/{kept}/merge/", new() { ["fromId"] = from.ToString() });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Names, kept as aliases: ZTF24bbbbbbb, other-alias", preview, StringComparison.Ordinal);
        Assert.Contains("1 extras: host (Lasair)", preview, StringComparison.Ordinal);
        Assert.Contains("keep ZTF24aaaaaaa's value", WebUtility.HtmlDecode(preview), StringComparison.Ordinal);
        Assert.Contains("1 photometry points (2 already on ZTF24aaaaaaa are left out)", preview, StringComparison.Ordinal);
        Assert.Contains("1 history entries", preview, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, merged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.Page.GetAsync($"/targets/{from}/")).Status);
    }

    [Fact]
    public async Task MergePage_ChoosingTheSameTarget_IsRefusedWithAMessage()
    {
        var (kept, _) = await SeedPairAsync();
        var user = await Factory.LoginAsync();

        var (status, html) = await user.Page.GetAsync($"/targets/{kept}/merge/?from=kept-alias");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("A target cannot be merged into itself", html, StringComparison.Ordinal);
        Assert.DoesNotContain("confirm-merge", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_OtherNamedByTns_KeptTargetTakesTheTnsName()
    {
        var kept = await SeedAsync("ZTF24ccccccc", 30, [], [], []);
        var from = await SeedAsync("AT 2024abc", 30, [], [], []);
        var api = await Factory.ApiUserAsync();

        var body = await (await api.Api.PostAsJsonAsync($"/api/v1/targets/{kept}/merge", new { from })).JsonAsync();

        Assert.Equal("AT 2024abc", body.GetProperty("name").GetString());
        Assert.Equal(["ZTF24ccccccc"], body.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
    }
}
