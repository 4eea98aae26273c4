using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Hosting;
using Onboarding.Core.Storage;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Telemetry;

/// <summary>
/// The service's Azure clients write no request log: the client factory's forwarder listens to the SDK's event source
/// at Verbose, so a client with the log on formats every request's headers into events nobody reads. A client with the
/// SDK's default options, making the same call in the same listener, shows that the listener would see them.
/// </summary>
public sealed class SdkRequestLogTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_service_table_client_writes_no_request_events_where_a_default_client_does()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = new AzureCoreEvents();
        using var services = Services(azurite.ConnectionString);
        var serviceTable = "sdklog" + Guid.NewGuid().ToString("N")[..12];
        var defaultTable = "sdklog" + Guid.NewGuid().ToString("N")[..12];

        var service = services.GetRequiredService<TableServiceClient>().GetTableClient(serviceTable);
        await service.CreateIfNotExistsAsync(ct);
        await service.DeleteAsync(ct);
        var control = new TableServiceClient(azurite.ConnectionString).GetTableClient(defaultTable);
        await control.CreateIfNotExistsAsync(ct);
        await control.DeleteAsync(ct);

        // The SDK writes its request event, which names the URI, on the calling thread before the call returns.
        Assert.Contains(listener.Mentioning(defaultTable), name => name == "Request");
        Assert.Empty(listener.Mentioning(serviceTable));
    }

    [Fact]
    public void The_service_secret_client_is_configured_with_the_request_log_off()
    {
        using var services = Services(azurite.ConnectionString);

        // The client factory builds the SecretClient from these options; the vault is reached only over HTTPS to Azure.
        var options = services.GetRequiredService<IOptionsMonitor<SecretClientOptions>>().Get("Default");

        Assert.False(options.Diagnostics.IsLoggingEnabled);
        Assert.True(new SecretClientOptions().Diagnostics.IsLoggingEnabled);
    }

    private static ServiceProvider Services(string connectionString)
    {
        var services = new ServiceCollection().AddLogging();
        services.Configure<StorageOptions>(o => o.ConnectionString = connectionString);
        services.Configure<SecretsOptions>(o => o.VaultUri = new Uri("https://onboarding-test.vault.azure.net/"));
        services.Configure<KeyVaultSecretStoreOptions>(_ => { });
        services.AddOnboardingAzureClients();
        return services.BuildServiceProvider();
    }

    /// <summary>Every event of the SDK's "Azure-Core" source in this process, by name with its payload's text.</summary>
    private sealed class AzureCoreEvents : EventListener
    {
        private readonly ConcurrentQueue<(string Name, string Payload)> _events = new();

        public IReadOnlyList<string> Mentioning(string text) =>
            [.. _events.Where(e => e.Payload.Contains(text, StringComparison.Ordinal)).Select(e => e.Name)];

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Azure-Core")
            {
                EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            // Called from the base constructor for sources that already exist, before this class's fields are set.
            _events?.Enqueue((eventData.EventName ?? string.Empty, string.Join(' ', eventData.Payload ?? [])));
        }
    }
}
