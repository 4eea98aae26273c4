using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Onboarding.Core.Identity;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Identity;

/// <summary>
/// Every way a bearer token can be wrong is a 401 ProblemDetails with a Bearer challenge, never a 500, and a write sent
/// with it (naming the victim as <c>sub</c>) changes none of the victim's rows or secrets.
/// </summary>
public abstract class TokenValidationTests(ApiFixture api)
{
    public static TheoryData<string, string> RejectedTokens => new()
    {
        { "no Authorization header", "A bearer token is required." },
        { "an empty Bearer token", "The Authorization header must use the Bearer scheme." },
        { "the Basic scheme", "The Authorization header must use the Bearer scheme." },
        { "a garbled token", "The token is not a signed JWT." },
        { "three garbled parts", "The token is malformed." },
        { "three parts of symbols", "The token is malformed." },
        { "five parts (an encrypted token)", "Encrypted tokens are not accepted." },
        { "a payload that is not JSON", "The token is malformed." },
        { "a header that is not JSON", "The token is malformed." },
        { "a token over 8 KiB", "The token is too large." },
        { "two Authorization headers", "The token is malformed." },
        { "expired 2 minutes ago (beyond the 60 s skew)", "The token has expired." },
        { "not valid for another 2 minutes", "The token is not valid yet." },
        { "issued 10 minutes in the future", "The token was issued in the future." },
        { "an iat beyond the calendar", "The token was issued in the future." },
        { "a wrong issuer", "The token's issuer is not accepted." },
        { "the issuer without its trailing slash", "The token's issuer is not accepted." },
        { "a token of another real issuer", "The token's issuer is not accepted." },
        { "a wrong audience", "The token's audience is not accepted." },
        { "no audience", "The token's audience is not accepted." },
        { "an unauthorized azp", "The token's authorized party is not accepted." },
        { "no azp", "The token's authorized party is not accepted." },
        { "alg none", "The token's signing algorithm is not accepted." },
        { "alg none without a key id", "The token's signing algorithm is not accepted." },
        { "HS256 signed with the RSA public key as HMAC secret", "The token's signing algorithm is not accepted." },
        { "RS384 (not a pinned algorithm)", "The token's signing algorithm is not accepted." },
        { "no key id", "The token has no key id." },
        { "a key id nobody published", "The token's signing key is not known." },
        { "a foreign key under the issuer's key id", "The token's signature is invalid." },
        { "a payload swapped after signing", "The token's signature is invalid." },
        { "a crit header", "The token carries critical header parameters that are not supported." },
        { "an id_token type", "The token's type is not accepted." },
        { "no sub", "The token has no subject." },
        { "an empty sub", "The token has no subject." },
        { "no exp", "The token has no expiry." },
        { "the token in the query string", "A bearer token is required." },
        { "the token in a cookie", "A bearer token is required." },
        { "only an X-User-ID header", "A bearer token is required." },
    };

    public static TheoryData<string> AcceptedTokens =>
    [
        "RS256",
        "ES256",
        "PS256",
        "expired 30 seconds ago (within the 60 s skew)",
        "a lower-case bearer scheme",
        "an at+jwt type",
    ];

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task A_bad_token_is_401_with_a_challenge_and_changes_nothing(string token, string reason)
    {
        var (_, subject) = await api.SeededUserAsync();
        var before = await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject);

