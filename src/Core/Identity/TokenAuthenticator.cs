using System.Buffers;
using System.Buffers.Text;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Onboarding.Core.Identity;

/// <summary>
/// Validates an <c>Authorization</c> header against the one configured issuer and turns it into a <see cref="CurrentUser"/>.
/// Host-agnostic: the Server middleware and the Functions worker middleware both call it.
/// </summary>
public sealed partial class TokenAuthenticator
{
    /// <summary>Larger tokens are refused before any parsing work is done.</summary>
    public const int MaxTokenLength = 8 * 1024;

    private static readonly string[] AllowedAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSsaPssSha256];

    private static readonly string[] AllowedTypes = ["JWT", "at+jwt", "application/at+jwt"];

    /// <summary>The alphabet of a compact JWS: base64url and the two dots.</summary>
    private static readonly SearchValues<char> CompactTokenCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    /// <summary>
    /// Header parameters that carry or point at key material (jku, jwk, x5u, x5c) or change how the token must be processed
    /// (crit, cty, zip, enc). Keys come only from the configured issuer and nested, compressed or encrypted tokens are not
    /// supported, so a token with any of them is refused before a key is looked up or fetched.
    /// </summary>
    private static readonly string[] RefusedHeaders = ["jku", "jwk", "x5u", "x5c", "crit", "cty", "zip", "enc"];

    /// <summary>RFC 7519 NumericDate claims: JSON numbers, never strings.</summary>
    private static readonly string[] TimeClaims = ["exp", "nbf", "iat"];

    private readonly TokenIssuer _issuer;
    private readonly AuthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TokenAuthenticator> _logger;
    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = MaxTokenLength, MapInboundClaims = false };
    private ValidationSetup? _setup;

    public TokenAuthenticator(TokenIssuer issuer, IOptions<AuthOptions> options, TimeProvider time, ILogger<TokenAuthenticator> logger)
    {
        _issuer = issuer;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Validates the request's Authorization header values. Exactly one "Bearer" value is accepted.</summary>
    public async Task<AuthenticationOutcome> AuthenticateAsync(StringValues authorization, CancellationToken cancellationToken)
    {
        if (authorization.Count == 0)
        {
            return AuthenticationOutcome.MissingToken("A bearer token is required.");
        }

        if (authorization.Count > 1)
        {
            return AuthenticationOutcome.InvalidToken("Exactly one Authorization header is accepted.");
        }

        var header = authorization[0] ?? string.Empty;
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticationOutcome.MissingToken("The Authorization header must use the Bearer scheme.");
        }

        var encoded = header.AsSpan(scheme.Length).Trim();
        if (encoded.Length == 0)
        {
            return AuthenticationOutcome.MissingToken("The Bearer token is empty.");
        }

        if (encoded.Length > MaxTokenLength)
        {
            return AuthenticationOutcome.InvalidToken("The token is too large.");
        }

        // Checked on the header itself, so a malformed token costs no copy. The copy is the one string the token library
        // validates from: its signature check reads the token as a string, whatever it was built from.
        if (CheckCompactShape(encoded) is { } malformed)
        {
            return AuthenticationOutcome.InvalidToken(malformed);
        }

        var token = encoded.ToString();
        var shapeError = CheckShape(token, out var jwt);
        if (shapeError is not null)
        {
            return AuthenticationOutcome.InvalidToken(shapeError);
        }

        // The token read for the shape checks is the one validated: it is parsed once per request.
        var result = await ValidateAsync(jwt!, cancellationToken);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The issuer may have rotated its keys. RequestRefresh is rate-limited by the configuration manager.
            _issuer.Keys.RequestRefresh();
            result = await ValidateAsync(new JsonWebToken(token), cancellationToken);
        }

        if (!result.IsValid)
        {
            LogRejected(_logger, result.Exception?.GetType().Name ?? "unknown");
            return AuthenticationOutcome.InvalidToken(Describe(result.Exception));
        }

        return CheckClaims((JsonWebToken)result.SecurityToken);
    }

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

    private async ValueTask<TokenValidationResult> ValidateAsync(JsonWebToken token, CancellationToken cancellationToken)
    {
        Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _issuer.Keys.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            LogIssuerUnavailable(_logger, ex);
            throw new DependencyUnavailableException("The identity provider", TimeSpan.FromSeconds(10), ex);
        }

        return await _handler.ValidateTokenAsync(token, ParametersFor(configuration));
    }

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

    private AuthenticationOutcome CheckClaims(JsonWebToken jwt)
    {
        // The claims are read from the payload's JSON as written, so their JSON types are checked too: the token
        // library converts numbers to strings and back, and a user must never come from a number or an array. The
        // payload is decoded from the token itself into a pooled buffer.
        var encoded = jwt.EncodedToken.AsSpan();
        var headerEnd = encoded.IndexOf('.');
        var payloadLength = encoded[(headerEnd + 1)..].IndexOf('.');
        var payload = encoded.Slice(headerEnd + 1, payloadLength);
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(payload.Length));
        try
        {
            if (Base64Url.DecodeFromChars(payload, buffer, out _, out var written) != OperationStatus.Done)
            {
                return AuthenticationOutcome.InvalidToken("The token is malformed.");
            }

            using var document = JsonDocument.Parse(buffer.AsMemory(0, written));
            return CheckClaims(document.RootElement);
        }
        catch (JsonException)
        {
            return AuthenticationOutcome.InvalidToken("The token is malformed.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private AuthenticationOutcome CheckClaims(JsonElement claims)
    {
        if (_options.AuthorizedParties.Count > 0 && !IsAuthorizedParty(claims))
        {
            return AuthenticationOutcome.InvalidToken("The token's authorized party is not accepted.");
        }

        foreach (var timeClaim in TimeClaims)
        {
            if (claims.TryGetProperty(timeClaim, out var value) && value.ValueKind != JsonValueKind.Number)
            {
                return AuthenticationOutcome.InvalidToken($"The token's '{timeClaim}' claim is not a NumericDate.");
            }
        }

        if (claims.TryGetProperty("iat", out var iatValue)
            && (!iatValue.TryGetDouble(out var iat) || iat > (_time.GetUtcNow() + _options.ClockSkew).ToUnixTimeSeconds()))
        {
            return AuthenticationOutcome.InvalidToken("The token was issued in the future.");
        }

        var sub = StringClaim(claims, "sub");
        if (string.IsNullOrWhiteSpace(sub))
        {
            return AuthenticationOutcome.InvalidToken("The token has no subject.");
        }

        var subject = _options.UserClaim == "sub" ? sub : StringClaim(claims, _options.UserClaim);
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > 256)
        {
            return AuthenticationOutcome.InvalidToken($"The token has no usable '{_options.UserClaim}' claim.");
        }

        var email = StringClaim(claims, ClaimTypes.Email) ?? StringClaim(claims, "email");
        var name = StringClaim(claims, "name");
        return AuthenticationOutcome.Success(CurrentUser.Create(_issuer.Issuer, subject, email, name));
    }

    /// <summary>The <c>azp</c> claim is a string equal to one of the configured parties (compared without copying it).</summary>
    private bool IsAuthorizedParty(JsonElement claims)
    {
        if (!claims.TryGetProperty("azp", out var azp) || azp.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        foreach (var party in _options.AuthorizedParties)
        {
            if (azp.ValueEquals(party))
            {
                return true;
            }
        }

        return false;
    }

    private static string? StringClaim(JsonElement claims, string name)
        => claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The issuer's signing keys cannot be loaded; answering 503")]
    private static partial void LogIssuerUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bearer token rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    private sealed record ValidationSetup(Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration Configuration, TokenValidationParameters Parameters);
}
