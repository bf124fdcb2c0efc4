using Microsoft.AspNetCore.Mvc;
using TomAlerts.Brokers;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.BrokerHealth;

/// <summary>The installed brokers and their health: settings, circuit, latency, errors and rate limits.</summary>
[Route("brokers")]
public sealed class BrokerHealthController(BrokerRegistry brokers, BrokerHealthReader health, TimeProvider clock) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var rows = await health.ReadAsync(brokers.GetServiceClasses().Values.ToList(), User.UserId(), User.IsAdmin(), cancellationToken);
        return View(new BrokersViewModel(rows, clock.GetUtcNow()));
    }
}

public sealed record BrokersViewModel(IReadOnlyList<BrokerHealth> Brokers, DateTimeOffset Now)
{
    /// <summary>"42 s ago", "7 min ago", "3 h ago", "2 d ago".</summary>
    public string Ago(DateTime at)
    {
        var age = Now.UtcDateTime - at;
        return age.TotalSeconds < 60 ? $"{Math.Max(0, (int)age.TotalSeconds)} s ago"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes} min ago"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours} h ago"
            : $"{(int)age.TotalDays} d ago";
    }
}
