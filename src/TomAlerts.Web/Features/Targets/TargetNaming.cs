using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TomAlerts.Data;
using TomAlerts.Targets;

namespace TomAlerts.Web.Features.Targets;

/// <summary>
/// The one way names reach a target as aliases (alerts, brokers' answers to submissions, merges). A name any target
/// already carries, in TOM's normalised form, is not added again. When a TNS designation (AT/SN 2023abc) arrives and
/// the target's name is none, the target takes it as its name (Targets:RenameToTnsName, on by default) and keeps its
/// old name as an alias; every other broker's name stays an alias.
/// </summary>
public sealed class TargetNaming(AppDbContext db, IOptions<TargetOptions> options)
{
    public const string RenamedAction = "renamed";

    /// <summary>
    /// Adds <paramref name="names"/> to the tracked <paramref name="target"/>, skipping those in <paramref name="taken"/>
    /// (normalised names some target has; the target's own name among them), which gains the names added. Saves nothing.
    /// </summary>
    public void AddAliases(Target target, IEnumerable<string> names, ISet<string> taken, string source, string? userId, DateTime now)
    {
        taken.Add(target.NormalizedName);
        foreach (var name in names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => Truncate(n.Trim())))
        {
            var normalized = TargetNames.Normalize(name);
            if (normalized.Length == 0 || !taken.Add(normalized))
            {
                continue;
            }
            if (options.Value.RenameToTnsName && TransientDesignation.Parse(name) is not null && TransientDesignation.Parse(target.Name) is null)
            {
                var old = target.Name;
                (target.Name, target.NormalizedName) = (name, normalized);
                target.Aliases.Add(Alias(old, now));
                target.Provenance.Add(new TargetProvenance
                {
                    Broker = source.Length <= 50 ? source : source[..50], AlertId = "", UserId = userId, At = now, Action = RenamedAction,
                    Note = $"Renamed from {old} to {name}, the TNS designation; {old} stays an alias.",
                });
                continue;
            }
            target.Aliases.Add(Alias(name, now));
        }
    }

    /// <summary><see cref="AddAliases"/> for a stored target, with the names already taken read from the database; saves every pending change.</summary>
    public async Task AddAliasesAsync(int targetId, IReadOnlyList<string> names, string source, string? userId, DateTime now, CancellationToken cancellationToken)
    {
        if (await db.Targets.FirstOrDefaultAsync(t => t.Id == targetId, cancellationToken) is { } target)
        {
            AddAliases(target, names, await TakenAsync(names, cancellationToken), source, userId, now);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Which of <paramref name="names"/>' normalised forms a target or alias already has.</summary>
    public async Task<HashSet<string>> TakenAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var normalized = names.Select(TargetNames.Normalize).Where(n => n.Length > 0).Distinct().ToList();
        var targets = await db.Targets.Where(t => normalized.Contains(t.NormalizedName)).Select(t => t.NormalizedName).ToListAsync(cancellationToken);
        var aliases = await db.TargetNames.Where(a => normalized.Contains(a.NormalizedName)).Select(a => a.NormalizedName).ToListAsync(cancellationToken);
        return new HashSet<string>(targets.Concat(aliases), StringComparer.Ordinal);
    }

    private static TargetName Alias(string name, DateTime now) =>
        new() { Name = name, NormalizedName = TargetNames.Normalize(name), Survey = SurveyIds.SurveyOf(name), Created = now };

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100];
}
