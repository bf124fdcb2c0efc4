using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Runs;

/// <summary>
/// ALeRCE queries whose naive translation the real server answers wrongly without an error, run end to end against
/// the loopback ALeRCE, which filters as the server's code does.
/// </summary>
public sealed class AlerceFilterTests : AppTest
{
    private const int Objects = 400;

    protected override void Arrange() => Factory.Brokers.MapAlerce(Objects);

    private async Task<List<RunAlert>> RunAsync(Dictionary<string, string> fields)
    {
        fields["max_pages"] = "20";
        var (_, _, runId) = await LogInAndRunAsync("ALeRCE", fields);
        var run = await Factory.WaitForRunAsync(runId);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        return await Factory.WithDbAsync(db => db.RunAlerts.Where(a => a.QueryRunId == runId).ToListAsync());
    }

    [Fact]
    public async Task FirstDetectedBefore_Alone_ReturnsOnlyObjectsFirstDetectedBefore()
    {
        const double before = 60050;

        var alerts = await RunAsync(new() { ["firstmjd__lt"] = before.ToString(CultureInfo.InvariantCulture) });

        var expected = Enumerable.Range(1, Objects - 1).Where(i => FakeAlerce.FirstMjd(i) <= before).Select(FakeAlerce.Oid).ToHashSet();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, alerts.Select(a => a.AlertId).ToHashSet());
    }

    [Theory]
    [InlineData("40", "0", 30)] // on the equator
    [InlineData("0", "-30", 350)] // at RA 0
    [InlineData("00:00:00", "-30:00:00", 350)]
    public async Task ConeAtZeroCoordinate_ReturnsTheObjectThere(string ra, string dec, int index)
    {
        var alerts = await RunAsync(new() { ["ra"] = ra, ["dec"] = dec, ["radius"] = "10" });

        Assert.Equal([FakeAlerce.Oid(index)], alerts.Select(a => a.AlertId));
    }
}