        using var client = api.Host.Client();
        using var request = Request(token, subject);
        var response = await client.SendAsync(request);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(reason, problem["detail"]!.GetValue<string>());
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Matches("error=\"invalid_(token|request)\", error_description=\"" + System.Text.RegularExpressions.Regex.Escape(reason) + "\"", challenge.Parameter);
        Assert.Equal(before, await PartitionDump.DumpWithSecretsAsync(api.Azurite, api.Issuer.Authority, subject));
    }

    [Theory]
    [MemberData(nameof(AcceptedTokens))]
    public async Task A_good_token_is_accepted(string token)
    {
        var subject = ApiFixture.NewSubject();
        using var client = api.Host.Client();
        using var request = Request(token, subject);

        var response = await client.SendAsync(request);

        await response.ExpectAsync(HttpStatusCode.OK);
        var me = await (await api.Host.WithToken(api.Issuer.Mint(subject)).GetAsync("api/onboarding/step/2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("https://accepted.example", me["data"]!["website"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_missing_token_is_an_invalid_request_and_a_bad_one_an_invalid_token()
    {
        using var client = api.Host.Client();

        var missing = await client.GetAsync("api/me");
        using var garbled = new HttpRequestMessage(HttpMethod.Get, "api/me");
        garbled.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "garbled");
        var invalid = await client.SendAsync(garbled);

        await missing.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await invalid.ExpectProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("error=\"invalid_request\"", missing.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_token\"", invalid.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_issuer_is_503_with_Retry_After_not_a_500_or_an_acceptance()
    {
        var gone = await TestIssuer.StartAsync();
        var subject = ApiFixture.NewSubject();
        var token = gone.Mint(subject);
        await gone.DisposeAsync();
        await using var server = await api.StartHostAsync(gone);

        var response = await server.WithToken(token).GetAsync("api/me");

        await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable, "dependency-unavailable");
        Assert.NotNull(response.Headers.RetryAfter);
    }

    /// <summary>A draft write to step 2 carrying the named token (or none) for <paramref name="subject"/>.</summary>
    private HttpRequestMessage Request(string token, string subject)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "api/onboarding/step/2")
        {
            Content = Infrastructure.Http.Json("{\"website\":\"https://accepted.example\"}"),
        };
        var issuer = api.Issuer;
        var now = DateTimeOffset.UtcNow;
        string Valid() => issuer.Mint(subject);
        string Raw(object header, object payload) => issuer.MintRaw(JsonSerializer.Serialize(header), JsonSerializer.Serialize(payload));
        Dictionary<string, object> Payload() => new()
        {
            ["iss"] = issuer.Authority,
            ["aud"] = TestIssuer.DefaultAudience,
            ["azp"] = "https://app.example",
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
        };
        var rs256 = new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = issuer.RsaKey.KeyId };

        string? bearer = token switch
        {
            "no Authorization header" or "only an X-User-ID header" => null,
            "an empty Bearer token" => string.Empty,
            "the Basic scheme" => null,
            "a garbled token" => "garbled",
            "three garbled parts" => "a.b.c",
            "three parts of symbols" => "!!!.???.***",
            "five parts (an encrypted token)" => "a.b.c.d.e",
            "a payload that is not JSON" => issuer.MintRaw(JsonSerializer.Serialize(rs256), "not json"),
            "a header that is not JSON" => issuer.MintRaw("{\"alg\":", JsonSerializer.Serialize(Payload())),
            "a token over 8 KiB" => issuer.Mint(subject, d => d.Claims["padding"] = new string('p', 9000)),
            "two Authorization headers" => null,
            "expired 2 minutes ago (beyond the 60 s skew)" => issuer.Mint(subject, d => (d.IssuedAt, d.NotBefore, d.Expires) = (DateTime.UtcNow.AddMinutes(-12), DateTime.UtcNow.AddMinutes(-12), DateTime.UtcNow.AddMinutes(-2))),
            "not valid for another 2 minutes" => issuer.Mint(subject, d => (d.NotBefore, d.Expires) = (DateTime.UtcNow.AddMinutes(2), DateTime.UtcNow.AddMinutes(12))),
            "issued 10 minutes in the future" => issuer.Mint(subject, d => d.IssuedAt = DateTime.UtcNow.AddMinutes(10)),
            "an iat beyond the calendar" => Raw(rs256, Payload().With("iat", 99_999_999_999_999_999L)),
            "a wrong issuer" => issuer.Mint(subject, d => d.Issuer = "https://evil.example/"),
            "the issuer without its trailing slash" => issuer.Mint(subject, d => d.Issuer = issuer.Authority.TrimEnd('/')),
            "a token of another real issuer" => api.OtherIssuer.Mint(subject),
            "a wrong audience" => issuer.Mint(subject, d => d.Audience = "someone-else"),
            "no audience" => issuer.Mint(subject, d => d.Audience = null),
            "an unauthorized azp" => issuer.Mint(subject, d => d.Claims["azp"] = "https://evil.example"),
            "no azp" => issuer.Mint(subject, d => d.Claims.Remove("azp")),
            "alg none" => issuer.MintRaw(JsonSerializer.Serialize(rs256.With("alg", "none")), JsonSerializer.Serialize(Payload()), sign: false),
            "alg none without a key id" => issuer.MintRaw("{\"alg\":\"none\",\"typ\":\"JWT\"}", JsonSerializer.Serialize(Payload()), sign: false),
            "HS256 signed with the RSA public key as HMAC secret" => HmacWithPublicKey(rs256.With("alg", "HS256"), Payload()),
            "RS384 (not a pinned algorithm)" => issuer.Mint(subject, algorithm: SecurityAlgorithms.RsaSha384),
            "no key id" => Raw(new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT" }, Payload()),
            "a key id nobody published" => issuer.Mint(subject, key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "unpublished" }),
            "a foreign key under the issuer's key id" => issuer.Mint(subject, key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = issuer.RsaKey.KeyId }),
            "a payload swapped after signing" => SwapPayload(issuer.Mint(ApiFixture.NewSubject("attacker")), Payload()),
            "a crit header" => Raw(rs256.With("crit", new[] { "exp" }), Payload()),
            "an id_token type" => issuer.Mint(subject, d => d.TokenType = "id_token+jwt"),
            "no sub" => issuer.Mint(subject, d => d.Claims.Remove("sub")),
            "an empty sub" => issuer.Mint(subject, d => d.Claims["sub"] = string.Empty),
            "no exp" => issuer.Mint(subject, d => d.Expires = null),
            "the token in the query string" or "the token in a cookie" => null,
            "RS256" => Valid(),
            "ES256" => issuer.Mint(subject, key: issuer.EcKey, algorithm: SecurityAlgorithms.EcdsaSha256),
            "PS256" => issuer.Mint(subject, algorithm: SecurityAlgorithms.RsaSsaPssSha256),
            "expired 30 seconds ago (within the 60 s skew)" => issuer.Mint(subject, d => (d.IssuedAt, d.NotBefore, d.Expires) = (DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddSeconds(-30))),
            "a lower-case bearer scheme" => null,
            "an at+jwt type" => issuer.Mint(subject, d => d.TokenType = "at+jwt"),
            _ => throw new ArgumentOutOfRangeException(nameof(token), token, "Unknown case."),
        };

        switch (token)
        {
            case "the Basic scheme":
                request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(subject + ":pw")));
                break;
            case "two Authorization headers":
                request.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + Valid(), "Bearer " + Valid()]);
                break;
            case "the token in the query string":
                request.RequestUri = new Uri("api/onboarding/step/2?access_token=" + Valid(), UriKind.Relative);
                break;
            case "the token in a cookie":
                request.Headers.Add("Cookie", "access_token=" + Valid() + "; __session=" + Valid());
                break;
            case "only an X-User-ID header":
                request.Headers.Add("X-User-ID", CurrentUser.DeriveUserKey(issuer.Authority, subject));
                request.Headers.Add("X-Customer-ID", subject);
                break;
            case "a lower-case bearer scheme":
                request.Headers.TryAddWithoutValidation("Authorization", "bearer " + Valid());
                break;
            default:
                if (bearer is not null)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
                }

                break;
        }

        return request;
    }

    private string HmacWithPublicKey(object header, object payload)
    {
        var signingInput = TestIssuer.B64(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + TestIssuer.B64(JsonSerializer.SerializeToUtf8Bytes(payload));
        var secret = Encoding.ASCII.GetBytes(api.Issuer.RsaKey.Rsa.ExportSubjectPublicKeyInfoPem());
        return signingInput + "." + TestIssuer.B64(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
    }

    private static string SwapPayload(string token, object payload)
    {
        var parts = token.Split('.');
        return parts[0] + "." + TestIssuer.B64(JsonSerializer.SerializeToUtf8Bytes(payload)) + "." + parts[2];
    }
}

internal static class DictionaryExtensions
{
    /// <summary>A copy with one entry set, for building near-valid token headers and payloads.</summary>
    public static Dictionary<string, object> With(this Dictionary<string, object> source, string key, object value)
        => new(source) { [key] = value };
}

public sealed class TokenValidationTestsOnServer(ApiFixture api) : TokenValidationTests(api), IClassFixture<ApiFixture>;

public sealed class TokenValidationTestsOnFunctions(FunctionsApiFixture api) : TokenValidationTests(api), IClassFixture<FunctionsApiFixture>;
