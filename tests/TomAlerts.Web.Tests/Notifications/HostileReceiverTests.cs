using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Schedules;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Notifications;

/// <summary>
/// Webhook receivers that stall or flood: one that trickles its status line a byte a second, one that answers 200 and
/// then trickles its body, one that streams hundreds of MB. None may hold a run slot, time beyond the webhook timeouts,
/// or memory.
/// </summary>
public sealed class HostileReceiverTests : AppTest
{
    private const long HugeBody = 400L * 1024 * 1024;
    private readonly SlowLorisListener loris = new();

    protected override void Arrange()
    {
        Factory.Settings["Notifications:Webhook:AllowPrivateAddresses"] = "true"; // the receivers are on 127.0.0.1
        Factory.Settings["Notifications:Webhook:AttemptTimeout"] = "00:00:02";
        Factory.Settings["Notifications:Webhook:TotalTimeout"] = "00:00:05";
        Factory.Settings["Notifications:Webhook:MaxRetries"] = "0";
        Factory.Brokers.MapAlerce(2);
        Factory.Brokers.Map("/trickle", async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            await context.Response.StartAsync();
            try
            {
                while (!context.RequestAborted.IsCancellationRequested)
                {
                    await context.Response.Body.WriteAsync("."u8.ToArray(), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(1000, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
            }
        });
        Factory.Brokers.Map("/huge", async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/octet-stream";
            var chunk = new byte[64 * 1024];
            try
            {
                for (long sent = 0; sent < HugeBody && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
            }
        });
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        loris.Dispose();
    }

    [Fact]
    public async Task StallingAndFloodingReceivers_RunsFinishInNormalTime_OtherUsersRunIsNotDelayed_MemoryStaysFlat()
    {
        var attacker = await Factory.LoginAsync();
        var hooks = new[] { loris.Url, Factory.Brokers.Url + "/trickle", Factory.Brokers.Url + "/huge" };
        var queries = new List<int>();
        foreach (var hook in hooks)
        {
            queries.Add(await Factory.SaveAlerceQueryAsync(attacker, new() { ["webhook_url"] = hook, ["webhook_secret"] = "s3cret-hook-key" }));
        }
        var victim = await Factory.LoginAsync();
        var victimQuery = await Factory.SaveAlerceQueryAsync(victim, []);
        using var sampler = new MemorySampler();
        var clock = Stopwatch.StartNew();

        var attackRuns = new List<long>();
        foreach (var queryId in queries)
        {
            attackRuns.Add(await attacker.Page.StartRunAsync(queryId));
        }
        await Factory.WaitForRunAsync(attackRuns[0], TimeSpan.FromSeconds(20)); // its follow-up is now stalling on the receiver
        var victimStarted = clock.Elapsed;
        var victimRun = await Factory.RunQueryAsync(victim, victimQuery);
        var victimTook = clock.Elapsed - victimStarted;
        foreach (var runId in attackRuns)
        {
            Assert.Equal(RunStatus.Succeeded, (await Factory.WaitForRunAsync(runId, TimeSpan.FromSeconds(10))).Status);
        }
        var lorisRun = await WaitForFeedbackAsync(attackRuns[0], "Webhook:");
        var trickleRun = await WaitForFeedbackAsync(attackRuns[1], "Webhook:");
        var hugeRun = await WaitForFeedbackAsync(attackRuns[2], "Webhook:");
        var allDone = clock.Elapsed;

        Assert.True(victimTook < TimeSpan.FromSeconds(5), $"The other user's run took {victimTook.TotalSeconds:0.0} s.");
        Assert.Equal(RunStatus.Succeeded, (await Factory.WaitForRunAsync(victimRun)).Status);
        Assert.True(allDone < TimeSpan.FromSeconds(15), $"The follow-ups took {allDone.TotalSeconds:0.0} s; the webhook's total timeout is 5 s.");
        Assert.Contains("could not be reached", lorisRun.Feedback, StringComparison.Ordinal);
        Assert.Contains("Webhook: sent 2 new alerts", trickleRun.Feedback, StringComparison.Ordinal);
        Assert.Contains("Webhook: sent 2 new alerts", hugeRun.Feedback, StringComparison.Ordinal);
        Assert.True(sampler.PeakGrowth < 150L * 1024 * 1024,
            $"Managed memory grew by {sampler.PeakGrowth / (1024 * 1024)} MB while a receiver streamed {HugeBody / (1024 * 1024)} MB.");
        var followUps = await Factory.WithDbAsync(db => db.RunFollowUps.AsNoTracking().Where(f => attackRuns.Contains(f.QueryRunId)).ToListAsync());
        Assert.All(followUps, f => Assert.Equal(FollowUpState.Done, f.State));
    }

    private Task<QueryRun> WaitForFeedbackAsync(long runId, string text) =>
        Poll.UntilAsync(
            () => Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId)),
            run => run.Feedback?.Contains(text, StringComparison.Ordinal) == true,
            run => $"Run {runId} has no feedback saying \"{text}\": {run.Feedback}",
            TimeSpan.FromSeconds(20));

    /// <summary>The most the managed heap grew above where it stood at the start, sampled every 20 ms.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly long start = GC.GetTotalMemory(forceFullCollection: true);
        private readonly CancellationTokenSource stop = new();
        private long peak;

        public MemorySampler() => _ = SampleAsync();

        public long PeakGrowth => Interlocked.Read(ref peak) - start;

        private async Task SampleAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var now = GC.GetTotalMemory(forceFullCollection: false);
                if (now > Interlocked.Read(ref peak))
                {
                    Interlocked.Exchange(ref peak, now);
                }
                await Task.Delay(20);
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            stop.Dispose();
        }
    }
}

/// <summary>An HTTP "server" on 127.0.0.1 that reads a request and then sends its status line one byte a second, forever.</summary>
internal sealed class SlowLorisListener : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();

    public SlowLorisListener()
    {
        listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/hook";

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                _ = TrickleAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task TrickleAsync(TcpClient client)
    {
        using var connection = client;
        var stream = client.GetStream();
        try
        {
            _ = await stream.ReadAsync(new byte[64 * 1024], stop.Token); // the request, or as much of it as came first
            foreach (var b in Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nX-Padding: " + new string('a', 10_000)))
            {
                await stream.WriteAsync(new[] { b }, stop.Token);
                await Task.Delay(1000, stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        stop.Dispose();
    }
}
