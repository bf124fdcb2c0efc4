using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using TomAlerts.Brokers;
using TomAlerts.Targets;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Upstream;

/// <summary>A broker that accepts submissions, as a plugin would (TOM's tests use one named TEST).</summary>
[Broker("TEST")]
public sealed class AcceptingBroker(HttpClient http, BrokerSettings settings) : BrokerBase(http, settings), ISubmitsTargets
{
    public static readonly ConcurrentQueue<(SubmissionSubject Subject, JsonObject Parameters)> Received = new();

    public override Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken) => Task.FromResult(new BrokerForm());

    public override IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback, CancellationToken cancellationToken) =>
        AsyncEnumerable.Empty<JsonObject>();

    public override GenericAlert ToGenericAlert(JsonObject alert) => new() { Id = "", Name = "" };

    public Task<BrokerForm> GetSubmissionFormAsync(SubmissionSubject subject, CancellationToken cancellationToken) =>
        Task.FromResult(new BrokerForm { Fields = [new FormField("topic", "Topic") { Required = true, Initial = "default topic" }] });

    public Task<SubmissionResult> SubmitAsync(SubmissionSubject subject, JsonObject parameters, CancellationToken cancellationToken)
    {
        Received.Enqueue((subject, parameters));
        return Task.FromResult(new SubmissionResult(true, "ok", "ref-1"));
    }
}

public sealed class UpstreamSubmissionTests : AppTest
{
    protected override void Arrange()
    {
        Factory.Settings["TOM_ALERT_CLASSES:0"] = "TomAlerts.Brokers.Gaia.GaiaBroker";
        Factory.Settings["TOM_ALERT_CLASSES:1"] = typeof(AcceptingBroker).FullName;
    }

    private async Task<int> TargetAsync() => await Factory.WithDbAsync(async db =>
    {
        var target = new Target { Name = $"T{Guid.NewGuid():N}"[..12], NormalizedName = "t", Created = DateTime.UtcNow, Modified = DateTime.UtcNow };
        db.Targets.Add(target);
        await db.SaveChangesAsync();
        await db.ShareWithTeamAsync();
        return target.Id;
    });

    [Fact]
    public async Task Submit_TargetWithExtraFields_ReachesTheBrokerAndRedirectsWithSuccess()
    {
        var user = await Factory.LoginAsync();
        var id = await TargetAsync();

        using var response = await user.Page.PostFormAsync($"/targets/{id}/", "/alerts/TEST/submit/",
            new() { ["target"] = id.ToString(), ["redirect_url"] = $"/targets/{id}/", ["topic"] = "test topic" });
        var (_, page) = await user.Page.GetAsync(response.Headers.Location!.OriginalString);

        Assert.Equal($"/targets/{id}/", response.Headers.Location!.OriginalString);
        Assert.Contains("Sent to TEST.", page, StringComparison.Ordinal);
        Assert.Contains(AcceptingBroker.Received, s => s.Subject.TargetId == id && JsonRead.String(s.Parameters["topic"]) == "test topic");
        Assert.Contains("submitted to TEST (ref-1)", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_BuiltInBroker_SaysItIsNotSupported()
    {
        var user = await Factory.LoginAsync();
        var id = await TargetAsync();

        using var response = await user.Page.PostFormAsync($"/targets/{id}/", "/alerts/Gaia/submit/", new() { ["target"] = id.ToString(), ["redirect_url"] = "/targets/" });
        var (_, page) = await user.Page.GetAsync("/targets/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Unable to submit one or more alerts to Gaia. Submitting alerts upstream is not supported by the Gaia broker.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_NeitherTargetNorObservation_ShowsTomsMessageAndGoesHomeNotOffSite()
    {
        var user = await Factory.LoginAsync();

        using var response = await user.Page.PostFormAsync("/targets/", "/alerts/TEST/submit/", new() { ["redirect_url"] = "https://evil.example.com/" });
        var (_, page) = await user.Page.GetAsync("/alerts/query/list/");

        Assert.Equal("/", response.Headers.Location!.OriginalString);
        Assert.Contains("Must provide either Target or ObservationRecord to be submitted upstream.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_UnknownBroker_Is404()
    {
        var user = await Factory.LoginAsync();

        using var response = await user.Page.PostFormAsync("/targets/", "/alerts/MARS/submit/", new() { ["target"] = "1" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No broker named MARS is configured.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
