using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TomAlerts.Brokers;
using TomAlerts.Queries;

namespace TomAlerts.Data.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> token)
    {
        token.Property(t => t.Name).HasMaxLength(100);
        token.Property(t => t.Prefix).HasMaxLength(16);
        token.Property(t => t.Hash).HasMaxLength(64);
        token.HasIndex(t => t.Hash).IsUnique();
        token.HasOne<IdentityUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BrokerCallConfiguration : IEntityTypeConfiguration<BrokerCall>
{
    public void Configure(EntityTypeBuilder<BrokerCall> call)
    {
        call.Property(c => c.Broker).HasMaxLength(50);
        call.Property(c => c.Error).HasMaxLength(500);
        call.HasIndex(c => new { c.Broker, c.At });
    }
}
