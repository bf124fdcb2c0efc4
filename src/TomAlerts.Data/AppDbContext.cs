using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using TomAlerts.Brokers;
using TomAlerts.Groups;
using TomAlerts.Queries;
using TomAlerts.Streams;
using TomAlerts.Targets;

namespace TomAlerts.Data;

/// <summary>
/// The one database of TomAlerts, Identity included. This type owns the SQLite migrations;
/// <see cref="PostgresDbContext"/> owns the PostgreSQL ones.
/// </summary>
public class AppDbContext : IdentityDbContext<IdentityUser>, IDataProtectionKeyContext
{
    public AppDbContext(DbContextOptions<AppDbContext> options) : base(options) { }

    protected AppDbContext(DbContextOptions options) : base(options) { }

    public DbSet<BrokerQuery> BrokerQueries => Set<BrokerQuery>();
    public DbSet<QueryRun> QueryRuns => Set<QueryRun>();
    public DbSet<RunAlert> RunAlerts => Set<RunAlert>();
    public DbSet<RunAlertKey> RunAlertKeys => Set<RunAlertKey>();
    public DbSet<RunFollowUp> RunFollowUps => Set<RunFollowUp>();
    public DbSet<TriageDecision> TriageDecisions => Set<TriageDecision>();
    public DbSet<Target> Targets => Set<Target>();
    public DbSet<TargetName> TargetNames => Set<TargetName>();
    public DbSet<TargetExtra> TargetExtras => Set<TargetExtra>();
    public DbSet<Photometry> Photometry => Set<Photometry>();
    public DbSet<TargetProvenance> TargetProvenance => Set<TargetProvenance>();
    public DbSet<TargetList> TargetLists => Set<TargetList>();
    public DbSet<TargetListMember> TargetListMembers => Set<TargetListMember>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<LastVisit> LastVisits => Set<LastVisit>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<BrokerCall> BrokerCalls => Set<BrokerCall>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<TargetGroup> TargetGroups => Set<TargetGroup>();
    public DbSet<InviteCode> InviteCodes => Set<InviteCode>();
    public DbSet<StreamSubscription> StreamSubscriptions => Set<StreamSubscription>();
    public DbSet<StreamDeadLetter> StreamDeadLetters => Set<StreamDeadLetter>();
    /// <summary>The keys that protect login cookies and antiforgery tokens, shared by every instance on this database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// Saves, marking the run keys of the target and alias names the save gives before, and re-matching those of the
    /// names it takes away after (<see cref="RunAlertKeyMatches"/>).
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var (added, removed) = RunAlertKeyMatches.NamesChangedBy(ChangeTracker);
        return await SaveMatchingAsync(added, removed, acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>The same, for the callers that save synchronously (the data-protection key store); names go the async way.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var (added, removed) = RunAlertKeyMatches.NamesChangedBy(ChangeTracker);
        return added.Count == 0 && removed.Count == 0
            ? base.SaveChanges(acceptAllChangesOnSuccess)
            : SaveMatchingAsync(added, removed, acceptAllChangesOnSuccess, CancellationToken.None).GetAwaiter().GetResult();
    }

    private async Task<int> SaveMatchingAsync(IReadOnlyCollection<string> added, IReadOnlyCollection<string> removed, bool acceptAllChangesOnSuccess,
        CancellationToken cancellationToken)
    {
        await RunAlertKeyMatches.MatchAsync(this, added, cancellationToken);
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await RunAlertKeyMatches.RematchAsync(this, removed, cancellationToken);
        return saved;
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every instant is stored and read back as UTC, whatever the provider keeps.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? (v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime()) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}

/// <summary>The same model on PostgreSQL, with its own migrations.</summary>
public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : AppDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Name searches are ranges on the normalised names ([prefix, prefix + U+FFFF)); byte order ("C") keeps that
        // range exact whatever the database's language collation is. SQLite compares bytes already.
        builder.Entity<Target>().Property(t => t.NormalizedName).UseCollation("C");
        builder.Entity<TargetName>().Property(a => a.NormalizedName).UseCollation("C");
    }
}
