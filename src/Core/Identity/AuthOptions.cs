namespace Onboarding.Core.Identity;

/// <summary>How bearer tokens are validated. The issuer and its keys come only from here, never from a token.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The token issuer, exactly as it appears in the tokens' <c>iss</c> claim (Auth0 keeps its trailing slash).</summary>
    public string? Authority { get; set; }

    /// <summary>OpenID Connect metadata URL; default {Authority}/.well-known/openid-configuration.</summary>
    public Uri? MetadataAddress { get; set; }

    /// <summary>JWKS URL, used instead of the metadata document when set.</summary>
    public Uri? JwksUri { get; set; }

    /// <summary>Expected <c>aud</c>; when empty the audience is not checked (Clerk tokens carry none).</summary>
    public string? Audience { get; set; }

    /// <summary>Accepted <c>azp</c> values (Clerk's authorized parties); when empty <c>azp</c> is not checked.</summary>
    public IList<string> AuthorizedParties { get; } = [];

    /// <summary>Tolerated clock difference for <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The claim that names the user: <c>sub</c> by default, <c>oid</c> for Microsoft Entra ID.</summary>
    public string UserClaim { get; set; } = "sub";

    /// <summary>Minimum time between two signing-key refreshes triggered by an unknown <c>kid</c>.</summary>
    public TimeSpan KeyRefreshMinimumInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// After a failed metadata fetch (the identity provider is down), how long requests get a 503 without fetching again.
    /// </summary>
    public TimeSpan MetadataRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}
