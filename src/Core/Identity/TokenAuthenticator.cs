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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The issuer's signing keys cannot be loaded; answering 503")]
    private static partial void LogIssuerUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bearer token rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

}
