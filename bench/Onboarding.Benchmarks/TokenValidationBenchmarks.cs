using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Onboarding.Core.Identity;
using Onboarding.Testing;

namespace Onboarding.Benchmarks;

/// <summary>
/// The project's <see cref="TokenAuthenticator"/> (header parsing, shape checks, validation, claim checks, user key)
/// against a bare <see cref="JsonWebTokenHandler.ValidateTokenAsync(string, TokenValidationParameters)"/> with the same
/// rules, on the same token and the same keys. The authenticator gets its keys the production way, through the
/// project's ConfigurationManager over HTTP, from the tests' loopback issuer, which counts requests: after warm-up there
/// must be none, and cleanup fails the run if there were.
/// </summary>
[MemoryDiagnoser]
public class TokenValidationBenchmarks
{
    private TestIssuer _issuer = null!;
    private HttpClient _http = null!;
    private TokenAuthenticator _authenticator = null!;
    private JsonWebTokenHandler _bare = null!;
    private TokenValidationParameters _bareParameters = null!;
    private string _token = null!;
    private StringValues _header;
    private int _requestsAfterWarmUp;

    [GlobalSetup]
    public void Setup()
    {
        _issuer = TestIssuer.StartAsync().GetAwaiter().GetResult();
        _http = new HttpClient();
        var options = new AuthOptions { Authority = _issuer.Authority, Audience = TestIssuer.DefaultAudience };
        options.AuthorizedParties.Add(TestIssuer.DefaultAuthorizedParty);
        var issuer = TokenIssuerFactory.Create(options, _http, TimeProvider.System);
        _authenticator = new TokenAuthenticator(issuer, Options.Create(options), TimeProvider.System, NullLogger<TokenAuthenticator>.Instance);

        _token = _issuer.Mint("user_2abcdEFGhijkLMNopqRStuvWXyz", t => t.Claims["email"] = "bench@example.com");
        _header = new StringValues("Bearer " + _token);
        Console.WriteLine($"// Token: {_token.Length} characters.");

        // Warm-up: the first validation fetches the metadata and the keys, once.
        if (!Authenticator().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The project's authenticator rejected the benchmark token.");
        }

        _requestsAfterWarmUp = IssuerRequests();
        var configuration = issuer.Keys.GetConfigurationAsync(CancellationToken.None).GetAwaiter().GetResult();
        _bare = new JsonWebTokenHandler { MaximumTokenSizeInBytes = TokenAuthenticator.MaxTokenLength, MapInboundClaims = false };
        _bareParameters = new TokenValidationParameters
        {
            ValidIssuer = _issuer.Authority,
            ValidAudience = TestIssuer.DefaultAudience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = options.ClockSkew,
            IssuerSigningKeys = configuration.SigningKeys,
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSsaPssSha256],
            ValidTypes = ["JWT", "at+jwt", "application/at+jwt"],
            NameClaimType = "name",
        };
        if (!BareHandler().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The bare handler rejected the benchmark token.");
        }
    }

    [Benchmark(Baseline = true, Description = "JsonWebTokenHandler.ValidateTokenAsync (bare)")]
    public async Task<bool> BareHandler() => (await _bare.ValidateTokenAsync(_token, _bareParameters)).IsValid;

    /// <summary>
    /// The bare call given what the authenticator is given, an Authorization header: the token is copied out of it first.
    /// Shows how much of the difference is that copy, which no caller of the handler avoids (it needs the token as a string).
    /// </summary>
    [Benchmark(Description = "bare, token copied out of the Authorization header")]
    public async Task<bool> BareHandlerFromHeader() => (await _bare.ValidateTokenAsync(_header[0]![7..], _bareParameters)).IsValid;

    [Benchmark(Description = "TokenAuthenticator.AuthenticateAsync (keys cached)")]
    public async Task<bool> Authenticator() => (await _authenticator.AuthenticateAsync(_header, CancellationToken.None)).User is not null;

    [GlobalCleanup]
    public void Cleanup()
    {
        var after = IssuerRequests();
        Console.WriteLine($"// Issuer HTTP requests: {_requestsAfterWarmUp} during warm-up, {after - _requestsAfterWarmUp} after it.");
        _http.Dispose();
        _issuer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (after != _requestsAfterWarmUp)
        {
            throw new InvalidOperationException($"Token validation made {after - _requestsAfterWarmUp} HTTP request(s) after the keys were cached.");
        }
    }

    private int IssuerRequests() => _issuer.MetadataRequests + _issuer.JwksRequests;
}
