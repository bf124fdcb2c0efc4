using Microsoft.AspNetCore.Mvc;
using TomAlerts.Brokers;

namespace TomAlerts.Web.Features.Brokers;

[Route("brokers")]
public sealed class BrokersController(BrokerRegistry brokers) : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View(brokers.GetServiceClasses().Values.ToList());
}
