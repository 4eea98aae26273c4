using System.Buffers;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Onboarding.Core.Identity;

/// <summary>The checks on a token's form, done before any key is looked up.</summary>
public sealed partial class TokenAuthenticator
{
    private static readonly string[] AllowedAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSsaPssSha256];

    /// <summary>The alphabet of a compact JWS: base64url and the two dots.</summary>
    private static readonly SearchValues<char> CompactTokenCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    /// <summary>
    /// Header parameters that carry or point at key material (jku, jwk, x5u, x5c) or change how the token must be processed
    /// (crit, cty, zip, enc). Keys come only from the configured issuer and nested, compressed or encrypted tokens are not
    /// supported, so a token with any of them is refused before a key is looked up or fetched.
    /// </summary>
    private static readonly string[] RefusedHeaders = ["jku", "jwk", "x5u", "x5c", "crit", "cty", "zip", "enc"];

    /// <summary>
    /// Compact serialization is base64url and dots only; anything else (e.g. two headers joined by a comma) is malformed,
    /// whatever its number of dots. Three parts is a JWS; five would be an encrypted token.
    /// </summary>
    private static string? CheckCompactShape(ReadOnlySpan<char> token)
    {
        if (token.ContainsAnyExcept(CompactTokenCharacters))
        {
            return "The token is malformed.";
        }

        var dots = token.Count('.');
        return dots == 2 ? null : dots == 4 ? "Encrypted tokens are not accepted." : "The token is not a signed JWT.";
    }

    /// <summary>Only compact JWS with a supported, non-critical header gets as far as signature validation.</summary>
    private static string? CheckShape(string token, out JsonWebToken? jwt)
    {
        jwt = null;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            return "The token is malformed.";
        }

        if (Array.IndexOf(AllowedAlgorithms, jwt.Alg) < 0)
        {
            return "The token's signing algorithm is not accepted.";
        }

        // No critical header extension is understood, so any "crit" makes the token unacceptable (RFC 7515 §4.1.11).
        if (jwt.TryGetHeaderValue<object>("crit", out _))
        {
            return "The token carries critical header parameters that are not supported.";
        }

        foreach (var refused in RefusedHeaders)
        {
            if (jwt.TryGetHeaderValue<object>(refused, out _))
            {
                return $"The token's '{refused}' header parameter is not accepted.";
            }
        }

        if (string.IsNullOrEmpty(jwt.Kid))
        {
            return "The token has no key id.";
        }

        return null;
    }
}
