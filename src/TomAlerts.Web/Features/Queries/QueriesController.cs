using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TomAlerts.Brokers;
using TomAlerts.Data;
using TomAlerts.Queries;
using TomAlerts.Web.Features.Schedules;
using TomAlerts.Web.Features.Shared;
using TomAlerts.Web.Hosting;

namespace TomAlerts.Web.Features.Queries;

/// <summary>Saved broker queries: list, create, update, delete (paths as TOM's /alerts/query/...).</summary>
[Route("alerts/query")]
public sealed class QueriesController(AppDbContext db, BrokerRegistry brokers, SavedQueries savedQueries, QuerySchedules schedules) : Controller
{
    private const int PageSize = 25;
    private const int RecentRuns = 10;

    [HttpGet("list/")]
    public async Task<IActionResult> List(string? broker, string? name, int page = 1, CancellationToken cancellationToken = default)
    {
        var query = SavedQueries.Filter(VisibleQueries(), broker, name);
        var paging = new Paging(page, PageSize, await query.CountAsync(cancellationToken)).Clamped();
        var userId = User.UserId();
        var isAdmin = User.IsAdmin();
        var rows = await query
            .OrderByDescending(q => q.Created).ThenByDescending(q => q.Id)
            .Skip(paging.Skip).Take(PageSize)
            .Select(q => new
            {
                q.Id, q.Name, q.Broker, q.Created, q.LastRun, q.Visibility, q.OwnerId,
                OwnerEmail = db.Users.Where(u => u.Id == q.OwnerId).Select(u => u.Email).FirstOrDefault(),
                LastStatus = q.Runs.OrderByDescending(r => r.Id).Select(r => (RunStatus?)r.Status).FirstOrDefault(),
                q.ScheduleMinutes, q.ScheduleCron, q.SchedulePaused,
            })
            .ToListAsync(cancellationToken);
        var scheduleSummaries = await schedules.SummariesAsync(rows.Select(r => new BrokerQuery
        {
            Id = r.Id, Name = r.Name, Broker = r.Broker, Parameters = "", ScheduleMinutes = r.ScheduleMinutes, ScheduleCron = r.ScheduleCron, SchedulePaused = r.SchedulePaused,
        }), cancellationToken);
        return View(new QueryListViewModel
        {
            Rows = rows.Select(r => new QueryListRow(r.Id, r.Name, r.Broker, r.Created, r.LastRun, r.Visibility,
                isAdmin || r.OwnerId == userId, r.LastStatus?.ToString(), SavedQueries.OwnerLabel(r.OwnerId, r.OwnerEmail, User))).ToList(),
            Brokers = brokers.Names,
            Stubs = brokers.Registrations.Where(b => b.IsStub).Select(b => b.Name).ToHashSet(),
            BrokerFilter = broker,
            NameFilter = name,
            Paging = paging,
            Schedules = scheduleSummaries,
        });
    }

    [HttpGet("create/")]
    public async Task<IActionResult> Create(string? broker, CancellationToken cancellationToken)
    {
        if (!brokers.TryGet(broker, out var found))
        {
            return BrokerNotFound(broker);
        }
        var form = await found.GetFormAsync(cancellationToken);
        var initial = form.Fields.Where(f => f.Initial is not null).ToDictionary(f => f.Name, f => f.Initial);
        return View("Form", new QueryFormViewModel { BrokerName = found.Name, Broker = found, Form = form, Values = initial, Schedule = schedules.FieldsFor(null) });
    }

