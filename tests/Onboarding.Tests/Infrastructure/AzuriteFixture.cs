using Azure.Data.Tables;
using Onboarding.Server.Azurite;
using Onboarding.Tests.Infrastructure;
using Xunit;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]

namespace Onboarding.Tests.Infrastructure;

/// <summary>One real Azurite Table service (in memory, loopback) for the whole test assembly. Tests isolate by user.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite is not running.");

    public TableServiceClient Tables => new(ConnectionString);

    public async ValueTask InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
