using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Targets;
using TomAlerts.Web.Tests.Api;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Targets;

/// <summary>Targets created and edited by hand, on the pages and through the API.</summary>
public sealed class TargetEditingTests : AppTest
{
    private static Dictionary<string, string> Form(string name, string ra = "150.0", string dec = "2.0", string aliases = "", string extras = "") =>
        new() { ["Name"] = name, ["Type"] = "sidereal", ["Ra"] = ra, ["Dec"] = dec, ["Epoch"] = "2000", ["Aliases"] = aliases, ["Extras"] = extras };

    private static async Task<HttpResponseMessage> CreateOnPageAsync(TestUser user, Dictionary<string, string> fields) =>
        await user.Page.PostFormAsync("/targets/create/", "/targets/create/", fields);

    private Task<Target> TargetAsync(string name) => Factory.WithDbAsync(db =>
        db.Targets.AsNoTracking().Include(t => t.Aliases).Include(t => t.Extras).Include(t => t.Provenance).SingleAsync(t => t.Name == name));

    [Fact]
    public async Task CreatePage_SexagesimalPositionAliasesAndExtras_CreatesTheTargetAndOpensIt()
    {
        var user = await Factory.LoginAsync();

        using var response = await CreateOnPageAsync(user, Form("My SN", "10:01:15.78", "+02:12:33.9", "ZTF23abtfusv\nmy-nickname", "priority=high\nclass = SN Ia"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = await TargetAsync("My SN");
        Assert.Equal($"/targets/{target.Id}/", response.Headers.Location?.OriginalString);
        Assert.Equal(150.31575, target.Ra!.Value, 4);
        Assert.Equal(2.20942, target.Dec!.Value, 4);
        Assert.Equal(["ZTF23abtfusv", "my-nickname"], target.Aliases.Select(a => a.Name).Order().Reverse());
        Assert.Equal([("class", "SN Ia", $"user:{user.Id}"), ("priority", "high", $"user:{user.Id}")],
            target.Extras.OrderBy(e => e.Key).Select(e => (e.Key, e.Value, e.Source)));
        Assert.Equal("created", Assert.Single(target.Provenance).Action);
    }

    [Fact]
    public async Task CreatePage_SameAliasAsAnExistingTarget_WarnsListingItWithCreateAnywayAndOpenExisting()
    {
        var user = await Factory.LoginAsync();
        await CreateOnPageAsync(user, Form("First", aliases: "SN 2023vjq"));

        // Another form of the TNS designation, far away: a name match.
        using var warned = await CreateOnPageAsync(user, Form("Second", "20.0", "-30.0", aliases: "AT2023vjq"));
        var html = await warned.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, warned.StatusCode);
        var first = await TargetAsync("First");
        Assert.Contains("id=\"match-warning\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/targets/{first.Id}/\">Open existing: First", html, StringComparison.Ordinal);
        Assert.Contains("id=\"create-anyway\"", html, StringComparison.Ordinal);
        Assert.Equal(1, await Factory.WithDbAsync(db => db.Targets.CountAsync()));

        var fields = Form("Second", "20.0", "-30.0", aliases: "AT2023vjq");
        fields["CreateAnyway"] = "true";
        using var anyway = await CreateOnPageAsync(user, fields);
        Assert.Equal(HttpStatusCode.Redirect, anyway.StatusCode);
        Assert.Equal(2, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
    }

    [Fact]
    public async Task CreateApi_WithinTheMatchRadius_Is409ListingTheMatchUnlessCreateAnyway()
    {
        var api = await Factory.ApiUserAsync();
        using var first = await api.Api.PostAsJsonAsync("/api/v1/targets", new { name = "Near one", ra = 150.0, dec = 2.0 });
        var firstId = (await first.JsonAsync()).GetProperty("id").GetInt32();

        // 1 arcsec north, inside the default 2 arcsec radius; RA as sexagesimal text.
        using var conflict = await api.Api.PostAsJsonAsync("/api/v1/targets", new { name = "Near two", ra = "10:00:00", dec = 2.0 + 1.0 / 3600 });
        using var anyway = await api.Api.PostAsJsonAsync("/api/v1/targets", new { name = "Near two", ra = "10:00:00", dec = 2.0 + 1.0 / 3600, createAnyway = true });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        ApiSupport.AssertProblem(conflict, HttpStatusCode.Conflict);
        var match = Assert.Single((await conflict.JsonAsync()).GetProperty("matches").EnumerateArray());
        Assert.Equal((firstId, "Near one"), (match.GetProperty("id").GetInt32(), match.GetProperty("name").GetString()));
        Assert.Equal(1.0, match.GetProperty("separationArcsec").GetDouble(), 2);
        Assert.Equal(HttpStatusCode.Created, anyway.StatusCode);
        var created = await anyway.JsonAsync();
        Assert.Equal($"/api/v1/targets/{created.GetProperty("id").GetInt32()}", anyway.Headers.Location?.OriginalString);
        Assert.Equal(150.0, created.GetProperty("ra").GetDouble(), 9);
    }

    [Fact]
    public async Task CreateApi_ExtrasAndAliases_AreReturnedWithTheirSource()
    {
        var api = await Factory.ApiUserAsync();

        using var response = await api.Api.PostAsJsonAsync("/api/v1/targets", new { name = "Scripted", ra = 10.0, dec = 10.0, aliases = new[] { "alias-1" }, extras = new Dictionary<string, string> { ["redshift"] = "0.03" } });
        var target = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["alias-1"], target.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        var extra = Assert.Single(target.GetProperty("extrasWithSource").EnumerateArray());
        Assert.Equal(("redshift", "0.03", $"user:{api.User.Id}"), (extra.GetProperty("key").GetString(), extra.GetProperty("value").GetString(), extra.GetProperty("source").GetString()));
        Assert.Equal("0.03", target.GetProperty("extras").GetProperty("redshift").GetString());
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"ra\": 400, \"dec\": 0}", "ra")]
    [InlineData("{\"name\": \"x\", \"ra\": 10, \"dec\": 95}", "dec")]
    [InlineData("{\"name\": \"x\", \"ra\": \"25:00:00\", \"dec\": 0}", "ra")]
    [InlineData("{\"ra\": 10, \"dec\": 0}", "name")]
    [InlineData("{\"name\": \"x\"}", "ra,dec")]
    [InlineData("{\"name\": \"comet\", \"type\": \"non-sidereal\"}", "scheme")]
    [InlineData("{\"name\": \"comet\", \"type\": \"non-sidereal\", \"elements\": {\"scheme\": \"MPC_COMET\", \"epochOfElements\": 60000, \"inclination\": 10, \"longAscendingNode\": 20, \"argOfPerihelion\": 30, \"eccentricity\": 0.9}}", "epochOfPerihelion,perihelionDistance")]
    [InlineData("{\"name\": \"x\", \"ra\": 10, \"dec\": 0, \"type\": \"planet\"}", "type")]
    public async Task CreateApi_BadField_Is400NamingIt(string json, string fields)
    {
        var api = await Factory.ApiUserAsync();

        using var response = await api.Api.PostAsync("/api/v1/targets", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(fields.Split(',').Order(), (await response.ErrorFieldsAsync()).Order());
        Assert.Equal(0, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
    }

    [Fact]
    public async Task CreateApi_NonSiderealWithItsElements_IsCreatedWithThem()
    {
        var api = await Factory.ApiUserAsync();

        using var response = await api.Api.PostAsJsonAsync("/api/v1/targets", new
        {
            name = "2P/Encke", type = "non-sidereal",
            elements = new { scheme = "MPC_COMET", epochOfElements = 60000.0, inclination = 11.78, longAscendingNode = 334.57, argOfPerihelion = 186.54, eccentricity = 0.848, perihelionDistance = 0.336, epochOfPerihelion = 60235.0 },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await TargetAsync("2P/Encke");
        Assert.Equal((TargetType.NonSidereal, "MPC_COMET", 0.336), (stored.Type, stored.Elements?.Scheme, stored.Elements?.PerihelionDistance));
        Assert.Null(stored.Ra);
    }

    [Fact]
    public async Task CreatePage_DuplicateNameAndAlias_MessagesBesideTheFieldsNameTheTarget()
    {
        var user = await Factory.LoginAsync();
        await CreateOnPageAsync(user, Form("Taken", aliases: "taken-alias"));
        var taken = await TargetAsync("Taken");

        using var response = await CreateOnPageAsync(user, Form("taken", "20", "20", aliases: "Taken Alias"));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"<div class=\"invalid-feedback d-block\" data-field=\"name\">taken is already a name of the target Taken (id {taken.Id}). <a class=\"existing-target\" href=\"/targets/{taken.Id}/\">Open Taken</a>", html, StringComparison.Ordinal);
        Assert.Contains($"data-field=\"aliases\">Taken Alias is already a name of the target Taken (id {taken.Id}).", html, StringComparison.Ordinal);
        Assert.Equal(1, await Factory.WithDbAsync(db => db.Targets.CountAsync()));
    }

    [Fact]
    public async Task CreatePage_CoordinatesOutsideTheSky_MessagesBesideRaAndDec()
    {
        var user = await Factory.LoginAsync();

        using var response = await CreateOnPageAsync(user, Form("Nowhere", "400", "95"));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("data-field=\"ra\">RA must be 0 to 360 degrees", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"dec\">Dec must be −90 to +90 degrees", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatePage_NonSiderealWithoutItsElements_MessagesBesideEachMissingElement()
    {
        var user = await Factory.LoginAsync();
        var fields = Form("Rock", "", "");
        (fields["Type"], fields["Scheme"], fields["Elements[Eccentricity]"]) = ("non-sidereal", "MPC_MINOR_PLANET", "0.1");

        using var response = await CreateOnPageAsync(user, fields);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("data-field=\"meanAnomaly\">Mean anomaly (°) is needed for the scheme MPC_MINOR_PLANET.", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"semimajorAxis\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-field=\"eccentricity\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-field=\"ra\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditPage_ChangedFields_SavedAndWrittenToTheHistoryWithOldAndNewValues()
    {
        var user = await Factory.LoginAsync();
        await CreateOnPageAsync(user, Form("Before", aliases: "old-alias", extras: "priority=low"));
        var id = (await TargetAsync("Before")).Id;

        using var saved = await user.Page.PostFormAsync($"/targets/{id}/update/", $"/targets/{id}/update/",
            Form("After", "151.5", "2.0", aliases: "new-alias", extras: "priority=high"));
        var page = WebUtility.HtmlDecode((await user.Page.GetAsync($"/targets/{id}/")).Html);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var target = await TargetAsync("After");
        Assert.Equal(151.5, target.Ra);
        Assert.Equal(["new-alias"], target.Aliases.Select(a => a.Name));
        Assert.Equal("high", Assert.Single(target.Extras).Value);
        var edit = Assert.Single(target.Provenance, p => p.Action == "edited");
        Assert.Equal(user.Id, edit.UserId);
        Assert.Equal("name: Before → After; ra: 150 → 151.5; aliases: +new-alias, −old-alias; extra priority: low → high", edit.Note);
        Assert.Contains($"edited on {edit.At:yyyy-MM-dd HH:mm} UTC by {user.Email}: name: Before → After", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditApi_PatchOnlyDec_ChangesOnlyDecAndRefusesAnotherTargetsName()
    {
        var api = await Factory.ApiUserAsync();
        var id = (await (await api.Api.PostAsJsonAsync("/api/v1/targets", new { name = "Patched", ra = 10.0, dec = 10.0 })).JsonAsync()).GetProperty("id").GetInt32();
        await api.Api.PostAsJsonAsync("/api/v1/targets", new { name = "Other", ra = 50.0, dec = 10.0 });

        using var patched = await api.Api.PatchAsJsonAsync($"/api/v1/targets/{id}", new { dec = -5.5 });
        using var duplicate = await api.Api.PatchAsJsonAsync($"/api/v1/targets/{id}", new { name = "other" });
        using var badDec = await api.Api.PatchAsJsonAsync($"/api/v1/targets/{id}", new { dec = 95 });
        using var missing = await api.Api.PatchAsJsonAsync("/api/v1/targets/999999", new { dec = 1 });

        var body = await patched.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(("Patched", 10.0, -5.5), (body.GetProperty("name").GetString(), body.GetProperty("ra").GetDouble(), body.GetProperty("dec").GetDouble()));
        Assert.Equal("dec: 10 → -5.5", body.GetProperty("provenance").EnumerateArray().Last().GetProperty("note").GetString());
        Assert.Equal(["name"], await duplicate.ErrorFieldsAsync());
        Assert.Contains("the target Other", (await duplicate.JsonAsync()).GetProperty("errors").GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(["dec"], await badDec.ErrorFieldsAsync());
        ApiSupport.AssertProblem(missing, HttpStatusCode.NotFound);
    }
}
