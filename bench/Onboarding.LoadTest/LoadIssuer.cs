using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Onboarding.Core.Identity;

namespace Onboarding.LoadTest;

/// <summary>
/// The issuer of the virtual users' tokens: an in-memory RSA key handed to the Server as a <see cref="TokenIssuer"/>
/// over a <see cref="StaticConfigurationManager{T}"/>, so validation does the full work with no metadata request.
/// </summary>
internal sealed class LoadIssuer : IDisposable
{
    public const string Authority = "http://127.0.0.1/load-issuer/";
    public const string Audience = "onboarding-api";
    public const string AuthorizedParty = "https://app.example";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;

    public LoadIssuer()
    {
        _key = new RsaSecurityKey(_rsa) { KeyId = "load-rsa" };
        var configuration = new OpenIdConnectConfiguration { Issuer = Authority };
        configuration.SigningKeys.Add(_key);
        TokenIssuer = new TokenIssuer(Authority, new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration));
    }

    public TokenIssuer TokenIssuer { get; }

    public string Mint(string subject, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["azp"] = AuthorizedParty, ["email"] = subject + "@load.example" },
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    public void Dispose() => _rsa.Dispose();
}
