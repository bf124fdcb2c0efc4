using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TomAlerts.Groups;

namespace TomAlerts.Data.Configurations;

internal sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> group)
    {
        group.ToTable("Groups");
        group.Property(g => g.Name).HasMaxLength(100);
        group.HasIndex(g => g.Name);
        // One personal group per user (shared groups have no owner).
        group.HasIndex(g => g.OwnerId).IsUnique();
        group.HasOne<IdentityUser>().WithMany().HasForeignKey(g => g.OwnerId).OnDelete(DeleteBehavior.Cascade);
        group.HasMany(g => g.Members).WithOne().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GroupMemberConfiguration : IEntityTypeConfiguration<GroupMember>
{
    public void Configure(EntityTypeBuilder<GroupMember> member)
    {
        member.ToTable("GroupMembers");
        member.HasKey(m => new { m.GroupId, m.UserId });
        member.HasIndex(m => m.UserId);
        member.HasOne<IdentityUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TargetGroupConfiguration : IEntityTypeConfiguration<TargetGroup>
{
    public void Configure(EntityTypeBuilder<TargetGroup> link)
    {
        link.ToTable("TargetGroups");
        // (TargetId, GroupId) answers "may this user see this target" with one index probe per row of a list page;
        // (GroupId, TargetId) lists a group's targets.
        link.HasKey(l => new { l.TargetId, l.GroupId });
        link.HasIndex(l => new { l.GroupId, l.TargetId });
        link.HasOne(l => l.Target).WithMany().HasForeignKey(l => l.TargetId).OnDelete(DeleteBehavior.Cascade);
        link.HasOne<Group>().WithMany().HasForeignKey(l => l.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InviteCodeConfiguration : IEntityTypeConfiguration<InviteCode>
{
    public void Configure(EntityTypeBuilder<InviteCode> invite)
    {
        invite.Property(i => i.Code).HasMaxLength(64);
        invite.HasIndex(i => i.Code).IsUnique();
    }
}
