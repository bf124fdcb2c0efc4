using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TomAlerts.Queries;
using TomAlerts.Targets;

namespace TomAlerts.Data.Configurations;

internal sealed class TargetListConfiguration : IEntityTypeConfiguration<TargetList>
{
    public void Configure(EntityTypeBuilder<TargetList> list)
    {
        list.Property(l => l.Name).HasMaxLength(100);
        list.Property(l => l.Visibility).HasConversion<string>().HasMaxLength(16);
        list.HasOne<IdentityUser>().WithMany().HasForeignKey(l => l.OwnerId).OnDelete(DeleteBehavior.SetNull);
        list.HasIndex(l => l.OwnerId);
        list.HasMany(l => l.Members).WithOne().HasForeignKey(m => m.TargetListId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TargetListMemberConfiguration : IEntityTypeConfiguration<TargetListMember>
{
    public void Configure(EntityTypeBuilder<TargetListMember> member)
    {
        member.HasKey(m => new { m.TargetListId, m.TargetId });
        member.HasOne<Target>().WithMany().HasForeignKey(m => m.TargetId).OnDelete(DeleteBehavior.Cascade);
        member.HasOne<IdentityUser>().WithMany().HasForeignKey(m => m.AddedBy).OnDelete(DeleteBehavior.SetNull);
        member.HasIndex(m => m.TargetId);
    }
}

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> comment)
    {
        comment.Property(c => c.Broker).HasMaxLength(50);
        comment.Property(c => c.AlertId).HasMaxLength(200);
        comment.Property(c => c.Text).HasMaxLength(Comment.MaxLength);
        comment.HasOne<Target>().WithMany().HasForeignKey(c => c.TargetId).OnDelete(DeleteBehavior.Cascade);
        comment.HasOne<IdentityUser>().WithMany().HasForeignKey(c => c.AuthorId).OnDelete(DeleteBehavior.SetNull);
        comment.HasIndex(c => new { c.TargetId, c.Created });
        comment.HasIndex(c => new { c.Broker, c.AlertId });
        comment.HasIndex(c => c.AlertId);
    }
}

internal sealed class LastVisitConfiguration : IEntityTypeConfiguration<LastVisit>
{
    public void Configure(EntityTypeBuilder<LastVisit> visit)
    {
        visit.HasKey(v => v.UserId);
        visit.HasOne<IdentityUser>().WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
