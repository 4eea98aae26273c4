using Microsoft.Extensions.Logging;

namespace Onboarding.Core.Storage;

/// <summary>
/// Creates the table (when <see cref="StorageOptions.CreateTableIfNotExists"/> is on) as the host starts, in the
/// background (<see cref="StartupWarmup"/>), so the first request does not wait on that round trip or on jitting the
/// storage client's pipeline.
/// </summary>
/// <remarks>The issuer's keys are fetched at start by <see cref="Identity.IssuerKeysWarmup"/>.</remarks>
internal sealed class TableWarmup(OnboardingTable table, ILogger<TableWarmup> logger) : StartupWarmup(logger)
{
    protected override string Work => "Creating the table";

    protected override Task WarmAsync(CancellationToken stoppingToken) => table.EnsureCreatedAsync(stoppingToken);
}
