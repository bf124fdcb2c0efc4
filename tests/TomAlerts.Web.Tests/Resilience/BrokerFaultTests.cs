using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Runs;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Resilience;

/// <summary>
/// Each broker client against a loopback broker that fails in each way brokers do. Whatever the fault: the run ends
/// failed with a message a person can read, no page answers 5xx or takes a second, and the health page shows the error.
/// Each case runs on its own app (fresh pipelines, so one case's circuit does not trip the next) over a shared database.
/// </summary>
public abstract class BrokerFaultTests(FaultFixture factory)
{
    protected abstract BrokerCase Broker { get; }

    [Theory]
    [InlineData(BrokerFault.ServerError)]
    [InlineData(BrokerFault.SlowReply)]
    [InlineData(BrokerFault.GarbageBytes)]
    [InlineData(BrokerFault.TruncatedJson)]
    [InlineData(BrokerFault.HtmlErrorPage)]
    [InlineData(BrokerFault.RateLimited)]
    [InlineData(BrokerFault.ConnectionRefused)]
    public async Task Run_BrokerFault_FailsReadablyPagesStayUpAndHealthShowsIt(BrokerFault fault)
    {
        var user = await factory.UserAsync();
        var queryId = await factory.SaveQueryAsync(user, Broker.Name, Broker.Query);
        await using var broken = await FakeBrokerServer.StartAsync();
        if (fault != BrokerFault.ConnectionRefused)
        {
            broken.MapFault("/", fault, Broker == BrokerCase.Gaia ? BrokerFaults.TruncatedGaiaIndex : null);
        }
        var url = fault == BrokerFault.ConnectionRefused ? BrokerFaults.ClosedPortUrl() : broken.Url + Broker.Prefix;
        await using var app = await factory.DeriveAsync(user, (Broker.UrlKey, url));

        var run = await app.RunAsync(queryId);
        // Before the pages below call the broker again (ALeRCE's form does), which would make their errors the latest.
        var health = await app.Page.WaitForHealthAsync(Broker.Name, ExpectedCallError(fault) ?? RunMessages.Split(run.Error).Message);
        await app.Page.AssertPagesUpAsync($"/alerts/run/{run.Id}/", $"/alerts/query/{queryId}/runs/", "/alerts/query/list/",
            $"/alerts/query/create/?broker={Broker.Name}", $"/alerts/query/{queryId}/update/", "/targets/", "/brokers/");
        var failedCalls = await app.WithDbAsync(db => db.BrokerCalls.AsNoTracking().Where(c => c.Broker == Broker.Name && !c.Succeeded).ToListAsync());

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains(ExpectedRunError(fault), run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        var (message, detail) = RunMessages.Split(run.Error);
        Assert.Contains(message, health, StringComparison.Ordinal); // the last failed run
        if (detail is not null)
        {
            Assert.Contains(detail, health, StringComparison.Ordinal); // its technical detail, folded
        }
        if (ExpectedCallError(fault) is { } callError)
        {
            Assert.Contains(failedCalls, c => c.Error!.Contains(callError, StringComparison.Ordinal));
            Assert.Contains(callError, health, StringComparison.Ordinal); // the last error
        }
    }

    private string ExpectedRunError(BrokerFault fault) => (fault, Broker.SpeaksJson) switch
    {
        (BrokerFault.ServerError, _) => $"{Broker.Name} answered 500 Internal Server Error",
        (BrokerFault.SlowReply, _) => $"{Broker.Name} did not answer within",
        (BrokerFault.GarbageBytes or BrokerFault.TruncatedJson or BrokerFault.HtmlErrorPage, true) => $"{Broker.Name} sent a response that is not JSON",
        (BrokerFault.TruncatedJson, false) => "Gaia's alert index list could not be read as JSON",
        (BrokerFault.GarbageBytes or BrokerFault.HtmlErrorPage, false) => "the page layout may have changed",
        (BrokerFault.RateLimited, _) when Broker == BrokerCase.Tns => "Still limited after 3 waits; try again later.",
        (BrokerFault.RateLimited, _) => $"{Broker.Name}'s request limit is used up; it resets at ",
        (BrokerFault.ConnectionRefused, _) => $"Could not reach {Broker.Name}: Connection refused",
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    /// <summary>What the recorded call says; null where the HTTP exchange itself went fine (Gaia serves pages, not JSON).</summary>
    private string? ExpectedCallError(BrokerFault fault) => fault switch
    {
        BrokerFault.ServerError => $"{Broker.Name} answered 500 Internal Server Error",
        BrokerFault.SlowReply => $"{Broker.Name} did not answer within",
        BrokerFault.GarbageBytes or BrokerFault.TruncatedJson or BrokerFault.HtmlErrorPage when Broker.SpeaksJson => $"{Broker.Name} answered 200 but not with JSON",
        BrokerFault.RateLimited => $"{Broker.Name} answered 429 Too Many Requests",
        BrokerFault.ConnectionRefused => $"Could not reach {Broker.Name}: Connection refused",
        _ => null,
    };
}

public sealed class AlerceFaultTests(FaultFixture factory) : BrokerFaultTests(factory), IClassFixture<FaultFixture>
{
    protected override BrokerCase Broker => BrokerCase.Alerce;
}

public sealed class GaiaFaultTests(FaultFixture factory) : BrokerFaultTests(factory), IClassFixture<FaultFixture>
{
    protected override BrokerCase Broker => BrokerCase.Gaia;
}

public sealed class LasairFaultTests(FaultFixture factory) : BrokerFaultTests(factory), IClassFixture<FaultFixture>
{
    protected override BrokerCase Broker => BrokerCase.Lasair;
}

public sealed class TnsFaultTests(FaultFixture factory) : BrokerFaultTests(factory), IClassFixture<FaultFixture>
{
    protected override BrokerCase Broker => BrokerCase.Tns;
}
