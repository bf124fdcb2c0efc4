using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TomAlerts.Queries;
using TomAlerts.Streams;

namespace TomAlerts.Data.Configurations;

internal sealed class StreamSubscriptionConfiguration : IEntityTypeConfiguration<StreamSubscription>
{
    public void Configure(EntityTypeBuilder<StreamSubscription> stream)
    {
        stream.Property(s => s.Name).HasMaxLength(500);
        stream.Property(s => s.Source).HasConversion<string>().HasMaxLength(16);
        stream.Property(s => s.Topics).HasMaxLength(4000);
        stream.Property(s => s.Visibility).HasConversion<string>().HasMaxLength(16);
        stream.Property(s => s.GroupId).HasMaxLength(255);
        stream.Property(s => s.ProtectedCredentials).HasMaxLength(8000);
        stream.Property(s => s.State).HasConversion<string>().HasMaxLength(16);
        stream.Property(s => s.StateMessage).HasMaxLength(1000);
        stream.Property(s => s.LeaseOwner).HasMaxLength(200);
        stream.HasOne<IdentityUser>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.SetNull);
        stream.HasOne(s => s.Query).WithMany().HasForeignKey(s => s.BrokerQueryId).OnDelete(DeleteBehavior.Cascade);
        stream.HasIndex(s => s.BrokerQueryId).IsUnique();
        stream.HasOne<QueryRun>().WithMany().HasForeignKey(s => s.CurrentRunId).OnDelete(DeleteBehavior.SetNull);
        stream.HasIndex(s => s.OwnerId);
        stream.HasIndex(s => s.Enabled);
    }
}

internal sealed class StreamDeadLetterConfiguration : IEntityTypeConfiguration<StreamDeadLetter>
{
    public void Configure(EntityTypeBuilder<StreamDeadLetter> letter)
    {
        letter.Property(l => l.Topic).HasMaxLength(255);
        letter.Property(l => l.Reason).HasMaxLength(2000);
        letter.HasOne<StreamSubscription>().WithMany().HasForeignKey(l => l.StreamSubscriptionId).OnDelete(DeleteBehavior.Cascade);
        // A redelivered poison message is kept once.
        letter.HasIndex(l => new { l.StreamSubscriptionId, l.Topic, l.Partition, l.Offset }).IsUnique();
    }
}
