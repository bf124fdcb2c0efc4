using System.Net;
using System.Net.Sockets;

namespace TomAlerts.Web.Features.Notifications;

/// <summary>
/// Refuses webhook connections to the portal's own network and to every special-purpose address (loopback, private,
/// shared, documentation, benchmarking, translation, link-local, unique-local, multicast, the machine's own addresses) unless
/// Notifications:Webhook:AllowPrivateAddresses is set. The check is on the address actually connected to, so a
/// host name that resolves inward (or changes what it resolves to) is caught too.
/// </summary>
internal static class WebhookAddresses
{
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(WebhookOptions options) =>
        async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(a => options.AllowPrivateAddresses || IsPublic(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new WebhookAddressRefusedException($"Webhooks may not call {context.DnsEndPoint.Host}: it is not a public internet address.");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    /// <summary>
    /// Whether a webhook may connect to <paramref name="address"/>: not one of IANA's special-purpose addresses
    /// (<see cref="SpecialPurpose"/>), and not one of this machine's own interface addresses.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return !SpecialPurpose.Any(range => range.Contains(address)) && !OwnAddresses.Value.Contains(address);
    }

    /// <summary>
    /// IANA's IPv4 and IPv6 special-purpose address registries (and multicast, and the deprecated site-local block):
    /// none of them is an address a public webhook receiver has.
    /// </summary>
    internal static readonly IReadOnlyList<AddressRange> SpecialPurpose =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24",
            "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
            "2002::/16", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(AddressRange.Parse),
    ];

    /// <summary>This machine's own addresses (a public one too reaches the portal's own services).</summary>
    private static readonly Lazy<HashSet<IPAddress>> OwnAddresses = new(() =>
    {
        try
        {
            return [.. System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address.IsIPv4MappedToIPv6 ? u.Address.MapToIPv4() : u.Address)];
        }
        catch (System.Net.NetworkInformation.NetworkInformationException)
        {
            return [];
        }
    });
}

/// <summary>An address block in CIDR notation ("198.18.0.0/15").</summary>
internal readonly record struct AddressRange(IPAddress Network, int PrefixLength)
{
    public static AddressRange Parse(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        return new AddressRange(IPAddress.Parse(cidr[..slash]), int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != Network.AddressFamily)
        {
            return false;
        }
        var a = address.GetAddressBytes();
        var n = Network.GetAddressBytes();
        var bits = PrefixLength;
        for (var i = 0; bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : 0xFF << (8 - bits) & 0xFF;
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>A webhook URL that leads into the portal's own network.</summary>
internal sealed class WebhookAddressRefusedException(string message) : HttpRequestException(message);
