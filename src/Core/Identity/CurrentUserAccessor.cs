using Microsoft.AspNetCore.Http;

namespace Onboarding.Core.Identity;

/// <summary>Where the authentication step leaves the validated user for the handlers of the same request.</summary>
public static class CurrentUserAccessor
{
    private static readonly object Key = typeof(CurrentUser);

    public static void SetCurrentUser(this HttpContext context, CurrentUser user) => context.Items[Key] = user;

    public static CurrentUser? GetCurrentUser(this HttpContext context)
        => context.Items.TryGetValue(Key, out var value) ? value as CurrentUser : null;
}
