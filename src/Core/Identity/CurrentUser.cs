using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Onboarding.Core.Identity;

/// <summary>The caller, as proven by a validated bearer token. Nothing else in a request names a user.</summary>
public sealed record CurrentUser(string Issuer, string Subject, string UserKey, string? Email = null, string? Name = null)
{
    /// <summary>
    /// Binds a handler's <see cref="CurrentUser"/> parameter to the user the host's authentication step proved. A
    /// request without one never reaches the handler: the protected-route frame answers 401 first.
    /// </summary>
    public static ValueTask<CurrentUser?> BindAsync(Microsoft.AspNetCore.Http.HttpContext context)
        => ValueTask.FromResult(context?.GetCurrentUser());

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

        // Runs on every request: the UTF-8 input is built on the stack (pooled when long), so only the key is allocated.
        var length = Encoding.UTF8.GetByteCount(issuer) + 1 + Encoding.UTF8.GetByteCount(subject);
        byte[]? rented = null;
        var input = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(issuer, input);
            input[written++] = (byte)'\n';
            written += Encoding.UTF8.GetBytes(subject, input[written..]);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(input[..written], hash);
            return Convert.ToHexStringLower(hash[..16]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
