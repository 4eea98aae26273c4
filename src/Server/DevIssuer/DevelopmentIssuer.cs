using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Onboarding.Core.Identity;

namespace Onboarding.Server.DevIssuer;

/// <summary>
/// A local OpenID issuer for Development only: an in-memory RSA key, a discovery document and JWKS, and token minting
/// for a named user. Its tokens go through the same <see cref="TokenAuthenticator"/> as any other issuer's.
/// </summary>
public sealed class DevelopmentIssuer : IDisposable
{
    /// <summary>Fixed, so a user keeps the same user key across restarts of the Server.</summary>
    public const string Issuer = "http://localhost/dev-issuer";

    public const string Audience = "onboarding-dev";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new();

    public DevelopmentIssuer()
    {
        _key = new RsaSecurityKey(_rsa) { KeyId = "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) };
        var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
        configuration.SigningKeys.Add(_key);
        configuration.JsonWebKeySet = new JsonWebKeySet();
        configuration.JsonWebKeySet.Keys.Add(PublicJwk());
        TokenIssuer = new TokenIssuer(Issuer, new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration));
    }

    public TokenIssuer TokenIssuer { get; }

    /// <summary>Mints a signed token for <paramref name="user"/>, valid for <paramref name="lifetime"/>.</summary>
    public string Mint(string user, string? email, string? name, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["sub"] = user, ["azp"] = Audience };
        if (email is not null)
        {
            claims["email"] = email;
        }

        if (name is not null)
        {
            claims["name"] = name;
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    public JsonWebKey PublicJwk()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = _key.KeyId });
        jwk.Use = "sig";
        jwk.Alg = SecurityAlgorithms.RsaSha256;
        return jwk;
    }

    public void Dispose() => _rsa.Dispose();
}
