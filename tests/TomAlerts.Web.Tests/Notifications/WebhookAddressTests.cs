using System.Net;
using TomAlerts.Web.Features.Notifications;

namespace TomAlerts.Web.Tests.Notifications;

/// <summary>Which addresses a webhook may call: none of IANA's special-purpose blocks, nor this machine's own addresses.</summary>
public sealed class WebhookAddressTests
{
    [Theory]
    [InlineData("0.1.2.3")] // "this network"
    [InlineData("10.20.30.40")]
    [InlineData("100.64.0.1")] // shared address space (CGN)
    [InlineData("100.127.255.254")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("169.254.169.254")] // link-local: cloud metadata
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.8")] // IETF protocol assignments
    [InlineData("192.0.2.55")] // TEST-NET-1
    [InlineData("192.31.196.1")] // AS112-v4
    [InlineData("192.52.193.1")] // AMT
    [InlineData("192.88.99.1")] // 6to4 relay anycast
    [InlineData("192.168.1.1")]
    [InlineData("192.175.48.1")] // direct delegation AS112
    [InlineData("198.18.0.1")] // benchmarking
    [InlineData("198.19.255.255")]
    [InlineData("198.51.100.7")] // TEST-NET-2
    [InlineData("203.0.113.9")] // TEST-NET-3
    [InlineData("224.0.0.251")] // multicast
    [InlineData("240.0.0.1")] // reserved
    [InlineData("255.255.255.255")] // limited broadcast
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped loopback
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")] // NAT64 of 10.0.0.1
    [InlineData("64:ff9b:1::1")] // local-use NAT64
    [InlineData("100::1")] // discard-only
    [InlineData("2001::1")] // Teredo
    [InlineData("2001:2::1")] // benchmarking
    [InlineData("2001:db8::1")] // documentation
    [InlineData("2002:7f00:1::1")] // 6to4 of 127.0.0.1
    [InlineData("3fff::1")] // documentation (2024)
    [InlineData("5f00::1")] // SRv6 SIDs
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")] // unique local
    [InlineData("fe80::1")] // link-local
    [InlineData("fec0::1")] // site-local (deprecated)
    [InlineData("ff02::1")] // multicast
    public void SpecialPurposeAddress_IsRefused(string address)
    {
        Assert.False(WebhookAddresses.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("100.63.255.255")] // just below the shared space
    [InlineData("100.128.0.1")] // just above it
    [InlineData("172.32.0.1")]
    [InlineData("192.0.1.1")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.1")]
    [InlineData("2606:4700::6810:84e5")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddress_IsAllowed(string address)
    {
        Assert.True(WebhookAddresses.IsPublic(IPAddress.Parse(address)));
    }

    [Fact]
    public void ThisMachinesOwnAddresses_AreRefused()
    {
        var own = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address).ToList();

        Assert.NotEmpty(own);
        Assert.All(own, a => Assert.False(WebhookAddresses.IsPublic(a), $"{a} is this machine's own address"));
    }
}
