using Onboarding.Core.ApiKeys;
using Onboarding.Core.Identity;
using Onboarding.Core.Storage;
using Onboarding.Infra.Tests.Arm;
using Xunit;

namespace Onboarding.Infra.Tests;

/// <summary>
/// The function app gets every setting Onboarding.Core binds in Azure. Names come from the options classes
/// (SectionName + "__" + property), so renaming an option without the template fails here.
/// </summary>
public sealed class AppSettingsTests
{
    /// <summary>The options the app needs in Azure (not the local-development ones such as ConnectionString).</summary>
    public static readonly IReadOnlyList<string> SettingsTheCodeReads =
    [
        Setting<StorageOptions>(StorageOptions.SectionName, nameof(StorageOptions.TableServiceUri)),
        Setting<StorageOptions>(StorageOptions.SectionName, nameof(StorageOptions.TableName)),
        Setting<StorageOptions>(StorageOptions.SectionName, nameof(StorageOptions.CreateTableIfNotExists)),
        Setting<SecretsOptions>(SecretsOptions.SectionName, nameof(SecretsOptions.VaultUri)),
        Setting<AuthOptions>(AuthOptions.SectionName, nameof(AuthOptions.Authority)),
        Setting<AuthOptions>(AuthOptions.SectionName, nameof(AuthOptions.Audience)),
    ];

    [Fact]
    public async Task Function_app_settings_cover_the_options_the_code_reads() =>
        AssertComplies(InfraPolicies.FunctionAppHasSettings(await Infra.CompiledTemplateAsync(), SettingsTheCodeReads));

    [Fact]
    public async Task Function_app_leaves_table_creation_to_the_deployment()
    {
        var template = await Infra.CompiledTemplateAsync();
        var settings = AppSettings.Of(Assert.Single(template.FunctionApps));

        var value = settings.LiteralString(Setting<StorageOptions>(StorageOptions.SectionName, nameof(StorageOptions.CreateTableIfNotExists)));

        Assert.False(bool.Parse(value ?? "true"));
        Assert.Single(template.OfType(ArmTypes.StorageTables));
    }

    [Fact]
    public async Task Function_app_runs_as_production()
    {
        var settings = AppSettings.Of(Assert.Single((await Infra.CompiledTemplateAsync()).FunctionApps));

        Assert.Equal("Production", settings.LiteralString("AZURE_FUNCTIONS_ENVIRONMENT"));
    }

    [Fact]
    public async Task Table_name_parameter_defaults_to_the_core_default()
    {
        var template = await Infra.CompiledTemplateAsync();

        var defaultValue = template.Root["parameters"]?["tableName"]?["defaultValue"]?.GetValue<string>();

        Assert.Equal(new StorageOptions().TableName, defaultValue);
    }

    /// <summary>The environment-variable form of an option: ':' between section and key becomes "__".</summary>
    internal static string Setting<TOptions>(string sectionName, string propertyName)
    {
        Assert.NotNull(typeof(TOptions).GetProperty(propertyName));
        Assert.Equal(sectionName, typeof(TOptions).GetField("SectionName")?.GetRawConstantValue());
        return $"{sectionName}__{propertyName}";
    }

    private static void AssertComplies(IReadOnlyList<string> violations) =>
        Assert.True(violations.Count == 0, string.Join('\n', violations));
}
