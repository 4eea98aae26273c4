using Microsoft.IdentityModel.Tokens;

namespace Onboarding.Core.Identity;

/// <summary>What a client is told when the token library rejects a token.</summary>
public sealed partial class TokenAuthenticator
{
    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not accepted.",
        SecurityTokenInvalidAudienceException => "The token's audience is not accepted.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
        SecurityTokenInvalidTypeException => "The token's type is not accepted.",
        SecurityTokenSignatureKeyNotFoundException => "The token's signing key is not known.",
        SecurityTokenInvalidSignatureException => "The token's signature is invalid.",
        SecurityTokenMalformedException => "The token is malformed.",
        _ => "The token is invalid.",
    };
}
