using Microsoft.Extensions.Options;
using Onboarding.Core.ApiKeys;

namespace Onboarding.Core.Onboarding;

/// <summary>Fails start-up on a misconfigured step catalogue, with one message per problem naming the setting.</summary>
public sealed class OnboardingOptionsValidator(IOptions<SecretsOptions> secrets) : IValidateOptions<OnboardingOptions>
{
    public ValidateOptionsResult Validate(string? name, OnboardingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OnboardingRules.Build(options, secrets.Value.RequiredProviders, out var problems) is null
            ? ValidateOptionsResult.Fail(problems)
            : ValidateOptionsResult.Success;
    }
}