    [HttpPost("create/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> CreatePost(CancellationToken cancellationToken)
    {
        var brokerName = Request.Form[BrokerForm.BrokerField].ToString();
        if (!brokers.TryGet(brokerName, out var broker))
        {
            return BrokerNotFound(brokerName);
        }
        return await SaveAsync(broker, null, cancellationToken);
    }

    [HttpGet("{id:int}/update/")]
    public async Task<IActionResult> Update(int id, CancellationToken cancellationToken)
    {
        var (query, broker, problem) = await EditableAsync(id, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var form = await broker.GetFormAsync(cancellationToken);
        var values = query.ReadParameters() is { } parameters ? BrokerForm.ToInput(parameters) : new Dictionary<string, string?>();
        values[BrokerForm.QueryNameField] = query.Name;
        return View("Form", new QueryFormViewModel
        {
            BrokerName = broker.Name, Broker = broker, Form = form, Values = values, QueryId = id, Visibility = query.Visibility,
            Schedule = schedules.FieldsFor(query),
        });
    }

    [HttpPost("{id:int}/update/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> UpdatePost(int id, CancellationToken cancellationToken)
    {
        var (query, broker, problem) = await EditableAsync(id, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var posted = Request.Form[BrokerForm.BrokerField].ToString();
        if (posted.Length > 0 && !string.Equals(posted, query.Broker, StringComparison.OrdinalIgnoreCase))
        {
            return Tampered($"This query belongs to the {query.Broker} broker; it cannot be saved as a {posted} query.");
        }
        return await SaveAsync(broker, query, cancellationToken);
    }

    [HttpGet("{id:int}/view/")]
    public async Task<IActionResult> Details(int id, CancellationToken cancellationToken)
    {
        var query = await savedQueries.FindVisibleAsync(id, User, cancellationToken);
        if (query is null)
        {
            return NotVisible(id);
        }
        var known = brokers.TryGet(query.Broker, out var broker);
        var ownerEmail = query.OwnerId is null ? null
            : await db.Users.AsNoTracking().Where(u => u.Id == query.OwnerId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
        var summaries = await schedules.SummariesAsync([query], cancellationToken);
        return View(new QueryDetailsViewModel
        {
            Query = query,
            Owner = SavedQueries.OwnerLabel(query.OwnerId, ownerEmail, User),
            Filters = await QueryFilters.DescribeAsync(known ? broker : null, query.ReadParameters(), cancellationToken),
            Schedule = summaries.GetValueOrDefault(query.Id),
            Runs = await db.QueryRuns.AsNoTracking().Where(r => r.BrokerQueryId == id).OrderByDescending(r => r.Id).Take(RecentRuns).ToListAsync(cancellationToken),
            CanEdit = CanEdit(query),
            BrokerWorks = known && !broker!.IsStub,
        });
    }

    [HttpPost("{id:int}/copy/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> Copy(int id, CancellationToken cancellationToken)
    {
        var query = await savedQueries.FindVisibleAsync(id, User, cancellationToken);
        if (query is null)
        {
            return NotVisible(id);
        }
        if (!brokers.TryGet(query.Broker, out var broker))
        {
            return BrokerNotFound(query.Broker);
        }
        if (broker.IsStub)
        {
            return this.ProblemPage(StatusCodes.Status400BadRequest, "The query could not be copied",
                $"TomAlerts cannot fetch alerts from {broker.Name} yet, so its queries cannot be copied.", $"/alerts/query/{id}/view/", "Back to the query");
        }
        var copy = await savedQueries.CopyAsync(query, User.UserId(), cancellationToken);
        TempData["Success"] = $"Copied \"{query.Name}\" to your queries as \"{copy.Name}\", private to you. Change it here, or keep it as it is.";
        return Redirect($"/alerts/query/{copy.Id}/update/");
    }

    [HttpGet("{id:int}/delete/")]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken)
    {
        var query = await db.BrokerQueries.FindAsync([id], cancellationToken);
        return query is null || query.IsStream || !CanEdit(query) ? QueryNotFound(id) : View(query);
    }

    [HttpPost("{id:int}/delete/")]
    [ValidateAntiForgeryToken]
    public async Task<IActionResult> DeletePost(int id, CancellationToken cancellationToken)
    {
        var query = await db.BrokerQueries.FindAsync([id], cancellationToken);
        if (query is null || query.IsStream || !CanEdit(query))
        {
            return QueryNotFound(id);
        }
        await savedQueries.DeleteAsync(query, cancellationToken);
        TempData["Success"] = $"Deleted the query \"{query.Name}\".";
        return Redirect("/alerts/query/list/");
    }

    private async Task<IActionResult> SaveAsync(IBroker broker, BrokerQuery? existing, CancellationToken cancellationToken)
    {
        var form = await broker.GetFormAsync(cancellationToken);
        var input = Request.Form.Keys.ToDictionary(k => k, k => (string?)Request.Form[k].ToString(), StringComparer.Ordinal);
        var submission = SavedQueries.Check(broker, form, input);
        if (submission.Refusal is { } refusal)
        {
            return Tampered(refusal);
        }
        var schedule = schedules.Read(Request.Form, existing);
        if (!submission.IsValid || !schedule.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Form", new QueryFormViewModel
            {
                BrokerName = broker.Name, Broker = broker, Form = form, Values = input, Errors = submission.Result!.Errors,
                QueryId = existing?.Id, Visibility = submission.Visibility, Schedule = schedule,
            });
        }

        var query = await savedQueries.SaveAsync(broker, existing, submission, User.UserId(), schedule, cancellationToken);
        TempData["Success"] = existing is null ? $"Saved the query \"{query.Name}\"." : $"Updated the query \"{query.Name}\".";
        return Redirect("/alerts/query/list/");
    }

    /// <summary>The query <paramref name="id"/> with its broker when the user may change it, otherwise the page saying why not.</summary>
    private async Task<(BrokerQuery Query, IBroker Broker, IActionResult? Problem)> EditableAsync(int id, CancellationToken cancellationToken)
    {
        var query = await db.BrokerQueries.FindAsync([id], cancellationToken);
        if (query is null || query.IsStream || !CanEdit(query))
        {
            return (null!, null!, QueryNotFound(id));
        }
        return brokers.TryGet(query.Broker, out var broker) ? (query, broker, null) : (query, null!, BrokerNotFound(query.Broker));
    }

    private IQueryable<BrokerQuery> VisibleQueries() => SavedQueries.VisibleTo(db.BrokerQueries, User);

    private bool CanEdit(BrokerQuery query) => SavedQueries.CanEdit(query, User);

    private ViewResult BrokerNotFound(string? name) =>
        this.ProblemPage(StatusCodes.Status404NotFound, "Broker not found",
            string.IsNullOrWhiteSpace(name) ? "No broker was named. Pick one of the brokers on the query list." : $"No broker named {name} is configured.",
            "/alerts/query/list/", "Back to the query list");

    private ViewResult QueryNotFound(int id) =>
        this.ProblemPage(StatusCodes.Status404NotFound, "Query not found", $"There is no saved query {id} that you can change.",
            "/alerts/query/list/", "Back to the query list");

    private ViewResult NotVisible(int id) =>
        this.ProblemPage(StatusCodes.Status404NotFound, "Query not found", $"There is no saved query {id} that you can see.",
            "/alerts/query/list/", "Back to the query list");

    private ViewResult Tampered(string message) =>
        this.ProblemPage(StatusCodes.Status400BadRequest, "The form could not be saved", message, "/alerts/query/list/", "Back to the query list");
}
