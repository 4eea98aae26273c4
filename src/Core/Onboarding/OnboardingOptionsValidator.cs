using Microsoft.Extensions.Options;

namespace Onboarding.Core.Onboarding;

/// <remarks>Secrets:RequiredProviders is checked by its own validator; reading it here would report its failures twice.</remarks>
/// <summary>Fails start-up on a misconfigured step catalogue, with one message per problem naming the setting.</summary>
public sealed class OnboardingOptionsValidator : IValidateOptions<OnboardingOptions>
{
    public ValidateOptionsResult Validate(string? name, OnboardingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OnboardingRules.Build(options, [], out var problems) is null
            ? ValidateOptionsResult.Fail(problems)
            : ValidateOptionsResult.Success;
    }
}
