using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Options;
using TomAlerts.Brokers.Resilience;

namespace TomAlerts.Web.Features.BrokerHealth;

/// <summary>
/// A page (an HTML GET) never waits on a slow broker beyond <see cref="BrokerHealthOptions.PageBudget"/>: broker calls
/// it makes give up then, and the page renders with the broker's "did not answer in time" notice. Runs, which execute
/// in the background, keep the full timeouts and retries; so do API calls ([ApiController]), whose clients chose to
/// wait, and pages marked <see cref="WaitsForBrokersAttribute"/>.
/// </summary>
public sealed class BrokerPageBudgetFilter(IOptions<BrokerHealthOptions> options, TimeProvider clock) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var method = context.HttpContext.Request.Method;
        var metadata = context.ActionDescriptor.EndpointMetadata;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method)
            || metadata.OfType<IApiBehaviorMetadata>().Any() || metadata.OfType<WaitsForBrokersAttribute>().Any())
        {
            await next();
            return;
        }
        using var budget = BrokerCallScope.WithDeadline(clock.GetUtcNow() + options.Value.PageBudget);
        await next();
    }
}

/// <summary>
/// This page asks brokers on purpose (a live search) and bounds that wait itself, so the page budget of
/// <see cref="BrokerPageBudgetFilter"/> does not apply to it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class WaitsForBrokersAttribute : Attribute;
