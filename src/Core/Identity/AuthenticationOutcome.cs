namespace Onboarding.Core.Identity;

/// <summary>Either the validated user or why the token was refused (an RFC 6750 error code and a safe description).</summary>
public sealed record AuthenticationOutcome(CurrentUser? User, string Error, string Description)
{
    public bool Succeeded => User is not null;

    public static AuthenticationOutcome Success(CurrentUser user) => new(user, string.Empty, string.Empty);

    public static AuthenticationOutcome MissingToken(string description) => new(null, "invalid_request", description);

    public static AuthenticationOutcome InvalidToken(string description) => new(null, "invalid_token", description);
}
