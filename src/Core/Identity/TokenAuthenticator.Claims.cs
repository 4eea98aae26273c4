using System.Buffers;
using System.Buffers.Text;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Onboarding.Core.Identity;

/// <summary>The claims of a validated token, read from its payload as written, and the user they name.</summary>
public sealed partial class TokenAuthenticator
{
    /// <summary>RFC 7519 NumericDate claims: JSON numbers, never strings.</summary>
    private static readonly string[] TimeClaims = ["exp", "nbf", "iat"];

    private AuthenticationOutcome CheckClaims(JsonWebToken jwt)
    {
        // The claims are read from the payload's JSON as written, so their JSON types are checked too: the token
        // library converts numbers to strings and back, and a user must never come from a number or an array. The
        // payload is decoded from the token itself into a pooled buffer.
        var encoded = jwt.EncodedToken.AsSpan();
        var headerEnd = encoded.IndexOf('.');
        var payloadLength = encoded[(headerEnd + 1)..].IndexOf('.');
        var payload = encoded.Slice(headerEnd + 1, payloadLength);
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(payload.Length));
        try
        {
            if (Base64Url.DecodeFromChars(payload, buffer, out _, out var written) != OperationStatus.Done)
            {
                return AuthenticationOutcome.InvalidToken("The token is malformed.");
            }

            using var document = JsonDocument.Parse(buffer.AsMemory(0, written));
            return CheckClaims(document.RootElement);
        }
        catch (JsonException)
        {
            return AuthenticationOutcome.InvalidToken("The token is malformed.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private AuthenticationOutcome CheckClaims(JsonElement claims)
    {
        if (_options.AuthorizedParties.Count > 0 && !IsAuthorizedParty(claims))
        {
            return AuthenticationOutcome.InvalidToken("The token's authorized party is not accepted.");
        }

        foreach (var timeClaim in TimeClaims)
        {
            if (claims.TryGetProperty(timeClaim, out var value) && value.ValueKind != JsonValueKind.Number)
            {
                return AuthenticationOutcome.InvalidToken($"The token's '{timeClaim}' claim is not a NumericDate.");
            }
        }

        if (claims.TryGetProperty("iat", out var iatValue)
            && (!iatValue.TryGetDouble(out var iat) || iat > (_time.GetUtcNow() + _options.ClockSkew).ToUnixTimeSeconds()))
        {
            return AuthenticationOutcome.InvalidToken("The token was issued in the future.");
        }

        var sub = StringClaim(claims, "sub");
        if (string.IsNullOrWhiteSpace(sub))
        {
            return AuthenticationOutcome.InvalidToken("The token has no subject.");
        }

        var subject = _options.UserClaim == "sub" ? sub : StringClaim(claims, _options.UserClaim);
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > 256)
        {
            return AuthenticationOutcome.InvalidToken($"The token has no usable '{_options.UserClaim}' claim.");
        }

        var email = StringClaim(claims, ClaimTypes.Email) ?? StringClaim(claims, "email");
        var name = StringClaim(claims, "name");
        return AuthenticationOutcome.Success(CurrentUser.Create(_issuer.Issuer, subject, email, name));
    }

    /// <summary>The <c>azp</c> claim is a string equal to one of the configured parties (compared without copying it).</summary>
    private bool IsAuthorizedParty(JsonElement claims)
    {
        if (!claims.TryGetProperty("azp", out var azp) || azp.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        foreach (var party in _options.AuthorizedParties)
        {
            if (azp.ValueEquals(party))
            {
                return true;
            }
        }

        return false;
    }

    private static string? StringClaim(JsonElement claims, string name)
        => claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
