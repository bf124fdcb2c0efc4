using TomAlerts.Web.Features.Runs;

namespace TomAlerts.Web.Tests.Runs;

public class RunMessagesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 21, 47, 10, TimeSpan.Zero);

    [Fact]
    public void RateLimited_ResetToday_SaysTheTimeOfDayInUtcRoundedUpAndThatTheAlertsAreKept()
    {
        var message = RunMessages.RateLimited("Lasair", Now.AddSeconds(3600), 340, Now);

        Assert.Equal("Lasair's request limit is used up; it resets at 22:48 UTC. The 340 alerts stored so far are kept; resume the run after that time.", message);
    }

    [Fact]
    public void RateLimited_ResetTomorrowInAnotherOffset_GivesTheUtcDateToo()
    {
        var message = RunMessages.RateLimited("Lasair", new DateTimeOffset(2026, 12, 2, 1, 30, 0, TimeSpan.FromHours(2)), 1, Now.ToOffset(TimeSpan.FromHours(2)));

        Assert.Equal("Lasair's request limit is used up; it resets at 23:30 UTC. The 1 alert stored so far is kept; resume the run after that time.", message);
        Assert.Contains("on 2026-12-02.", RunMessages.RateLimited("X", Now.AddHours(3), 5, Now), StringComparison.Ordinal);
    }

    [Fact]
    public void RateLimited_NoResetNothingStored_SaysSoAndToRunAgainLater()
    {
        var message = RunMessages.RateLimited("ALeRCE", null, 0, Now);

        Assert.Equal("ALeRCE's request limit is used up; it did not say when it resets. Nothing was stored before that; run the query again later.", message);
    }
}
