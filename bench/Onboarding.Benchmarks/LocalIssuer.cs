using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Onboarding.Benchmarks;

/// <summary>
/// An OpenID issuer answered in memory: its discovery document and JWKS come from an <see cref="HttpMessageHandler"/>
/// that counts every request, so a benchmark can prove that validation makes no HTTP request once keys are cached.
/// Nothing is sent over a socket.
/// </summary>
public sealed class LocalIssuer : HttpMessageHandler
{
    public const string Authority = "http://127.0.0.1/bench-issuer/";
    public const string Audience = "onboarding-api";
    public const string AuthorizedParty = "https://app.example";

    private static readonly string[] Algorithms = ["RS256"];

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private int _requests;

    public LocalIssuer()
    {
        _key = new RsaSecurityKey(_rsa) { KeyId = "bench-rsa" };
    }

    /// <summary>Requests the service made for metadata or keys.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public string Mint(string subject) => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Authority,
        Audience = Audience,
        IssuedAt = DateTime.UtcNow,
        NotBefore = DateTime.UtcNow,
        Expires = DateTime.UtcNow.AddHours(2),
        Claims = new Dictionary<string, object> { ["sub"] = subject, ["azp"] = AuthorizedParty, ["email"] = "bench@example.com" },
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
    });

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _requests);
        var path = request.RequestUri!.AbsolutePath;
        string? body = path switch
        {
            "/bench-issuer/.well-known/openid-configuration" => JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["issuer"] = Authority,
                ["jwks_uri"] = Authority + ".well-known/jwks.json",
                ["id_token_signing_alg_values_supported"] = Algorithms,
            }),
            "/bench-issuer/.well-known/jwks.json" => Jwks(),
            _ => null,
        };
        return Task.FromResult(body is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rsa.Dispose();
        }

        base.Dispose(disposing);
    }

    private string Jwks()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = _key.KeyId });
        return JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", n = jwk.N, e = jwk.E } } });
    }
}
