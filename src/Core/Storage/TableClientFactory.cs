using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace Onboarding.Core.Storage;

/// <summary>
/// How the service's <see cref="TableServiceClient"/> is built, shared by the host's registration and harnesses that
/// compare against raw SDK calls, so both sides retry alike.
/// </summary>
public static class TableClientFactory
{
    /// <summary>The service's client outside dependency injection (harnesses, the load test).</summary>
    public static TableServiceClient Create(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new TableClientOptions();
        Apply(clientOptions);
        return Create(options, clientOptions, Credential(options));
    }

    /// <summary>The connection string when there is one (Azurite), else the service URI with the managed identity.</summary>
    public static TableServiceClient Create(StorageOptions options, TableClientOptions clientOptions, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new TableServiceClient(options.TableServiceUri, credential, clientOptions)
            : new TableServiceClient(options.ConnectionString, clientOptions);
    }

    /// <summary>In Azure: the app's managed identity, never an account key.</summary>
    public static TokenCredential Credential(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ManagedIdentityClientId });
    }

    public static void Apply(TableClientOptions clientOptions)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = 3;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        SdkLogging.TurnOff(clientOptions);
    }
}
