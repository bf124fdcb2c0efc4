using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;
using TomAlerts.Brokers.Resilience;

namespace TomAlerts.Web.Features.Brokers;

/// <summary>
/// A page (a GET) never waits on a slow broker beyond <see cref="BrokerHealthOptions.PageBudget"/>: broker calls it
/// makes give up then, and the page renders with the broker's "did not answer in time" notice. Runs, which execute in
/// the background, keep the full timeouts and retries.
/// </summary>
public sealed class BrokerPageBudgetFilter(IOptions<BrokerHealthOptions> options, TimeProvider clock) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var method = context.HttpContext.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            await next();
            return;
        }
        using var budget = BrokerCallScope.WithDeadline(clock.GetUtcNow() + options.Value.PageBudget);
        await next();
    }
}
