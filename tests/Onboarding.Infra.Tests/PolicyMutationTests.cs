using System.Text.Json.Nodes;
using Onboarding.Core.ApiKeys;
using Onboarding.Core.Storage;
using Onboarding.Infra.Tests.Arm;
using Xunit;

namespace Onboarding.Infra.Tests;

/// <summary>
/// Each policy check passes on the real template and fails on a copy weakened in one place, so the checks in
/// <see cref="SecurityPolicyTests"/> and <see cref="AppSettingsTests"/> cannot pass vacuously.
/// </summary>
public sealed class PolicyMutationTests
{
    private const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

    private static readonly Dictionary<string, (Action<ArmTemplate> Weaken, Func<ArmTemplate, IReadOnlyList<string>> Check)> Weakenings = new()
    {
        ["storage allows shared keys"] = (
            t => Props(t, ArmTypes.StorageAccounts)["allowSharedKeyAccess"] = true,
            InfraPolicies.StorageDisallowsSharedKeys),
        ["storage leaves shared keys at the default"] = (
            t => Props(t, ArmTypes.StorageAccounts).Remove("allowSharedKeyAccess"),
            InfraPolicies.StorageDisallowsSharedKeys),
        ["storage accepts TLS 1.0"] = (
            t => Props(t, ArmTypes.StorageAccounts)["minimumTlsVersion"] = "TLS1_0",
            InfraPolicies.StorageRequiresTls12HttpsAndPrivateBlobs),
        ["storage allows public blobs"] = (
            t => Props(t, ArmTypes.StorageAccounts)["allowBlobPublicAccess"] = true,
            InfraPolicies.StorageRequiresTls12HttpsAndPrivateBlobs),
        ["storage account missing"] = (
            t => Single(t, ArmTypes.StorageAccounts).RemoveFromTemplate(),
            InfraPolicies.StorageDisallowsSharedKeys),
        ["a listKeys() connection string"] = (
            t => AppSettingsParameter(t)["AzureWebJobsStorage"] =
                "[format('DefaultEndpointsProtocol=https;AccountName={0};AccountKey={1}', 'st', listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2025-08-01').keys[0].value)]",
            InfraPolicies.NoKeyMaterial),
        ["key vault with access policies instead of RBAC"] = (
            t => Props(t, ArmTypes.KeyVaults)["enableRbacAuthorization"] = false,
            InfraPolicies.KeyVaultUsesRbacSoftDeleteAndPurgeProtection),
        ["key vault without purge protection"] = (
            t => Props(t, ArmTypes.KeyVaults).Remove("enablePurgeProtection"),
            InfraPolicies.KeyVaultUsesRbacSoftDeleteAndPurgeProtection),
        ["key vault without soft delete"] = (
            t => Props(t, ArmTypes.KeyVaults)["enableSoftDelete"] = false,
            InfraPolicies.KeyVaultUsesRbacSoftDeleteAndPurgeProtection),
        ["application insights with local auth"] = (
            t => Props(t, ArmTypes.ApplicationInsights)["DisableLocalAuth"] = false,
            InfraPolicies.ApplicationInsightsDisablesLocalAuth),
        ["telemetry with the instrumentation key"] = (
            t => AppSettingsParameter(t).Remove("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"),
            InfraPolicies.ApplicationInsightsUsesEntraIdAuth),
        ["function app over http"] = (
            t => Props(t, ArmTypes.Sites)["httpsOnly"] = false,
            InfraPolicies.FunctionAppIsHttpsOnlyWithoutFtp),
        ["function app with ftps"] = (
            t => Props(t, ArmTypes.Sites)["siteConfig"]!["ftpsState"] = "FtpsOnly",
            InfraPolicies.FunctionAppIsHttpsOnlyWithoutFtp),
        ["scm basic auth allowed"] = (
            t => Publishing(t, "scm")["allow"] = true,
            InfraPolicies.FunctionAppRefusesBasicAuthPublishing),
        ["ftp basic auth policy missing"] = (
            t => t.OfType(ArmTypes.BasicPublishingCredentialsPolicies).Single(p => p.LastNameSegment == "ftp").RemoveFromTemplate(),
            InfraPolicies.FunctionAppRefusesBasicAuthPublishing),
        ["function app on .NET 8"] = (
            t => Props(t, ArmTypes.Sites)["functionAppConfig"]!["runtime"]!["version"] = "8.0",
            InfraPolicies.FunctionAppRunsDotnetIsolated10OnFlexConsumption),
        ["function app on the Y1 consumption plan"] = (
            t => Single(t, ArmTypes.ServerFarms).Json["sku"] = new JsonObject { ["name"] = "Y1", ["tier"] = "Dynamic" },
            InfraPolicies.FunctionAppRunsDotnetIsolated10OnFlexConsumption),
        ["deployment storage with a connection string"] = (
            t => Props(t, ArmTypes.Sites)["functionAppConfig"]!["deployment"]!["storage"]!["authentication"] =
                new JsonObject { ["type"] = "StorageAccountConnectionString", ["storageAccountConnectionStringName"] = "DEPLOYMENT_STORAGE" },
            InfraPolicies.FunctionAppUsesItsSystemAssignedIdentityForStorage),
        ["host storage without the managed identity"] = (
            t => AppSettingsParameter(t).Remove("AzureWebJobsStorage__credential"),
            InfraPolicies.FunctionAppUsesItsSystemAssignedIdentityForStorage),
        ["an Owner role assignment"] = (
            t => FirstRoleAssignment(t)["roleDefinitionId"] = $"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{Owner}')]",
            InfraPolicies.RoleAssignmentsAreIntended),
        ["a role for a hard-coded principal"] = (
            t => FirstRoleAssignment(t)["principalId"] = "00000000-0000-0000-0000-000000000001",
            InfraPolicies.RoleAssignmentsAreIntended),
        ["the app identity assigned as a user"] = (
            t => FirstRoleAssignment(t)["principalType"] = "User",
            InfraPolicies.RoleAssignmentsAreIntended),
        ["a random role assignment name"] = (
            t => t.OfType(ArmTypes.RoleAssignments).First().Json["name"] = "[newGuid()]",
            InfraPolicies.RoleAssignmentsAreIntended),
        ["the app identity without Key Vault access"] = (
            t => t.OfType(ArmTypes.RoleAssignments)
                .Single(r => new RoleAssignment(r) is { Principal: Principal.FunctionAppIdentity, RoleDefinitionGuid: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7" })
                .RemoveFromTemplate(),
            InfraPolicies.FunctionAppIdentityHoldsEveryIntendedRole),
        ["the table name setting dropped"] = (
            t => AppSettingsParameter(t).Remove(AppSettingsTests.Setting<StorageOptions>(StorageOptions.SectionName, nameof(StorageOptions.TableName))),
            t => InfraPolicies.FunctionAppHasSettings(t, AppSettingsTests.SettingsTheCodeReads)),
        ["the vault uri setting renamed"] = (
            t =>
            {
                var settings = AppSettingsParameter(t);
                var name = AppSettingsTests.Setting<SecretsOptions>(SecretsOptions.SectionName, nameof(SecretsOptions.VaultUri));
                var value = settings[name]!.DeepClone();
                settings.Remove(name);
                settings[name + "Old"] = value;
            },
            t => InfraPolicies.FunctionAppHasSettings(t, AppSettingsTests.SettingsTheCodeReads)),
        ["an undescribed parameter"] = (
            t => ((JsonObject)t.Root["parameters"]!["authAuthority"]!).Remove("metadata"),
            InfraPolicies.EveryParameterIsDescribed),
    };

    public static TheoryData<string> WeakeningNames => [.. Weakenings.Keys];

    [Theory]
    [MemberData(nameof(WeakeningNames))]
    public async Task Policy_check_catches_a_weakened_template(string weakening)
    {
        var (weaken, check) = Weakenings[weakening];
        var template = await Infra.CompiledTemplateAsync();
        Assert.Empty(check(template));

        var weakened = template.Copy();
        weaken(weakened);

        Assert.NotEmpty(check(ArmTemplate.From(weakened.Root)));
    }

    private static ArmResource Single(ArmTemplate template, string type) => Assert.Single(template.OfType(type));

    private static JsonObject Props(ArmTemplate template, string type) => Single(template, type).Properties!;

    private static JsonObject Publishing(ArmTemplate template, string channel) =>
        template.OfType(ArmTypes.BasicPublishingCredentialsPolicies).Single(p => p.LastNameSegment == channel).Properties!;

    private static JsonObject FirstRoleAssignment(ArmTemplate template) =>
        template.OfType(ArmTypes.RoleAssignments).First().Properties!;

    /// <summary>The app settings object main.bicep passes to the function app module.</summary>
    private static JsonObject AppSettingsParameter(ArmTemplate template) =>
        (JsonObject)template.OfType(ArmTypes.Deployments)
            .Single(module => module.NestedTemplate?.Resources.Any(r => r.Type == ArmTypes.Sites) == true)
            .Properties!["parameters"]!["appSettings"]!["value"]!;
}
