using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Storage;

namespace Onboarding.Core.Hosting;

public static class OnboardingAzureClientsServiceCollectionExtensions
{
    /// <summary>
    /// The Table Storage and Key Vault clients through the Azure client factory, from the Storage and Secrets settings.
    /// Each client has its own credential because each setting section names its own managed identity. The
    /// <see cref="SecretClient"/> is built only when something resolves it, which happens only when a vault is
    /// configured; tests replace either client with one over a fake transport.
    /// </summary>
    public static IServiceCollection AddOnboardingAzureClients(this IServiceCollection services)
    {
        // The factory forwards the SDK's event log into ILogger once a client exists; that log writes every expected
        // 404 and 409 as a warning. Registered first so the app's logs stay its own.
        services.TryAddSingleton(new AzureEventSourceLogForwarder(NullLoggerFactory.Instance));

        services.AddAzureClients(clients =>
        {
            clients.AddClient<TableServiceClient, TableClientOptions>((clientOptions, credential, sp) =>
                    TableClientFactory.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value, clientOptions, credential))
                .WithCredential(sp => TableClientFactory.Credential(sp.GetRequiredService<IOptions<StorageOptions>>().Value))
                .ConfigureOptions(TableClientFactory.Apply);

            clients.AddClient<SecretClient, SecretClientOptions>((clientOptions, credential, sp) =>
                    new SecretClient(KeyVaultClientOptions.VaultUri(sp.GetRequiredService<IOptions<SecretsOptions>>().Value), credential, clientOptions))
                .WithCredential(sp => KeyVaultClientOptions.Credential(sp.GetRequiredService<IOptions<SecretsOptions>>().Value))
                .ConfigureOptions((clientOptions, sp) =>
                    KeyVaultClientOptions.Apply(clientOptions, sp.GetRequiredService<IOptions<KeyVaultSecretStoreOptions>>().Value));
        });
        return services;
    }
}
