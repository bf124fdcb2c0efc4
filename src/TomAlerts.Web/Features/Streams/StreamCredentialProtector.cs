using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace TomAlerts.Web.Features.Streams;

/// <summary>A subscriber's own credentials as kept on the subscription: JSON protected with the application's data-protection keys.</summary>
public sealed class StreamCredentialProtector(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("TomAlerts.Streams.Credentials");

    public string Protect(StreamCredentials credentials) => _protector.Protect(JsonSerializer.Serialize(credentials));

    /// <summary>The credentials, or null when none are kept; throws <see cref="CryptographicException"/> when the keys that protected them are gone.</summary>
    public StreamCredentials? Unprotect(string? protectedCredentials) =>
        string.IsNullOrEmpty(protectedCredentials) ? null : JsonSerializer.Deserialize<StreamCredentials>(_protector.Unprotect(protectedCredentials));
}
