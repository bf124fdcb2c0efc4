using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Brokers;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Targets;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Targets;

/// <summary>TNS designations as primary names, and extras kept by source.</summary>
public sealed class TargetNamingTests : AppTest
{
    private async Task<AlertOutcome> SaveAsync(string broker, string name, string[] aliases, Dictionary<string, string>? extras = null)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var creator = scope.ServiceProvider.GetRequiredService<TargetCreator>();
        var brokerClass = scope.ServiceProvider.GetRequiredService<BrokerRegistry>().GetServiceClass(broker);
        var outcome = await creator.SaveAsync(brokerClass, new TargetCandidate { Name = name, Aliases = aliases, Extras = extras ?? new Dictionary<string, string>() }, null, name, name, null, null, CancellationToken.None);
        await Factory.WithDbAsync(db => db.ShareWithTeamAsync()); // saved with no user: into the team everyone here is in
        return outcome;
    }

    private Task<Target> TargetAsync(int id) => Factory.WithDbAsync(db =>
        db.Targets.AsNoTracking().Include(t => t.Aliases).Include(t => t.Extras).Include(t => t.Provenance).SingleAsync(t => t.Id == id));

    [Fact]
    public async Task TnsCrossMatchAlias_RenamesTheTargetAndKeepsTheOldNameAsAlias()
    {
        var first = await SaveAsync("ANTARES", "ZTF23abtfusv", []);

        var again = await SaveAsync("ANTARES", "ZTF23abtfusv", ["AT 2023vjq", "Gaia23xyz"]);

        var target = await TargetAsync(first.TargetId!.Value);
        Assert.Equal(first.TargetId, again.TargetId);
        Assert.Equal("AT 2023vjq", target.Name);
        Assert.Equal(["Gaia23xyz", "ZTF23abtfusv"], target.Aliases.Select(a => a.Name).Order(StringComparer.Ordinal));
        var renamed = Assert.Single(target.Provenance, p => p.Action == "renamed");
        Assert.Equal("Renamed from ZTF23abtfusv to AT 2023vjq, the TNS designation; ZTF23abtfusv stays an alias.", renamed.Note);
        var (_, page) = await (await Factory.LoginAsync()).Page.GetAsync($"/targets/{target.Id}/");
        Assert.Contains("<h1 class=\"h3 mb-0 me-auto\" id=\"target-name\">AT 2023vjq</h1>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TnsName_TargetAlreadyNamedByTns_KeepsItsName()
    {
        var first = await SaveAsync("ANTARES", "SN 2023vjq", []);

        await SaveAsync("ANTARES", "SN 2023vjq", ["AT2023vjq", "2023xyz"]);

        var target = await TargetAsync(first.TargetId!.Value);
        Assert.Equal("SN 2023vjq", target.Name);
        Assert.DoesNotContain(target.Provenance, p => p.Action == "renamed");
    }

    [Fact]
    public async Task TnsName_SettingOff_StaysAnAlias()
    {
        Factory.Settings["Targets:RenameToTnsName"] = "false";

        var created = await SaveAsync("ANTARES", "ZTF23abtfusv", ["AT 2023vjq"]);

        var target = await TargetAsync(created.TargetId!.Value);
        Assert.Equal("ZTF23abtfusv", target.Name);
        Assert.Equal(["AT 2023vjq"], target.Aliases.Select(a => a.Name));
    }

    [Fact]
    public async Task Extras_SameSourceLater_ReplacesItsValueAndOtherSourcesStayBesideIt()
    {
        var created = await SaveAsync("ANTARES", "ZTF23abtfusv", [], new() { ["class"] = "SN", ["host"] = "NGC 1" });
        await SaveAsync("Lasair", "ZTF23abtfusv", [], new() { ["class"] = "SNII" });

        await SaveAsync("ANTARES", "ZTF23abtfusv", [], new() { ["class"] = "SNIa" });

        var target = await TargetAsync(created.TargetId!.Value);
        Assert.Equal([("ANTARES", "class", "SNIa"), ("ANTARES", "host", "NGC 1"), ("Lasair", "class", "SNII")],
            target.Extras.OrderBy(e => e.Source).ThenBy(e => e.Key).Select(e => (e.Source, e.Key, e.Value)));
        Assert.All(target.Extras, e => Assert.NotNull(e.SetAt));
    }

    [Fact]
    public async Task TargetPage_ExtrasGroupedUnderAHeadingPerSource()
    {
        var created = await SaveAsync("ANTARES", "ZTF23abtfusv", [], new() { ["class"] = "SN" });
        await SaveAsync("Lasair", "ZTF23abtfusv", [], new() { ["class"] = "SNII" });
        var user = await Factory.LoginAsync();
        await user.Page.PostFormAsync($"/targets/{created.TargetId}/update/", $"/targets/{created.TargetId}/update/",
            new() { ["Name"] = "ZTF23abtfusv", ["Type"] = "sidereal", ["Extras"] = "priority=high" });

        var (_, html) = await user.Page.GetAsync($"/targets/{created.TargetId}/");

        var headings = System.Text.RegularExpressions.Regex.Matches(html, "<h3 class=\"h6 small text-muted mb-1 extras-source\">([^<]*)</h3>").Select(m => m.Groups[1].Value);
        Assert.Equal(["ANTARES", "Lasair", user.Email], headings);
        Assert.Contains("data-source=\"Lasair\">", html, StringComparison.Ordinal);
    }
}
