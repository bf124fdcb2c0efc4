using Microsoft.EntityFrameworkCore;
using TomAlerts.Data;
using TomAlerts.Targets;

namespace TomAlerts.Web.Features.Targets;

/// <summary>A target's extras grouped by who set them, with the heading each source gets on the target page.</summary>
public sealed record ExtraGroup(string Source, string Heading, IReadOnlyList<TargetExtra> Extras);

public static class ExtraSources
{
    /// <summary>Brokers first (by name), then people (by user name), then values whose source was not recorded.</summary>
    public static async Task<IReadOnlyList<ExtraGroup>> GroupAsync(AppDbContext db, IReadOnlyList<TargetExtra> extras, CancellationToken cancellationToken)
    {
        var userIds = extras.Select(e => e.Source).Where(IsUser).Select(s => s[TargetExtra.UserSourcePrefix.Length..]).Distinct().ToList();
        var users = userIds.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.UserName ?? u.Id, cancellationToken);
        return [.. extras.GroupBy(e => e.Source)
            .Select(g => new ExtraGroup(g.Key, Heading(g.Key, users), [.. g.OrderBy(e => e.Key, StringComparer.Ordinal)]))
            .OrderBy(g => g.Source.Length == 0 ? 2 : IsUser(g.Source) ? 1 : 0).ThenBy(g => g.Heading, StringComparer.OrdinalIgnoreCase)];
    }

    private static bool IsUser(string source) => source.StartsWith(TargetExtra.UserSourcePrefix, StringComparison.Ordinal);

    private static string Heading(string source, IReadOnlyDictionary<string, string> users) =>
        source.Length == 0 ? "Source not recorded"
        : IsUser(source) ? users.GetValueOrDefault(source[TargetExtra.UserSourcePrefix.Length..], "a former user")
        : source;
}
