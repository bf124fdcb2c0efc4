using System.Net;
using System.Text.Json.Nodes;
using TomAlerts.Brokers;
using TomAlerts.Targets;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Upstream;

/// <summary>A broker that takes submissions only with a key it lacks, as TNS without its bot settings.</summary>
[Broker("KEYLESS")]
public sealed class KeylessSubmittingBroker(HttpClient http, BrokerSettings settings) : BrokerBase(http, settings), ISubmitsTargets
{
    public override BrokerStatus Status => new(Settings.Missing("api_key"));

    public override Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken) => Task.FromResult(new BrokerForm());

    public override IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback, CancellationToken cancellationToken) =>
        AsyncEnumerable.Empty<JsonObject>();

    public override GenericAlert ToGenericAlert(JsonObject alert) => new() { Id = "", Name = "" };

    public Task<BrokerForm> GetSubmissionFormAsync(SubmissionSubject subject, CancellationToken cancellationToken) =>
        Task.FromResult(new BrokerForm { Fields = [new FormField("topic", "Topic")] });

    public Task<SubmissionResult> SubmitAsync(SubmissionSubject subject, JsonObject parameters, CancellationToken cancellationToken) =>
        throw new BrokerNotConfiguredException("KEYLESS needs BROKERS:KEYLESS:api_key.");
}

public abstract class SubmissionChoicesTestBase : AppTest
{
    protected async Task<int> TargetAsync() => await Factory.WithDbAsync(async db =>
    {
        var target = new Target { Name = $"T{Guid.NewGuid():N}"[..12], NormalizedName = "t", Created = DateTime.UtcNow, Modified = DateTime.UtcNow };
        db.Targets.Add(target);
        await db.SaveChangesAsync();
        await db.ShareWithTeamAsync();
        return target.Id;
    });
}

public sealed class SubmissionChoicesTests : SubmissionChoicesTestBase
{
    protected override void Arrange()
    {
        Factory.Settings["TOM_ALERT_CLASSES:0"] = "TomAlerts.Brokers.Gaia.GaiaBroker";
        Factory.Settings["TOM_ALERT_CLASSES:1"] = typeof(AcceptingBroker).FullName;
        Factory.Settings["TOM_ALERT_CLASSES:2"] = typeof(KeylessSubmittingBroker).FullName;
    }

    [Fact]
    public async Task TargetPage_OffersOnlyBrokersThatCanTakeASubmissionNow()
    {
        var user = await Factory.LoginAsync();
        var id = await TargetAsync();

        var (_, page) = await user.Page.GetAsync($"/targets/{id}/");
        var (status, form) = await user.Page.GetAsync($"/alerts/KEYLESS/submit/?target={id}");

        Assert.Contains("Submit to TEST", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Submit to KEYLESS", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("An administrator must set BROKERS:KEYLESS:api_key.", form, StringComparison.Ordinal);
    }
}

public sealed class NoSubmissionBrokerTests : SubmissionChoicesTestBase
{
    protected override void Arrange()
    {
        Factory.Settings["TOM_ALERT_CLASSES:0"] = "TomAlerts.Brokers.Gaia.GaiaBroker";
        Factory.Settings["TOM_ALERT_CLASSES:1"] = typeof(KeylessSubmittingBroker).FullName;
    }

    [Fact]
    public async Task TargetPage_NoBrokerCanTakeASubmission_SaysSoAndTellsAnAdminWhatToSet()
    {
        var admin = await Factory.LoginAsync(admin: true);
        var id = await TargetAsync();

        var (_, page) = await admin.Page.GetAsync($"/targets/{id}/");

        Assert.DoesNotContain("id=\"submit-upstream\"", page, StringComparison.Ordinal);
        Assert.Contains("No broker can take a submission here yet", page, StringComparison.Ordinal);
        Assert.Contains("To send targets to a broker, set: BROKERS:KEYLESS:api_key.", page, StringComparison.Ordinal);
    }
}
