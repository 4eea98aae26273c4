using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Onboarding;
using Onboarding.Core.Storage;
using Onboarding.Migrate.Tests.Infrastructure;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Migrate.Tests;

/// <summary>
/// The migration writes a user's keys by the service's key protocol: under the user's key lease, so a migration that
/// runs while the service serves the same user never leaves a secret that no row lists, nor a row over another secret.
/// </summary>
public sealed class KeyLeaseTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_migration_waits_for_a_key_save_in_flight_in_the_service_and_then_leaves_its_key_alone()
    {
        using var legacy = new LegacyWorkspace();
        var source = legacy.Write(".onboarding_progress_31.json", LegacyData.JustStarted(LegacyKeys.OpenAi()));
        var ivan = ServiceFixture.NewSubject("ivan");
        var userKey = service.UserKey(ivan);
        var openAi = ProviderCatalog.Find("openai")!;
        var secretName = SecretNames.For(userKey, openAi);
        var serviceKey = LegacyKeys.OpenAi();

        // The service's key save, stopped between its secret write and its index commit: it holds the user's lease.
        var services = service.Server.Services;
        var lease = await services.GetRequiredService<KeyLeases>().AcquireAsync(userKey, [openAi.Name], CancellationToken.None);
        await services.GetRequiredService<ISecretStore>().SetAsync(secretName, serviceKey, new Dictionary<string, string>(), CancellationToken.None);

        using var error = new WatchedWriter("waiting for its key lease");
        var migration = Cli.RunAsync(service.CliEnvironment, error, "--source", source, "--user-map", legacy.UserMap(("31", service.IssuerName, ivan)), "--json");
        var first = await Task.WhenAny(error.Seen, migration);
        if (first == migration)
        {
            Assert.Fail($"The migration did not wait for the service's key lease:\n{await migration}");
        }

        Assert.Equal(serviceKey, await service.StoredSecretAsync(ivan, "openai"));

        // The service's save commits its index row with the lease's release, as OnboardingService does.
        lease.Pending.Clear();
        var change = new PartitionChange(ProgressState.Fresh with { UpdatedAt = DateTimeOffset.UtcNow }, null)
        {
            Lease = new KeyLeaseFence(lease, Release: true),
        };
        change.ApiKeyWrites.Add(new ApiKeyEntry(openAi.Name, secretName, ProviderCatalog.Mask(serviceKey), DateTimeOffset.UtcNow, null));
        await services.GetRequiredService<OnboardingTable>().SubmitAsync(userKey, change, CancellationToken.None);

        var run = await migration;

        Assert.Equal("conflict", run.ResultOf("31"));
        Assert.Equal(serviceKey, await service.StoredSecretAsync(ivan, "openai"));
        var listed = await service.GetAsync(ivan, "api/onboarding/api-keys");
        Assert.Equal(LegacyKeys.Mask(serviceKey), listed["api_keys"]!["openai"]!.GetValue<string>());
        var rows = await PartitionDump.RowsAsync(service.Azurite, userKey);
        Assert.DoesNotContain(rows, r => r.RowKey is "migration" or "keylease");
    }

    [Fact]
    public async Task Migrations_and_key_saves_released_together_leave_every_listed_key_resolving_and_no_unlisted_secret()
    {
        for (var round = 0; round < 6; round++)
        {
            using var legacy = new LegacyWorkspace();
            var source = legacy.Write($".onboarding_progress_{round}.json", LegacyData.InProgress(LegacyKeys.OpenAi(), LegacyKeys.Gemini()));
            var subject = ServiceFixture.NewSubject($"race{round}");
            var map = legacy.UserMap((round.ToString(System.Globalization.CultureInfo.InvariantCulture), service.IssuerName, subject));
            using var client = service.ClientFor(subject);
            var saved = LegacyKeys.OpenAi();

            var save = client.PostJsonAsync("api/onboarding/api-keys", new { provider = "openai", api_key = saved });
            var run = Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map, "--json");
            await Task.WhenAll(save, run);

            Assert.Equal(HttpStatusCode.OK, (await save).StatusCode);
            var listed = (await service.GetAsync(subject, "api/onboarding/api-keys"))["api_keys"]!.AsObject();
            foreach (var (provider, hint) in listed)
            {
                var stored = await service.StoredSecretAsync(subject, provider);
                Assert.True(stored is not null && LegacyKeys.Mask(stored) == hint!.GetValue<string>(), $"round {round}: {provider} lists {hint} over {(stored is null ? "no secret" : LegacyKeys.Mask(stored))}\n{await run}");
            }

            foreach (var provider in new[] { "openai", "gemini" }.Where(p => !listed.ContainsKey(p)))
            {
                Assert.True(await service.StoredSecretAsync(subject, provider) is null, $"round {round}: a {provider} secret no row lists\n{await run}");
            }

            Assert.True(listed["openai"]?.GetValue<string>() == LegacyKeys.Mask(saved), $"round {round}: the acknowledged save is not what is listed\n{await run}");
        }
    }
}
