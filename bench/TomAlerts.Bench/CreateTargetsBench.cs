using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TomAlerts.Brokers;
using TomAlerts.Sky;
using TomAlerts.Web.Features.Targets;

namespace TomAlerts.Bench;

/// <summary>Creating targets from alerts with identity matching on, each with a light curve of <c>points</c> points.</summary>
internal static class CreateTargetsBench
{
    public static async Task RunAsync(BenchApp app, int targets, int points)
    {
        var broker = new SyntheticBroker(points);
        var before = await app.WithDbAsync(db => db.Photometry.CountAsync());
        var matched = 0;
        var (elapsed, peak) = await BenchCommands.MeasureAsync(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var creator = scope.ServiceProvider.GetRequiredService<TargetCreator>();
            foreach (var outcome in await creator.SaveManyAsync(broker, Alerts(targets), null, null, CancellationToken.None))
            {
                // Over a seeded sky an alert may fall within 2″ of a seeded target: that is a match, as it should be.
                matched += outcome.Outcome == AlertOutcomeKind.Matched ? 1 : 0;
                if (outcome.Outcome == AlertOutcomeKind.Failed || outcome.Warning is not null)
                {
                    throw new InvalidOperationException($"{outcome.AlertName}: {outcome.Outcome} {outcome.Message} {outcome.Warning}");
                }
            }
        });
        var stored = await app.WithDbAsync(db => db.Photometry.CountAsync());
        Console.WriteLine($"create {targets:N0} targets with {points} photometry points each (identity matching on): {elapsed.TotalSeconds:0.00} s, "
            + $"{targets / elapsed.TotalSeconds:N0} targets/s ({elapsed.TotalMilliseconds / targets:0.00} ms each), {stored - before:N0} points stored, "
            + $"{matched} matched to an existing target by position, peak working set {peak:0} MiB");

        var (again, _) = await BenchCommands.MeasureAsync(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var creator = scope.ServiceProvider.GetRequiredService<TargetCreator>();
            await creator.SaveManyAsync(broker, Alerts(targets), null, null, CancellationToken.None);
        });
        var after = await app.WithDbAsync(db => db.Photometry.CountAsync());
        Console.WriteLine($"the same {targets:N0} alerts again (all matched, photometry merged): {again.TotalSeconds:0.00} s ({again.TotalMilliseconds / targets:0.00} ms each); "
            + $"points stored {after - before:N0} (unchanged: {after == stored})");
    }

    /// <summary>The bench's alerts as the creator takes them: one batch, as a run's selected alerts are.</summary>
    private static List<AlertTarget> Alerts(int count) => [.. Enumerable.Range(0, count).Select(i =>
    {
        var alert = BenchApp.AlerceItem(i);
        var candidate = new TargetCandidate { Name = (string)alert["oid"]!, Ra = (double)alert["meanra"]!, Dec = (double)alert["meandec"]! };
        return new AlertTarget(candidate, alert, candidate.Name, candidate.Name);
    })];

    /// <summary>A broker that answers from memory: a light curve of <c>points</c> points per object.</summary>
    private sealed class SyntheticBroker(int points) : BrokerBase(new HttpClient(), new BrokerSettings(new ConfigurationBuilder().Build().GetSection("none"), new BrokerAttribute("Synthetic")))
    {
        public override Task<BrokerForm> GetFormAsync(CancellationToken cancellationToken) => Task.FromResult(new BrokerForm());

        public override async IAsyncEnumerable<JsonObject> FetchAlertsAsync(JsonObject parameters, FetchFeedback feedback, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield break;
        }

        public override GenericAlert ToGenericAlert(JsonObject alert) => new() { Id = (string)alert["oid"]!, Name = (string)alert["oid"]! };

        public override Task<IReadOnlyList<PhotometryPoint>> ProcessReducedDataAsync(string alertId, JsonObject? alert, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PhotometryPoint>>(Enumerable.Range(0, points).Select(i => new PhotometryPoint
            {
                Timestamp = AstroTime.FromMjd(60200 + i * 0.73),
                Bandpass = i % 2 == 0 ? "g" : "r",
                Magnitude = i % 10 == 9 ? null : 18 + i % 7 * 0.1,
                MagnitudeError = 0.05,
                Limit = i % 10 == 9 ? 20.5 : null,
                Telescope = "ZTF",
            }).ToList());
    }
}
