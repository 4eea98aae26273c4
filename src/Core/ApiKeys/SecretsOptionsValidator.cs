using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Onboarding.Core.ApiKeys;

/// <summary>In Production, provider keys may only go to Key Vault: the app refuses to start without a vault.</summary>
internal sealed class SecretsOptionsValidator(IHostEnvironment environment) : IValidateOptions<SecretsOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretsOptions options)
        => environment.IsProduction() && options.VaultUri is null
            ? ValidateOptionsResult.Fail("Secrets:VaultUri is required in Production; the local secret store is for development only.")
            : ValidateOptionsResult.Success;
}
