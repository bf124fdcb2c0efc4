using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Queries;
using TomAlerts.Web.Tests.Schedules;
using TomAlerts.Web.Tests.Support;

namespace TomAlerts.Web.Tests.Notifications;

/// <summary>One digest per run with new alerts, by email to a local SMTP listener and by webhook to a local receiver.</summary>
public sealed class NotificationTests : AppTest
{
    private const string Secret = "webhook-shared-secret-42";

    private readonly SmtpListener smtp = new();
    private readonly ConcurrentQueue<(string Signature, byte[] Body, int Status)> deliveries = new();
    private int webhookCalls;

    protected override void Arrange()
    {
        Factory.Settings["Smtp:Host"] = "127.0.0.1";
        Factory.Settings["Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Factory.Settings["Smtp:UseTls"] = "false";
        Factory.Settings["Smtp:From"] = "TomAlerts <tomalerts@example.org>";
        Factory.Settings["Notifications:PublicUrl"] = "https://tom.example.org";
        Factory.Settings["Notifications:Webhook:RetryDelay"] = "00:00:00.010";
        Factory.Settings["Notifications:Webhook:AllowPrivateAddresses"] = "true"; // the receiver is on 127.0.0.1
        // The receiver: the first delivery attempt of every run fails with a 500, the retry succeeds.
        Factory.Brokers.Map("/hook", async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var status = Interlocked.Increment(ref webhookCalls) % 2 == 1 ? 500 : 200;
            deliveries.Enqueue((context.Request.Headers["X-TomAlerts-Signature"].ToString(), buffer.ToArray(), status));
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(status == 200 ? "thanks" : "try again");
        });
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await smtp.DisposeAsync();
    }

