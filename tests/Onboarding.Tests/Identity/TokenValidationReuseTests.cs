using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Onboarding.Core.Identity;
using Xunit;

namespace Onboarding.Tests.Identity;

/// <summary>
/// The authenticator parses each token once and reuses its validation rules until the signing keys change. These tests
/// hold that to the rules: rotated keys are picked up, dropped keys stop working, and every rejection still happens.
/// </summary>
public sealed class TokenValidationReuseTests : IDisposable
{
    private const string Issuer = "https://issuer.example/";
    private const string Audience = "onboarding-api";
    private const string Party = "https://app.example";

    private readonly RSA _oldRsa = RSA.Create(2048);
    private readonly RSA _newRsa = RSA.Create(2048);
    private readonly RsaSecurityKey _oldKey;
    private readonly RsaSecurityKey _newKey;
    private readonly RotatingKeys _keys;
    private readonly TokenAuthenticator _authenticator;

    public TokenValidationReuseTests()
    {
        _oldKey = new RsaSecurityKey(_oldRsa) { KeyId = "old" };
        _newKey = new RsaSecurityKey(_newRsa) { KeyId = "new" };
        _keys = new RotatingKeys(Configuration(_oldKey), Configuration(_newKey));
        var options = new AuthOptions { Authority = Issuer, Audience = Audience };
        options.AuthorizedParties.Add(Party);
        _authenticator = new TokenAuthenticator(new TokenIssuer(Issuer, _keys), Options.Create(options), TimeProvider.System, NullLogger<TokenAuthenticator>.Instance);
    }

    [Fact]
    public async Task The_same_token_is_accepted_every_time_and_names_the_same_user()
    {
        var token = Mint(_oldKey);

        var first = await AuthenticateAsync(token);
        var second = await AuthenticateAsync(token);

        Assert.NotNull(first.User);
        Assert.Equal(first.User, second.User);
        Assert.Equal(CurrentUser.DeriveUserKey(Issuer, "alice"), first.User!.UserKey);
    }

    [Fact]
    public async Task A_token_signed_with_a_rotated_in_key_refreshes_the_keys_and_then_the_dropped_key_is_refused()
    {
        Assert.NotNull((await AuthenticateAsync(Mint(_oldKey))).User);

        var rotated = await AuthenticateAsync(Mint(_newKey));
        Assert.NotNull(rotated.User);
        Assert.Equal(1, _keys.Refreshes);

        var dropped = await AuthenticateAsync(Mint(_oldKey));
        Assert.Null(dropped.User);
        Assert.Equal("The token's signing key is not known.", dropped.Description);
    }

    public static TheoryData<string, string> Rejections => new()
    {
        { "wrong-audience", "The token's audience is not accepted." },
        { "wrong-issuer", "The token's issuer is not accepted." },
        { "expired", "The token has expired." },
        { "wrong-party", "The token's authorized party is not accepted." },
        { "no-subject", "The token has no subject." },
        { "hs256", "The token's signing algorithm is not accepted." },
        { "crit", "The token carries critical header parameters that are not supported." },
        { "no-kid", "The token has no key id." },
        { "five-parts", "Encrypted tokens are not accepted." },
        { "two-parts", "The token is not a signed JWT." },
        { "garbage", "The token is malformed." },
        { "bad-signature", "The token's signature is invalid." },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Every_rejection_still_happens_after_a_valid_token_warmed_the_cache(string kind, string error)
    {
        Assert.NotNull((await AuthenticateAsync(Mint(_oldKey))).User);

        var outcome = await AuthenticateAsync(Broken(kind));

        Assert.Null(outcome.User);
        Assert.Equal(error, outcome.Description);
    }

    public void Dispose()
    {
        _oldRsa.Dispose();
        _newRsa.Dispose();
    }

    private Task<AuthenticationOutcome> AuthenticateAsync(string token)
        => _authenticator.AuthenticateAsync(new Microsoft.Extensions.Primitives.StringValues("Bearer " + token), CancellationToken.None);

    private string Broken(string kind)
    {
        var valid = Mint(_oldKey);
        var parts = valid.Split('.');
        return kind switch
        {
            "wrong-audience" => Mint(_oldKey, d => d.Audience = "someone-else"),
            "wrong-issuer" => Mint(_oldKey, d => d.Issuer = "https://evil.example/"),
            "expired" => Mint(_oldKey, d => (d.IssuedAt, d.NotBefore, d.Expires) = (DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-2), DateTime.UtcNow.AddHours(-1))),
            "wrong-party" => Mint(_oldKey, d => d.Claims["azp"] = "https://evil.example"),
            "no-subject" => Mint(_oldKey, d => d.Claims.Remove("sub")),
            "hs256" => Mint(new SymmetricSecurityKey(new byte[32]) { KeyId = "old" }, algorithm: SecurityAlgorithms.HmacSha256),
            "crit" => Header("""{"alg":"RS256","kid":"old","typ":"JWT","crit":["exp"]}""", parts[1]),
            "no-kid" => Header("""{"alg":"RS256","typ":"JWT"}""", parts[1]),
            "five-parts" => valid + ".x.y",
            "two-parts" => parts[0] + "." + parts[1],
            "garbage" => "not-json.not-json.sig",
            "bad-signature" => parts[0] + "." + parts[1] + "." + Base64UrlEncoder.Encode(new byte[256]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private string Header(string headerJson, string payload)
    {
        var input = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(headerJson)) + "." + payload;
        return input + "." + Base64UrlEncoder.Encode(_oldRsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static string Mint(SecurityKey key, Action<SecurityTokenDescriptor>? customize = null, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = "alice", ["azp"] = Party },
            SigningCredentials = new SigningCredentials(key, algorithm),
        };
        customize?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static OpenIdConnectConfiguration Configuration(SecurityKey key)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
        configuration.SigningKeys.Add(key);
        return configuration;
    }

    /// <summary>Hands out the old keys until a refresh is requested, then only the new ones.</summary>
    private sealed class RotatingKeys(OpenIdConnectConfiguration before, OpenIdConnectConfiguration after) : IConfigurationManager<OpenIdConnectConfiguration>
    {
        private OpenIdConnectConfiguration _current = before;

        public int Refreshes { get; private set; }

        public Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel) => Task.FromResult(_current);

        public void RequestRefresh()
        {
            Refreshes++;
            _current = after;
        }
    }
}
