using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Brokers;
using TomAlerts.Web.Features.Targets;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Targets;

public sealed class TargetMatchingTests : AppTest
{
    private async Task<AlertOutcome> SaveAsync(string name, params string[] aliases)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var creator = scope.ServiceProvider.GetRequiredService<TargetCreator>();
        var broker = scope.ServiceProvider.GetRequiredService<BrokerRegistry>().GetServiceClass("ANTARES");
        // No position: only the names can match.
        return await creator.SaveAsync(broker, new TargetCandidate { Name = name, Aliases = aliases }, null, name, name, null, null, CancellationToken.None);
    }

    [Theory]
    [InlineData("AT2023vjq")]
    [InlineData("SN 2023vjq")]
    [InlineData("at 2023VJQ")]
    [InlineData("TDE2023vjq")]
    [InlineData("2023vjq")]
    public async Task SaveAsync_AnotherFormOfTheTnsDesignation_MatchesTheTarget(string name)
    {
        var first = await SaveAsync("SN2023vjq", "ZTF23abtfusv");

        var again = await SaveAsync(name);

        Assert.Equal(AlertOutcomeKind.Created, first.Outcome);
        Assert.Equal((AlertOutcomeKind.Matched, first.TargetId, "SN2023vjq"), (again.Outcome, again.TargetId, again.TargetName));
    }

    [Fact]
    public async Task SaveAsync_FrbWithAndWithoutPrefix_IsOneTarget()
    {
        var first = await SaveAsync("FRB20190520B");

        var again = await SaveAsync("FRB 20190520b");
        var bare = await SaveAsync("20190520B");

        Assert.Equal([first.TargetId, first.TargetId], new[] { again.TargetId, bare.TargetId });
    }

    [Theory]
    [InlineData("AT2023vjr")]
    [InlineData("SN2024vjq")]
    [InlineData("Gaia23vjq")]
    public async Task SaveAsync_ADifferentObject_IsANewTarget(string name)
    {
        var first = await SaveAsync("SN2023vjq");

        var other = await SaveAsync(name);

        Assert.Equal(AlertOutcomeKind.Created, other.Outcome);
        Assert.NotEqual(first.TargetId, other.TargetId);
    }
}
