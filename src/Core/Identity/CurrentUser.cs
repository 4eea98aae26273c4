using System.Security.Cryptography;
using System.Text;

namespace Onboarding.Core.Identity;

/// <summary>The caller, as proven by a validated bearer token. Nothing else in a request names a user.</summary>
public sealed record CurrentUser(string Issuer, string Subject, string UserKey, string? Email = null, string? Name = null)
{
    public static CurrentUser Create(string issuer, string subject, string? email = null, string? name = null)
        => new(issuer, subject, DeriveUserKey(issuer, subject), email, name);

    /// <summary>
    /// Lowercase hex of the first 16 bytes of SHA-256(issuer + "\n" + subject): the same in every process and
    /// deployment, a valid Table PartitionKey and Key Vault name fragment, and free of personal data.
    /// The newline cannot occur in an issuer URL, so ("a", "b\nc") and ("a\nb", "c") cannot meet.
    /// </summary>
    public static string DeriveUserKey(string issuer, string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + subject), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
