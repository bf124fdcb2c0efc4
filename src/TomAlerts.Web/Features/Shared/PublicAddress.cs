using Microsoft.Extensions.Options;
using TomAlerts.Web.Features.Notifications;

namespace TomAlerts.Web.Features.Shared;

/// <summary>
/// The portal's own address for text a person copies (curl lines, invitation links): Notifications:PublicUrl when set,
/// so a Host header a client made up never ends up there; else the address the request came to.
/// </summary>
public sealed class PublicAddress(IOptions<NotificationOptions> options)
{
    public string BaseUrl(HttpRequest request) =>
        options.Value.PublicUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{request.Scheme}://{request.Host}";
}
