using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TomAlerts.Queries;
using TomAlerts.Targets;

namespace TomAlerts.Data.Configurations;

internal sealed class TargetConfiguration : IEntityTypeConfiguration<Target>
{
    public void Configure(EntityTypeBuilder<Target> target)
    {
        target.Property(t => t.Name).HasMaxLength(100);
        target.Property(t => t.NormalizedName).HasMaxLength(100);
        target.Property(t => t.Type).HasConversion<string>().HasMaxLength(16);
        target.HasIndex(t => t.Name).IsUnique();
        target.HasIndex(t => t.NormalizedName);
        target.HasIndex(t => new { t.DecZone, t.Ra });
        // Newest first, ties by id, as the list and the API page: with the id in the index PostgreSQL reads a deep offset
        // page in order instead of sorting each run of equal times (SQLite's index carries the row id already).
        target.HasIndex(t => new { t.Created, t.Id });
        // One index per sortable column of the list page, with the id that breaks ties (keyset paging).
        target.Property(t => t.LastBand).HasMaxLength(50);
        target.Property(t => t.ClassName).HasMaxLength(100);
        target.Property(t => t.ClassSource).HasMaxLength(50);
        target.HasIndex(t => new { t.Ra, t.Id });
        target.HasIndex(t => new { t.Dec, t.Id });
        target.HasIndex(t => new { t.LastMagnitude, t.Id });
        target.HasIndex(t => new { t.LastBand, t.Id });
        target.HasIndex(t => new { t.LastDetection, t.Id });
        target.HasIndex(t => new { t.ClassName, t.Id });
        target.HasIndex(t => new { t.ClassSource, t.Id });
        target.HasIndex(t => new { t.PhotometryCount, t.Id });
        target.OwnsOne(t => t.Elements, e => e.Property(x => x.Scheme).HasMaxLength(32).IsRequired());
        target.HasMany(t => t.Aliases).WithOne().HasForeignKey(a => a.TargetId).OnDelete(DeleteBehavior.Cascade);
        target.HasMany(t => t.Extras).WithOne().HasForeignKey(e => e.TargetId).OnDelete(DeleteBehavior.Cascade);
        target.HasMany(t => t.Photometry).WithOne().HasForeignKey(p => p.TargetId).OnDelete(DeleteBehavior.Cascade);
        target.HasMany(t => t.Provenance).WithOne().HasForeignKey(p => p.TargetId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TargetNameConfiguration : IEntityTypeConfiguration<TargetName>
{
    public void Configure(EntityTypeBuilder<TargetName> alias)
    {
        alias.Property(a => a.Name).HasMaxLength(100);
        alias.Property(a => a.NormalizedName).HasMaxLength(100);
        alias.Property(a => a.Survey).HasMaxLength(16);
        alias.HasIndex(a => a.Name).IsUnique();
        alias.HasIndex(a => a.NormalizedName);
    }
}

internal sealed class TargetExtraConfiguration : IEntityTypeConfiguration<TargetExtra>
{
    public void Configure(EntityTypeBuilder<TargetExtra> extra)
    {
        extra.Property(e => e.Key).HasMaxLength(200);
        extra.Property(e => e.Source).HasMaxLength(100);
        extra.HasIndex(e => new { e.TargetId, e.Source, e.Key }).IsUnique();
    }
}

internal sealed class PhotometryConfiguration : IEntityTypeConfiguration<Photometry>
{
    public void Configure(EntityTypeBuilder<Photometry> point)
    {
        point.Property(p => p.Source).HasMaxLength(50);
        point.Property(p => p.SourceLocation).HasMaxLength(200);
        point.Property(p => p.Bandpass).HasMaxLength(50);
        point.Property(p => p.Telescope).HasMaxLength(100);
        point.Property(p => p.FluxUnit).HasMaxLength(50);
        point.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16);
        point.Property(p => p.Survey).HasMaxLength(16);
        point.Property(p => p.SourceId).HasMaxLength(50);
        point.Property(p => p.OtherSources).HasMaxLength(200);
        // A visit's forced flux stands beside its detection; the merger keeps detection and limit of one time as one point.
        point.HasIndex(p => new { p.TargetId, p.Source, p.Bandpass, p.Timestamp, p.Kind }).IsUnique();
        point.HasIndex(p => new { p.TargetId, p.Timestamp });
    }
}

internal sealed class TargetProvenanceConfiguration : IEntityTypeConfiguration<TargetProvenance>
{
    public void Configure(EntityTypeBuilder<TargetProvenance> provenance)
    {
        provenance.Property(p => p.Broker).HasMaxLength(50);
        provenance.Property(p => p.AlertId).HasMaxLength(200);
        provenance.Property(p => p.Action).HasMaxLength(16);
        provenance.Property(p => p.Note).HasMaxLength(2000);
        provenance.HasOne<QueryRun>().WithMany().HasForeignKey(p => p.QueryRunId).OnDelete(DeleteBehavior.SetNull);
        provenance.HasOne<IdentityUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.SetNull);
        provenance.HasIndex(p => new { p.Broker, p.AlertId });
    }
}
