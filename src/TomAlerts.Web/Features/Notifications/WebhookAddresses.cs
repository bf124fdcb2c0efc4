using System.Net;
using System.Net.Sockets;

namespace TomAlerts.Web.Features.Notifications;

/// <summary>
/// Refuses webhook connections to the portal's own network (loopback, private, link-local, unique-local) unless
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
                throw new WebhookAddressRefusedException($"Webhooks may not call {context.DnsEndPoint.Host}: it is an address inside the portal's network.");
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

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }
        var b = address.GetAddressBytes();
        return !(b[0] == 10
                 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                 || (b[0] == 192 && b[1] == 168)
                 || (b[0] == 169 && b[1] == 254)
                 || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                 || b[0] == 0 || b[0] >= 224);
    }
}

/// <summary>A webhook URL that leads into the portal's own network.</summary>
internal sealed class WebhookAddressRefusedException(string message) : HttpRequestException(message);