    [Fact]
    public async Task Email_RunsWithAndWithoutNewAlerts_OneDigestPerRunWithNewAlertsOnly()
    {
        Factory.Brokers.MapAlerce(3);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveAlerceQueryAsync(user, new() { ["notify_email"] = "true" });

        await Factory.RunQueryAsync(user, queryId);
        var first = (await smtp.WaitForMessageAsync(1)).Parse();
        await Factory.RunQueryAsync(user, queryId); // nothing new: nothing sent
        Factory.Brokers.MapAlerce(4);
        var third = await Factory.RunQueryAsync(user, queryId);
        var second = (await smtp.WaitForMessageAsync(2)).Parse();
        await WaitForFeedbackAsync(third, "Email: sent"); // the last run's follow-up has sent all it will send

        Assert.Equal(2, smtp.Messages.Count);
        Assert.Equal(user.Email, Assert.Single(first.To.Mailboxes).Address);
        Assert.Equal("tomalerts@example.org", Assert.Single(first.From.Mailboxes).Address);
        Assert.StartsWith("TomAlerts: 3 new alerts from", first.Subject, StringComparison.Ordinal);
        Assert.Contains(FakeAlerce.Oid(0), first.TextBody, StringComparison.Ordinal);
        Assert.Contains(FakeAlerce.Oid(2), first.TextBody, StringComparison.Ordinal);
        Assert.StartsWith("TomAlerts: 1 new alert from", second.Subject, StringComparison.Ordinal);
        Assert.Contains(FakeAlerce.Oid(3), second.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeAlerce.Oid(0), second.TextBody, StringComparison.Ordinal);
        Assert.Contains($"https://tom.example.org/alerts/run/{third}/?new=1", second.HtmlBody, StringComparison.Ordinal);
        var feedback = await Factory.WithDbAsync(db => db.QueryRuns.Where(r => r.Id == third).Select(r => r.Feedback).SingleAsync());
        Assert.Contains("Email: sent 1 new alert to", feedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_FirstAttemptFails_RetriedAndDeliveredSignedOncePerRunWithNewAlerts()
    {
        Factory.Brokers.MapAlerce(2);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveAlerceQueryAsync(user, new() { ["webhook_url"] = Factory.Brokers.Url + "/hook", ["webhook_secret"] = Secret });

        var first = await Factory.RunQueryAsync(user, queryId);
        await WaitForDeliveriesAsync(2);
        await Factory.RunQueryAsync(user, queryId); // nothing new: nothing sent
        Factory.Brokers.MapAlerce(3);
        var third = await Factory.RunQueryAsync(user, queryId);
        await WaitForDeliveriesAsync(4);
        await WaitForFeedbackAsync(third, "Webhook: sent"); // the last run's follow-up has sent all it will send

        var all = deliveries.ToList();
        Assert.Equal(4, all.Count);
        Assert.Equal([500, 200, 500, 200], all.Select(d => d.Status));
        Assert.All(all, d => Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), d.Body)), d.Signature));
        var digest = JsonDocument.Parse(all[1].Body).RootElement;
        Assert.Equal(queryId, digest.GetProperty("query").GetProperty("id").GetInt32());
        Assert.Equal("ALeRCE", digest.GetProperty("query").GetProperty("broker").GetString());
        Assert.Equal(first, digest.GetProperty("run").GetProperty("id").GetInt64());
        Assert.Equal(2, digest.GetProperty("newAlertCount").GetInt32());
        Assert.False(digest.GetProperty("truncated").GetBoolean());
        var alert = digest.GetProperty("newAlerts")[0];
        Assert.Equal(FakeAlerce.Oid(0), alert.GetProperty("alertId").GetString());
        foreach (var field in new[] { "name", "ra", "dec", "mag", "score", "timestamp", "url", "classification" })
        {
            Assert.True(alert.TryGetProperty(field, out _), $"The digest's alerts lack {field}.");
        }
        var later = JsonDocument.Parse(all[3].Body).RootElement;
        Assert.Equal(third, later.GetProperty("run").GetProperty("id").GetInt64());
        Assert.Equal([FakeAlerce.Oid(2)], later.GetProperty("newAlerts").EnumerateArray().Select(a => a.GetProperty("alertId").GetString()));
        var run = await Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == third));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Contains("Webhook: sent 1 new alert ", run.Feedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_ReceiverAlwaysFails_RunStillSucceedsAndSaysSo()
    {
        Factory.Settings["Notifications:Webhook:MaxRetries"] = "2";
        Factory.Brokers.MapText("/broken-hook", 503, "down");
        Factory.Brokers.MapAlerce(1);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveAlerceQueryAsync(user, new() { ["webhook_url"] = Factory.Brokers.Url + "/broken-hook", ["webhook_secret"] = Secret });

        var runId = await Factory.RunQueryAsync(user, queryId);
        var run = await WaitForFeedbackAsync(runId, "Webhook:");

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Contains("answered HTTP 503", run.Feedback, StringComparison.Ordinal);
        Assert.Equal(3, Factory.Brokers.Requests.Count(r => r.StartsWith("POST /broken-hook", StringComparison.Ordinal)));
        Assert.DoesNotContain(Secret, run.Feedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_AddressInsideThePortalsNetwork_IsRefusedByDefault()
    {
        Factory.Settings["Notifications:Webhook:AllowPrivateAddresses"] = "false";
        Factory.Settings["Notifications:Webhook:MaxRetries"] = "0";
        Factory.Brokers.MapAlerce(1);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveAlerceQueryAsync(user, new() { ["webhook_url"] = Factory.Brokers.Url + "/hook", ["webhook_secret"] = Secret });

        var runId = await Factory.RunQueryAsync(user, queryId);
        var run = await WaitForFeedbackAsync(runId, "Webhook:");

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Contains("is not a public internet address", run.Feedback, StringComparison.Ordinal);
        Assert.DoesNotContain(Factory.Brokers.Requests, r => r.StartsWith("POST /hook", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AutoCreateTargets_NewAlerts_BecomeTargetsWithPhotometryOnce()
    {
        Factory.Brokers.MapAlerce(2);
        var user = await Factory.LoginAsync();
        var queryId = await Factory.SaveAlerceQueryAsync(user, new() { ["auto_create_targets"] = "true" });

        var first = await Factory.RunQueryAsync(user, queryId);
        await WaitForFeedbackAsync(first, "Targets for new alerts");
        Factory.Brokers.MapAlerce(3);
        var second = await Factory.RunQueryAsync(user, queryId);
        var run = await WaitForFeedbackAsync(second, "Targets for new alerts");
        var targets = await Factory.WithDbAsync(db => db.Targets.Include(t => t.Photometry).AsNoTracking().ToListAsync());

        Assert.Equal(3, targets.Count);
        Assert.Equal([FakeAlerce.Oid(0), FakeAlerce.Oid(1), FakeAlerce.Oid(2)], targets.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(targets, t => Assert.NotEmpty(t.Photometry));
        Assert.Contains("1 created, 0 matched", run.Feedback, StringComparison.Ordinal);
    }

    private Task WaitForDeliveriesAsync(int count) =>
        Poll.UntilAsync(() => Task.FromResult(deliveries.Count), received => received >= count,
            received => $"The receiver got {received} of {count} webhook calls.", TimeSpan.FromSeconds(30));

    private Task<QueryRun> WaitForFeedbackAsync(long runId, string text) =>
        Poll.UntilAsync(
            () => Factory.WithDbAsync(db => db.QueryRuns.AsNoTracking().SingleAsync(r => r.Id == runId)),
            run => run.Feedback?.Contains(text, StringComparison.Ordinal) == true,
            run => $"Run {runId} has no feedback saying \"{text}\": {run.Feedback}",
            TimeSpan.FromSeconds(30));
}
