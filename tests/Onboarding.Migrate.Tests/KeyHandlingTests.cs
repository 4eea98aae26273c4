using Onboarding.Migrate.Tests.Infrastructure;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Migrate.Tests;

/// <summary>Plaintext legacy keys end up only in the secret store.</summary>
public sealed class KeyHandlingTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Raw_keys_appear_nowhere_but_the_secret_store_not_in_output_logs_or_table_rows()
    {
        using var legacy = new LegacyWorkspace();
        string[] keys = [LegacyKeys.OpenAi(), LegacyKeys.Gemini(), LegacyKeys.Anthropic(), LegacyKeys.Tavily()];
        var source = legacy.Write(".onboarding_progress.json", LegacyData.Shared(("1", LegacyData.InProgress(keys[0], keys[1])), ("2", LegacyData.Finished(keys[2], keys[3]))));
        var (quinn, rosa) = (ServiceFixture.NewSubject("quinn"), ServiceFixture.NewSubject("rosa"));
        var map = legacy.UserMap(("1", service.IssuerName, quinn), ("2", service.IssuerName, rosa));

        var human = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map);
        var json = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map, "--json");
        var dry = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", map, "--json", "--dry-run");

        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains($"openai {LegacyKeys.Mask(keys[0])}", human.Out, StringComparison.Ordinal);
        Assert.Contains(json.User("2")["key_hints"]!.AsArray(), h => h!["hint"]!.GetValue<string>() == LegacyKeys.Mask(keys[2]));
        var rows = await service.PartitionAsync(quinn) + await service.PartitionAsync(rosa);
        var allRows = string.Join('\n', (await PartitionDump.RowsAsync(service.Azurite, service.UserKey(quinn)))
            .Concat(await PartitionDump.RowsAsync(service.Azurite, service.UserKey(rosa)))
            .SelectMany(r => r.Select(p => p.Value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : p.Value?.ToString())));
        Assert.Contains("apikey-openai", rows, StringComparison.Ordinal);
        foreach (var key in keys)
        {
            foreach (var text in new[] { human.Out, human.Error, json.Out, json.Error, dry.Out, dry.Error, rows, allRows, await service.SecretRowsAsync(quinn) })
            {
                Assert.DoesNotContain(key, text, StringComparison.Ordinal);
                Assert.DoesNotContain(key[4..^4], text, StringComparison.Ordinal);
            }
        }

        Assert.Equal(keys[0], await service.StoredSecretAsync(quinn, "openai"));
        Assert.Equal(keys[3], await service.StoredSecretAsync(rosa, "tavily"));
    }

    [Fact]
    public async Task Step_one_rows_keep_the_legacy_data_without_its_keys()
    {
        using var legacy = new LegacyWorkspace();
        var openAi = LegacyKeys.OpenAi();
        var source = legacy.Write(".onboarding_progress_21.json", LegacyData.InProgress(openAi, LegacyKeys.Gemini()));
        var sam = ServiceFixture.NewSubject("sam");

        var run = await Cli.RunAsync(service.CliEnvironment, "--source", source, "--user-map", legacy.UserMap(("21", service.IssuerName, sam)));

        Assert.True(run.ExitCode == 0, run.ToString());
        var step1 = (await PartitionDump.RowsAsync(service.Azurite, service.UserKey(sam))).Single(r => r.RowKey == "step-1");
        Assert.Equal("""{"selected_provider":"openai"}""", step1.GetString("Data0"));
        var index = (await PartitionDump.RowsAsync(service.Azurite, service.UserKey(sam))).Single(r => r.RowKey == "apikey-openai");
        Assert.Equal(LegacyKeys.Mask(openAi), index.GetString("Hint"));
        Assert.Equal($"u-{service.UserKey(sam)}-openai", index.GetString("SecretName"));
    }
}
