using Onboarding.Infra.Tests.Arm;
using Xunit;

namespace Onboarding.Infra.Tests;

/// <summary>Security rules, checked on the ARM JSON that <c>bicep build</c> compiles from infra/main.bicep.</summary>
public sealed class SecurityPolicyTests
{
    [Fact]
    public async Task Template_never_lists_or_embeds_keys() =>
        AssertComplies(InfraPolicies.NoKeyMaterial(await Infra.CompiledTemplateAsync()));

    [Fact]
    public async Task Storage_account_disallows_shared_key_access() =>
        AssertComplies(InfraPolicies.StorageDisallowsSharedKeys(await Infra.CompiledTemplateAsync()));

    [Fact]
    public async Task Storage_account_requires_tls12_and_https_and_keeps_blobs_private() =>
        AssertComplies(InfraPolicies.StorageRequiresTls12HttpsAndPrivateBlobs(await Infra.CompiledTemplateAsync()));

    [Fact]
    public async Task Key_vault_authorizes_with_rbac_and_keeps_soft_delete_and_purge_protection() =>
        AssertComplies(InfraPolicies.KeyVaultUsesRbacSoftDeleteAndPurgeProtection(await Infra.CompiledTemplateAsync()));

    [Fact]
    public async Task Application_insights_disables_local_auth() =>
        AssertComplies(InfraPolicies.ApplicationInsightsDisablesLocalAuth(await Infra.CompiledTemplateAsync()));

    [Fact]
    public async Task Function_app_sends_telemetry_with_entra_id_auth() =>
        AssertComplies(InfraPolicies.ApplicationInsightsUsesEntraIdAuth(await Infra.CompiledTemplateAsync()));

    [Fact]
    public async Task Function_app_is_https_only_with_tls12_and_ftp_disabled() =>
        AssertComplies(InfraPolicies.FunctionAppIsHttpsOnlyWithoutFtp(await Infra.CompiledTemplateAsync()));

    [Fact]
    public async Task Function_app_refuses_basic_auth_publishing_over_ftp_and_scm() =>
        AssertComplies(InfraPolicies.FunctionAppRefusesBasicAuthPublishing(await Infra.CompiledTemplateAsync()));

    [Fact]
    public async Task Function_app_runs_dotnet_isolated_10_on_flex_consumption() =>
        AssertComplies(InfraPolicies.FunctionAppRunsDotnetIsolated10OnFlexConsumption(await Infra.CompiledTemplateAsync()));

    [Fact]
    public async Task Function_app_reaches_host_and_deployment_storage_with_its_system_assigned_identity() =>
        AssertComplies(InfraPolicies.FunctionAppUsesItsSystemAssignedIdentityForStorage(await Infra.CompiledTemplateAsync()));

    [Fact]
    public async Task Role_assignments_grant_only_intended_roles_to_the_app_identity_or_the_optional_user() =>
        AssertComplies(InfraPolicies.RoleAssignmentsAreIntended(await Infra.CompiledTemplateAsync()));

    [Fact]
    public async Task Function_app_identity_holds_blob_queue_table_secrets_and_metrics_roles() =>
        AssertComplies(InfraPolicies.FunctionAppIdentityHoldsEveryIntendedRole(await Infra.CompiledTemplateAsync()));

    [Fact]
    public async Task Every_parameter_of_every_template_is_described() =>
        AssertComplies(InfraPolicies.EveryParameterIsDescribed(await Infra.CompiledTemplateAsync()));

    private static void AssertComplies(IReadOnlyList<string> violations) =>
        Assert.True(violations.Count == 0, string.Join('\n', violations));
}
