using Microsoft.IdentityModel.Tokens;

namespace Onboarding.Core.Identity;

/// <summary>The signature, issuer, audience and lifetime rules the token library applies.</summary>
public sealed partial class TokenAuthenticator
{
    private static readonly string[] AllowedTypes = ["JWT", "at+jwt", "application/at+jwt"];

    /// <summary>
    /// The validation rules for the current signing keys, built once per configuration the key source hands out (a key
    /// refresh yields a new one). One instance serves every request: the handler only changes parameters that carry a
    /// ConfigurationManager, and these carry none.
    /// </summary>
    private TokenValidationParameters ParametersFor(Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration configuration)
    {
        var setup = Volatile.Read(ref _setup);
        if (setup is not null && ReferenceEquals(setup.Configuration, configuration))
        {
            return setup.Parameters;
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = _issuer.Issuer,
            ValidateIssuer = true,
            ValidAudience = _options.Audience,
            ValidateAudience = !string.IsNullOrEmpty(_options.Audience),

            // The audience is compared exactly, like the issuer: "api" and "api/" are different audiences.
            IgnoreTrailingSlashWhenValidatingAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = _options.ClockSkew,
            IssuerSigningKeys = configuration.SigningKeys,
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = AllowedAlgorithms,
            ValidTypes = AllowedTypes,
            NameClaimType = "name",
        };
        Volatile.Write(ref _setup, new ValidationSetup(configuration, parameters));
        return parameters;
    }

    private sealed record ValidationSetup(Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration Configuration, TokenValidationParameters Parameters);
}
