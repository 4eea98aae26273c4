using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Onboarding.Testing;

/// <summary>
/// A real OpenID issuer on loopback: discovery document and JWKS over HTTP, RSA and EC signing keys, and token minting
/// (well-formed or deliberately broken). The host under test, benchmark or load run fetches its keys from here like it
/// would from Clerk, and the request counters show how often it did.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string DefaultAudience = "onboarding-api";

    /// <summary>The <c>azp</c> of every minted token: the frontend's origin, as Clerk writes it.</summary>
    public const string DefaultAuthorizedParty = "https://app.example";

    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly EventCount _jwksRequests = new();
    private readonly EventCount _metadataRequests = new();
    private TaskCompletionSource? _metadataHold;
    private volatile bool _down;

    private TestIssuer(WebApplication app, string baseUrl)
    {
        _app = app;
        Authority = baseUrl + "/";
        RsaKey = new RsaSecurityKey(_rsa) { KeyId = "rsa-" + Guid.NewGuid().ToString("N")[..8] };
        EcKey = new ECDsaSecurityKey(_ec) { KeyId = "ec-" + Guid.NewGuid().ToString("N")[..8] };
    }

    /// <summary>The issuer string, with a trailing slash as Auth0 and Entra write it.</summary>
    public string Authority { get; }

    public RsaSecurityKey RsaKey { get; }

    public ECDsaSecurityKey EcKey { get; }

    public int MetadataRequests => _metadataRequests.Value;

    public int JwksRequests => _jwksRequests.Value;

    public static async Task<TestIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestIssuer? issuer = null;
        app.MapGet("/.well-known/openid-configuration", async (HttpContext c) =>
        {
            // Decided on arrival, before the count wakes a waiting test: a request counted while down is answered as down.
            var down = issuer!._down;
            issuer._metadataRequests.Add();
            if (down)
            {
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            }

            await (Volatile.Read(ref issuer._metadataHold)?.Task ?? Task.CompletedTask);
            return Results.Text(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["issuer"] = issuer.Authority,
                ["jwks_uri"] = issuer.Authority + ".well-known/jwks.json",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256", "ES256" },
            }), "application/json");
        });
        app.MapGet("/.well-known/jwks.json", () =>
        {
            var down = issuer!._down;
            issuer._jwksRequests.Add();
            return down ? Results.StatusCode(StatusCodes.Status500InternalServerError) : Results.Text(issuer.Jwks(), "application/json");
        });
        await app.StartAsync();
        issuer = new TestIssuer(app, LoopbackAddress.Of(app.Services).ToString().TrimEnd('/'));
        return issuer;
    }

    /// <summary>Completes once the JWKS has been requested <paramref name="count"/> times in all.</summary>
    public Task JwksRequestsReachedAsync(int count) => _jwksRequests.WhenReachedAsync(count);

    /// <summary>Completes once the discovery document has been requested <paramref name="count"/> times in all.</summary>
    public Task MetadataRequestsReachedAsync(int count) => _metadataRequests.WhenReachedAsync(count);

    /// <summary>
    /// Answers every discovery and JWKS request with a 500 (still counted) until the returned action brings the issuer
    /// back. A 500, not a 503: IdentityModel's document retriever retries a 503 once, and a test counting fetch attempts
    /// wants one request per attempt.
    /// </summary>
    public Action TakeDown()
    {
        _down = true;
        return () => _down = false;
    }

    /// <summary>
    /// Holds every discovery request (counted on arrival) until the returned release is called, so requests that need the
    /// keys pile up inside the host under test.
    /// </summary>
    public Action HoldMetadata()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _metadataHold, hold);
        return () =>
        {
            Volatile.Write(ref _metadataHold, null);
            hold.TrySetResult();
        };
    }

    /// <summary>A valid token for <paramref name="subject"/>; <paramref name="customize"/> may break it on purpose.</summary>
    public string Mint(string subject, Action<SecurityTokenDescriptor>? customize = null, SecurityKey? key = null, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = DefaultAudience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["azp"] = DefaultAuthorizedParty },
            SigningCredentials = new SigningCredentials(key ?? RsaKey, algorithm),
        };
        customize?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>Builds a compact JWS from raw header and payload JSON, signed with the RSA key (or not at all).</summary>
    public string MintRaw(string headerJson, string payloadJson, bool sign = true)
    {
        var signingInput = B64(Encoding.UTF8.GetBytes(headerJson)) + "." + B64(Encoding.UTF8.GetBytes(payloadJson));
        var signature = sign
            ? _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : [];
        return signingInput + "." + B64(signature);
    }

    /// <summary>The public half of both keys, as the JWKS endpoint serves it.</summary>
    public string Jwks()
    {
        var rsa = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = RsaKey.KeyId });
        var ec = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(_ec.ExportParameters(false))) { KeyId = EcKey.KeyId });
        rsa.Use = ec.Use = "sig";
        return JsonSerializer.Serialize(new { keys = new[] { ToJson(rsa), ToJson(ec) } });
    }

    public static string B64(byte[] bytes) => Base64UrlEncoder.Encode(bytes);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _rsa.Dispose();
        _ec.Dispose();
    }

    private static Dictionary<string, string> ToJson(JsonWebKey key)
    {
        var result = new Dictionary<string, string> { ["kty"] = key.Kty, ["kid"] = key.Kid, ["use"] = key.Use };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                result[name] = value;
            }
        }

        Add("n", key.N);
        Add("e", key.E);
        Add("crv", key.Crv);
        Add("x", key.X);
        Add("y", key.Y);
        return result;
    }
}
