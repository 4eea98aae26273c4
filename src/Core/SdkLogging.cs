using Azure.Core;

namespace Onboarding.Core;

/// <summary>
/// The Azure SDK's own request log is off on the service's clients. Its output is discarded anyway (the client factory
/// forwards it to a null logger factory, see <c>AddOnboardingAzureClients</c>), but the factory's forwarder still
/// listens to the SDK's event sources at Verbose, so with the log on every storage and vault request formatted its
/// headers into events nobody read: about 5 KiB and a share of the CPU of each request. Requests stay traced
/// (activities), retries stay as configured. It sits in Core's root, which every folder may use, because the Storage
/// and ApiKeys folders configure the clients and neither may use Hosting.
/// </summary>
public static class SdkLogging
{
    public static void TurnOff(ClientOptions clientOptions)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        clientOptions.Diagnostics.IsLoggingEnabled = false;
    }
}
