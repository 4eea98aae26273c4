using System.Globalization;
using Xunit;

namespace Onboarding.Tests.Consistency;

/// <summary>
/// The bounded fault and race run (<see cref="KeyRaceRun"/>) over both secret stores. The seed is printed;
/// <c>ONBOARDING_RACE_SEED=&lt;n&gt;</c> replays a run and <c>ONBOARDING_RACE_ROUNDS=&lt;n&gt;</c> makes it longer
/// (docs/security.md records a long run); <c>ONBOARDING_RACE_REPORT=&lt;file&gt;</c> appends the summary line to a file.
/// It stops by itself after its rounds.
/// </summary>
public sealed class KeyRaceRunOnKeyVaultTests(TwoVaultInstances api) : IClassFixture<TwoVaultInstances>
{
    [Fact]
    public async Task Random_interleavings_aborts_and_faults_across_two_instances_leave_no_inconsistency_with_key_vault()
        => await RaceRunSettings.RunAndAssertAsync(api);

    // Seed 613216065 once ended with a key listed whose secret was gone: an erasure took the lease naming only the
    // providers it had read before, a save on the other instance landed in between, and when the erasure's vault
    // delete of that provider failed after landing, nothing left the provider pending. Replaying the seed's choices
    // found that one inconsistency before the erasure marked every provider it reads as pending.
    [Fact]
    public async Task The_erasure_racing_a_save_under_vault_faults_leaves_no_listed_key_without_its_secret()
        => await RaceRunSettings.RunAndAssertAsync(api, seed: 613216065);
}

/// <inheritdoc cref="KeyRaceRunOnKeyVaultTests"/>
public sealed class KeyRaceRunOnLocalStoreTests(TwoLocalInstances api) : IClassFixture<TwoLocalInstances>
{
    [Fact]
    public async Task Random_interleavings_aborts_and_faults_across_two_instances_leave_no_inconsistency_with_the_local_store()
        => await RaceRunSettings.RunAndAssertAsync(api);
}

internal static class RaceRunSettings
{
    public const int DefaultRounds = 12;

    public static async Task RunAndAssertAsync(TwoInstances api, int? seed = null)
    {
        seed ??= int.TryParse(Environment.GetEnvironmentVariable("ONBOARDING_RACE_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("ONBOARDING_RACE_ROUNDS"), CultureInfo.InvariantCulture, out var r) ? r : DefaultRounds;
        var report = await new KeyRaceRun(api, seed.Value).RunAsync(rounds);
        var summary = $"{(api.UsesVault ? "Key Vault" : "local store")}: {report}";
        TestContext.Current.SendDiagnosticMessage(summary);
        Console.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("ONBOARDING_RACE_REPORT") is { Length: > 0 } file)
        {
            await File.AppendAllTextAsync(file, summary + Environment.NewLine);
        }

        Assert.True(report.Inconsistencies.Count == 0, $"{summary}\n{string.Join('\n', report.Inconsistencies.Take(20))}");
    }
}
