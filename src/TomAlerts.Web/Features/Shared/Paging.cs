namespace TomAlerts.Web.Features.Shared;

/// <summary>One page of a list numbered from 1: which page, how many rows a page, and how many rows in all.</summary>
public readonly record struct Paging(int Page, int PageSize, int Total)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>Rows before this page; a page past the end (however far: no overflow) skips them all, so it is empty.</summary>
    public int Skip => (int)Math.Min((long)(Math.Max(1, Page) - 1) * Math.Max(0, PageSize), Total);

    /// <summary>The same list with a page past either end moved to the nearest page.</summary>
    public Paging Clamped() => this with { Page = Math.Clamp(Page, 1, PageCount) };

    /// <summary>Pager links for this page, each page's address made by <paramref name="url"/>.</summary>
    public Pager Links(string label, Func<int, string> url) => new(label, $"Page {Page} of {PageCount}",
        Page > 1 ? url(1) : null, Page > 1 ? url(Page - 1) : null, Page < PageCount ? url(Page + 1) : null, Page < PageCount ? url(PageCount) : null,
        NumberedPages: true, Shown: PageCount > 1);
}

/// <summary>
/// What the pager partial draws: the links that lead somewhere (null for a disabled one) and where the reader is.
/// Cursor-paged lists (<see cref="NumberedPages"/> false) have no last page to jump to.
/// </summary>
public sealed record Pager(string Label, string Status, string? First, string? Previous, string? Next, string? Last, bool NumberedPages, bool Shown)
{
    /// <summary>A cursor-paged list's links: the first and previous pages when there are newer rows, the next when older ones.</summary>
    public static Pager Cursor(string label, string status, string? first, string? previous, string? next) =>
        new(label, status, first, previous, next, null, NumberedPages: false, Shown: previous is not null || next is not null);
}
