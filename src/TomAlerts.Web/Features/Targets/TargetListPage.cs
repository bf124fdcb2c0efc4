using System.Linq.Expressions;
using System.Security.Claims;
using TomAlerts.Targets;
using TomAlerts.Web.Features.Shared;
using TomAlerts.Web.Features.TargetLists;

namespace TomAlerts.Web.Features.Targets;

/// <summary>Fills the target table of the target list page and of a target list's own page: the same columns, sort and paging.</summary>
public sealed class TargetListPage(TargetQueries targets, SavedTargetLists lists)
{
    public const int PageSize = 50;

    /// <summary>The columns the target table shows, every one it sorts by among them (a keyset page reads no others).</summary>
    public static readonly Expression<Func<Target, Target>> Columns = t => new Target
    {
        Id = t.Id, Name = t.Name, Ra = t.Ra, Dec = t.Dec, LastMagnitude = t.LastMagnitude, LastBand = t.LastBand, LastDetection = t.LastDetection,
        ClassName = t.ClassName, ClassSource = t.ClassSource, PhotometryCount = t.PhotometryCount, Created = t.Created,
    };

    /// <summary>The filter's rows, sorted, by cursor (a cone: by page number); false when the filter is not valid (its errors are on the model).</summary>
    public async Task<bool> FillAsync(TargetListViewModel model, TargetFilter filter, string? sort, string? after, string? before, int page, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        model.Sort = TargetSort.Parse(sort) ?? TargetSort.Default;
        filter = filter with { Sort = model.Sort };
        foreach (var (field, error) in filter.Validate())
        {
            model.Errors[field] = error;
        }
        if (model.Errors.Count > 0)
        {
            return false;
        }
        if (filter.IsCone)
        {
            var found = await targets.PageAsync(filter, user, page, PageSize, clamp: true, cancellationToken);
            (model.Paging, model.Rows) = (found.Paging, found.Rows);
        }
        else
        {
            var keyset = await targets.KeysetPageAsync(filter, user, TargetSortCursor.Parse(after, model.Sort), TargetSortCursor.Parse(before, model.Sort), PageSize, cancellationToken, Columns);
            (model.Rows, model.HasPrevious, model.HasNext) = (keyset.Rows, keyset.HasPrevious, keyset.HasNext);
            model.Paging = new Paging(keyset.HasPrevious ? Math.Max(2, page) : 1, PageSize, keyset.Total);
            model.Keyset = true;
        }
        var memberships = await lists.MembershipsAsync([.. model.Rows.Select(r => r.Target.Id)], user, cancellationToken);
        (model.Lists, model.ChangeableLists) = (memberships.Of, memberships.Changeable);
        return true;
    }
}
