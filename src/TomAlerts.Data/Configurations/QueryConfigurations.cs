using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TomAlerts.Queries;

namespace TomAlerts.Data.Configurations;

internal sealed class BrokerQueryConfiguration : IEntityTypeConfiguration<BrokerQuery>
{
    public void Configure(EntityTypeBuilder<BrokerQuery> query)
    {
        query.Property(q => q.Name).HasMaxLength(500);
        query.Property(q => q.Broker).HasMaxLength(50);
        query.Property(q => q.Visibility).HasConversion<string>().HasMaxLength(16);
        query.HasOne<IdentityUser>().WithMany().HasForeignKey(q => q.OwnerId).OnDelete(DeleteBehavior.SetNull);
        query.HasIndex(q => q.Broker);
        query.HasIndex(q => q.Name);
        query.HasIndex(q => q.Created);
        query.HasIndex(q => q.OwnerId);
        query.Property(q => q.ScheduleCron).HasMaxLength(120);
        query.Property(q => q.WebhookUrl).HasMaxLength(2000);
        query.Property(q => q.WebhookSecret).HasMaxLength(200);
    }
}

internal sealed class QueryRunConfiguration : IEntityTypeConfiguration<QueryRun>
{
    public void Configure(EntityTypeBuilder<QueryRun> run)
    {
        run.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        run.Property(r => r.Progress).HasMaxLength(500);
        run.HasOne(r => r.Query).WithMany(q => q.Runs).HasForeignKey(r => r.BrokerQueryId).OnDelete(DeleteBehavior.Cascade);
        run.HasOne<IdentityUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.SetNull);
        run.HasMany<RunAlert>().WithOne().HasForeignKey(a => a.QueryRunId).OnDelete(DeleteBehavior.Cascade);
        run.HasIndex(r => new { r.BrokerQueryId, r.Created });
        run.HasIndex(r => r.Status);
    }
}

internal sealed class RunFollowUpConfiguration : IEntityTypeConfiguration<RunFollowUp>
{
    public void Configure(EntityTypeBuilder<RunFollowUp> followUp)
    {
        followUp.Property(f => f.Hook).HasMaxLength(100);
        followUp.Property(f => f.State).HasConversion<string>().HasMaxLength(16);
        followUp.Property(f => f.LastError).HasMaxLength(1000);
        followUp.Property(f => f.Note).HasMaxLength(4000);
        followUp.HasOne<QueryRun>().WithMany().HasForeignKey(f => f.QueryRunId).OnDelete(DeleteBehavior.Cascade);
        followUp.HasIndex(f => new { f.QueryRunId, f.Hook, f.FromPosition }).IsUnique();
        followUp.HasIndex(f => new { f.State, f.NextAttempt });
    }
}

internal sealed class RunAlertConfiguration : IEntityTypeConfiguration<RunAlert>
{
    public void Configure(EntityTypeBuilder<RunAlert> alert)
    {
        alert.Property(a => a.AlertId).HasMaxLength(200);
        alert.Property(a => a.Name).HasMaxLength(200);
        // One row per broker alert per run: re-running a batch after a crash adds nothing.
        alert.HasIndex(a => new { a.QueryRunId, a.AlertId }).IsUnique();
        // The broker's order; the decision rides along so "not rejected" in that order is read from the index alone.
        alert.HasIndex(a => new { a.QueryRunId, a.Position, a.Decision });
        alert.HasIndex(a => new { a.QueryRunId, a.Timestamp, a.Position });
        alert.HasIndex(a => new { a.QueryRunId, a.Name, a.Position });
        alert.HasIndex(a => new { a.QueryRunId, a.Mag, a.Position });
        alert.HasIndex(a => new { a.QueryRunId, a.Score, a.Position });
        alert.HasIndex(a => new { a.QueryRunId, a.IsNew, a.Position });
        // The results page's other sort columns, ties in the broker's order: page 1 and page 1,000 of a large run
        // read the index in order instead of sorting the run.
        alert.HasIndex(a => new { a.QueryRunId, a.Ra, a.Position });
        alert.HasIndex(a => new { a.QueryRunId, a.Dec, a.Position });
        alert.HasIndex(a => new { a.QueryRunId, a.FirstDetection, a.Position });
        alert.HasIndex(a => new { a.QueryRunId, a.LastDetection, a.Position });
        alert.HasIndex(a => new { a.QueryRunId, a.Detections, a.Position });
        alert.HasIndex(a => new { a.QueryRunId, a.Classification, a.Position });
        alert.HasIndex(a => new { a.QueryRunId, a.Decision, a.Position });
        alert.HasIndex(a => a.AlertId);
        alert.Property(a => a.Band).HasMaxLength(16);
    }
}

internal sealed class RunAlertKeyConfiguration : IEntityTypeConfiguration<RunAlertKey>
{
    public void Configure(EntityTypeBuilder<RunAlertKey> key)
    {
        key.HasKey(k => new { k.QueryRunId, k.AlertId, k.Key });
        key.Property(k => k.AlertId).HasMaxLength(200);
        key.Property(k => k.Key).HasMaxLength(100);
        // A target's new or changed name finds the run keys it matches; a run's matched keys are a short range.
        key.HasIndex(k => k.Key);
        key.HasIndex(k => new { k.QueryRunId, k.AlertId }).HasFilter("\"Matched\"").HasDatabaseName("IX_RunAlertKeys_Matched");
        key.HasOne<QueryRun>().WithMany().HasForeignKey(k => k.QueryRunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TriageDecisionConfiguration : IEntityTypeConfiguration<TriageDecision>
{
    public void Configure(EntityTypeBuilder<TriageDecision> decision)
    {
        decision.Property(d => d.Broker).HasMaxLength(50);
        decision.Property(d => d.AlertId).HasMaxLength(200);
        decision.Property(d => d.Verdict).HasConversion<string>().HasMaxLength(16);
        // One decision per broker object: it follows the object into every run that lists it.
        decision.HasIndex(d => new { d.Broker, d.AlertId }).IsUnique();
        decision.HasOne<IdentityUser>().WithMany().HasForeignKey(d => d.DecidedBy).OnDelete(DeleteBehavior.SetNull);
    }
}
