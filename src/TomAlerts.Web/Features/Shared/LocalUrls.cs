using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace TomAlerts.Web.Features.Shared;

/// <summary>
/// Where a page may send the browser back to (a return URL, a redirect_url, a "back" field): only this site's own paths,
/// with any character a Location header cannot carry percent-encoded (a target called Gaïa in a filter, say).
/// </summary>
public static class LocalUrls
{
    /// <summary><paramref name="candidate"/> when it is a local URL, made safe for a Location header; else null.</summary>
    public static string? Local(this IUrlHelper url, string? candidate) =>
        !string.IsNullOrEmpty(candidate) && url.IsLocalUrl(candidate) ? Encode(candidate) : null;

    /// <summary>Every non-ASCII or control character as its UTF-8 bytes in %XX form; the rest as it is.</summary>
    public static string Encode(string path)
    {
        if (path.All(c => c is > ' ' and < (char)127))
        {
            return path;
        }
        var builder = new StringBuilder(path.Length + 16);
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c is > ' ' and < (char)127)
            {
                builder.Append(c);
                continue;
            }
            var length = char.IsHighSurrogate(c) && i + 1 < path.Length
                ? Encoding.UTF8.GetBytes(path.AsSpan(i++, 2), bytes)
                : Encoding.UTF8.GetBytes(path.AsSpan(i, 1), bytes);
            foreach (var b in bytes[..length])
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }
}
